package io.reel.devserver.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.reel.core.Json;
import io.reel.devserver.states.InvalidDefinitionException;
import io.reel.devserver.states.StateMachine;
import io.reel.localaws.template.CloudFormationTemplate;
import io.reel.localaws.template.CloudFormationTemplate.Resource;
import io.reel.localaws.template.IntrinsicResolver;
import io.reel.localaws.template.TemplateException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads the functions, the API and the state machines of a SAM template the way SAM does: {@code Globals.Function}
 * under each function's own properties, intrinsics resolved, and every problem reported with the resource and
 * property named.
 */
public final class ApplicationLoader {
    public static final String FUNCTION = "AWS::Serverless::Function";
    public static final String API = "AWS::Serverless::Api";
    public static final String STATE_MACHINE = "AWS::Serverless::StateMachine";
    /** SAM properties of a state machine that only mean something in AWS: read past, named in the start-up log. */
    private static final List<String> STATE_MACHINE_IGNORED = List.of("Policies", "Role", "RolePath",
            "PermissionsBoundary", "Logging", "Tracing", "Tags", "PropagateTags", "Events", "AutoPublishAlias",
            "DeploymentPreference", "UseAliasAsEventTarget");
    private static final Set<String> STATE_MACHINE_READ = Set.of("Definition", "DefinitionUri",
            "DefinitionSubstitutions", "Name", "Type");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final int DEFAULT_TIMEOUT_SECONDS = 3;
    private static final int DEFAULT_MEMORY_MB = 128;

    private final CloudFormationTemplate template;
    private final IntrinsicResolver resolver;

    public ApplicationLoader(CloudFormationTemplate template, IntrinsicResolver resolver) {
        this.template = template;
        this.resolver = resolver;
    }

    public Application load() {
        Map<String, Object> globals = map(template.section("Globals").get("Function"), "Globals.Function");
        Map<String, FunctionDef> functions = new LinkedHashMap<>();
        for (Resource resource : template.resourcesOfType(FUNCTION)) {
            functions.put(resource.logicalId(), function(resource, globals));
        }
        List<Resource> apis = template.resourcesOfType(API);
        if (apis.size() > 1) {
            throw new TemplateException("Template " + template.source() + " declares " + apis.size()
                    + " AWS::Serverless::Api resources; the devserver serves one REST API.");
        }
        Optional<ApiDef> api = apis.stream().findFirst().map(resource -> api(resource, functions.keySet()));
        Map<String, FunctionDef> settled = new LinkedHashMap<>();
        functions.forEach((id, f) -> settled.put(id, new FunctionDef(f.logicalId(), f.handler(), f.timeout(), f.memoryMb(),
                f.environment(), f.routes().stream().map(route -> settleAuthorizer(route, api)).toList(), f.s3Triggers())));
        Map<String, StateMachineDef> stateMachines = new LinkedHashMap<>();
        for (Resource resource : template.resourcesOfType(STATE_MACHINE)) {
            stateMachines.put(resource.logicalId(), stateMachine(resource));
        }
        return new Application(settled, api, stateMachines);
    }

    /** The ARN the devserver gives a state machine: what {@code !Ref} and {@code !GetAtt .Arn} resolve to. */
    public static String stateMachineArn(String region, String accountId, String name) {
        return "arn:aws:states:" + region + ":" + accountId + ":stateMachine:" + name;
    }

    /**
     * A STANDARD state machine from {@code DefinitionUri} (a local JSON or YAML file) or an inline {@code Definition},
     * its {@code ${Placeholder}}s replaced from {@code DefinitionSubstitutions} before the definition is parsed, as
     * CloudFormation does.
     */
    private StateMachineDef stateMachine(Resource resource) {
        Env env = new Env(resource);
        Map<String, Object> props = resource.properties();
        for (String property : props.keySet()) {
            if (!STATE_MACHINE_READ.contains(property) && !STATE_MACHINE_IGNORED.contains(property)) {
                throw env.fail(property, "is not a property of " + STATE_MACHINE);
            }
        }
        Object type = env.resolve(props.get("Type"), "Type");
        if (type != null && type != IntrinsicResolver.NO_VALUE && !"STANDARD".equals(type)) {
            throw env.fail("Type", "is " + type + "; the devserver runs STANDARD workflows only (EXPRESS executions "
                    + "have no DescribeExecution and run at least once or at most once, which it does not imitate)");
        }
        String definition = substitute(env, definitionText(env, props), props.get("DefinitionSubstitutions"));
        String where = props.containsKey("DefinitionUri") ? "DefinitionUri" : "Definition";
        StateMachine machine;
        try {
            machine = StateMachine.parse(definition);
        } catch (InvalidDefinitionException e) {
            // The interpreter's sentence ends with its own full stop; fail() adds one.
            throw env.fail(where, "is not a definition the devserver can run: " + e.getMessage().replaceFirst("\\.$", ""));
        }
        Object arn = resolver.resolve(Map.of("Fn::GetAtt", List.of(resource.logicalId(), "Arn")),
                "Resource " + resource.describe());
        String name = String.valueOf(arn).substring(String.valueOf(arn).lastIndexOf(':') + 1);
        List<String> ignored = STATE_MACHINE_IGNORED.stream().filter(props::containsKey).toList();
        return new StateMachineDef(resource.logicalId(), name, String.valueOf(arn), machine, ignored);
    }

    private String definitionText(Env env, Map<String, Object> props) {
        boolean fromFile = props.containsKey("DefinitionUri");
        if (fromFile == props.containsKey("Definition")) {
            throw env.fail("Definition", fromFile ? "and DefinitionUri are both given; SAM takes one of them"
                    : "is missing; give the definition inline (Definition) or as a file (DefinitionUri)");
        }
        if (!fromFile) {
            Object inline = env.resolve(props.get("Definition"), "Definition");
            if (!(inline instanceof Map<?, ?>)) {
                throw env.fail("Definition", "must be a mapping (the state machine's JSON written as YAML)");
            }
            try {
                return Json.mapper().writeValueAsString(inline);
            } catch (JsonProcessingException e) {
                throw env.fail("Definition", "cannot be written as JSON: " + e.getOriginalMessage());
            }
        }
        Object uri = env.resolve(props.get("DefinitionUri"), "DefinitionUri");
        if (!(uri instanceof String location) || location.startsWith("s3://")) {
            throw env.fail("DefinitionUri", "is " + uri + "; the devserver reads a local file, a path relative to the "
                    + "template (sam package uploads it to S3 for AWS)");
        }
        Path file = Path.of(template.source()).toAbsolutePath().getParent().resolve(location).normalize();
        try {
            if (file.getFileName().toString().endsWith(".json")) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Object document = new Load(LoadSettings.builder().setLabel(file.toString()).setAllowDuplicateKeys(false)
                        .build()).loadFromReader(reader);
                return Json.mapper().writeValueAsString(document);
            }
        } catch (IOException e) {
            throw env.fail("DefinitionUri", "names " + file + ", which cannot be read (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")");
        } catch (YamlEngineException e) {
            throw env.fail("DefinitionUri", "names " + file + ", which is not valid YAML or JSON: " + e.getMessage());
        }
    }

    /** Replaces every {@code ${Name}} by its substitution; a placeholder without one is a mistake, named. */
    private String substitute(Env env, String definition, Object substitutions) {
        Map<String, String> values = new LinkedHashMap<>();
        map(substitutions, "Resource " + env.resource.describe() + " DefinitionSubstitutions").keySet().forEach(key ->
                values.put(key, env.string(map(substitutions, "DefinitionSubstitutions"), key,
                        "DefinitionSubstitutions." + key)));
        Matcher placeholder = PLACEHOLDER.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            if (value == null) {
                throw env.fail("DefinitionSubstitutions", "has no entry for ${" + placeholder.group(1)
                        + "}, which the definition uses");
            }
            placeholder.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        placeholder.appendTail(out);
        return out.toString();
    }

    /**
     * A route's authorizer by name: the included OpenAPI operation's, if the API has one (its events then say no Auth:
     * SAM would apply none); else its own, else the API's default; {@code NONE} makes it public.
     */
    private ApiRoute settleAuthorizer(ApiRoute route, Optional<ApiDef> api) {
        Optional<OpenApiDefinition> openApi = api.flatMap(ApiDef::openApi);
        if (openApi.isPresent()) {
            String key = route.method() + " " + route.path();
            Optional<String> guard = openApi.get().security().get(key);
            if (guard == null) {
                throw new TemplateException("Resource " + route.functionId() + " (" + FUNCTION + ") has the route " + key
                        + ", which " + openApi.get().file().getFileName() + " does not declare");
            }
            if (route.authorizer().isPresent()) {
                throw new TemplateException("Resource " + route.functionId() + " (" + FUNCTION + "), route " + key
                        + ": its event's Auth says " + route.authorizer().get() + ", but with the API's definition included"
                        + " from " + openApi.get().file().getFileName() + " SAM applies no event Auth: say it in that"
                        + " operation's security");
            }
            return new ApiRoute(route.functionId(), route.method(), route.path(), guard);
        }
        Map<String, AuthorizerDef> authorizers = api.map(ApiDef::authorizers).orElse(Map.of());
        Optional<String> chosen = route.authorizer().isPresent()
                ? route.authorizer().filter(name -> !"NONE".equals(name))
                : Optional.ofNullable(authorizers.get(DEFAULT)).map(AuthorizerDef::name);
        chosen.ifPresent(name -> {
            if (!authorizers.containsKey(name)) {
                throw new TemplateException("Resource " + route.functionId() + " (" + FUNCTION + "), route " + route.method() + " "
                        + route.path() + ": Auth.Authorizer names " + name + ", which is not in the API's Auth.Authorizers.");
            }
        });
        return new ApiRoute(route.functionId(), route.method(), route.path(), chosen);
    }

    private FunctionDef function(Resource resource, Map<String, Object> globals) {
        Map<String, Object> props = new LinkedHashMap<>(globals);
        props.putAll(resource.properties());
        Env env = new Env(resource);
        String handler = env.string(props, "Handler");
        if (!handler.contains("::")) {
            throw env.fail("Handler", "is '" + handler + "'; a Java handler is written package.Class::method");
        }
        int timeout = env.integer(props, "Timeout", DEFAULT_TIMEOUT_SECONDS);
        int memory = env.integer(props, "MemorySize", DEFAULT_MEMORY_MB);
        Map<String, String> variables = new LinkedHashMap<>();
        variables.putAll(env.variables(globals.get("Environment"), "Globals.Function.Environment"));
        variables.putAll(env.variables(resource.properties().get("Environment"), "Environment"));
        List<ApiRoute> routes = new ArrayList<>();
        List<S3Trigger> triggers = new ArrayList<>();
        map(resource.properties().get("Events"), resource.describe() + " Events").forEach((name, body) -> {
            Map<String, Object> event = map(body, resource.describe() + " Events." + name);
            String type = String.valueOf(event.get("Type"));
            Map<String, Object> eventProps = map(event.get("Properties"), resource.describe() + " Events." + name + ".Properties");
            switch (type) {
                case "Api" -> routes.add(route(resource, env, name, eventProps));
                case "S3" -> triggers.add(trigger(resource, env, name, eventProps));
                default -> { } // other event sources (schedules, queues) are not played locally
            }
        });
        return new FunctionDef(resource.logicalId(), handler, Duration.ofSeconds(timeout), memory, variables, routes, triggers);
    }

    private ApiRoute route(Resource resource, Env env, String event, Map<String, Object> props) {
        String where = "Events." + event + ".Properties.";
        String path = env.string(props, "Path", where + "Path");
        if (!path.startsWith("/")) {
            throw env.fail(where + "Path", "is '" + path + "'; an API path starts with /");
        }
        String method = env.string(props, "Method", where + "Method").toUpperCase(Locale.ROOT);
        Optional<String> authorizer = Optional.empty();
        Object auth = props.get("Auth");
        Map<String, Object> authProps = map(auth, resource.describe() + " " + where + "Auth");
        if (authProps.containsKey("Authorizer")) {
            authorizer = Optional.of(env.string(authProps, "Authorizer", where + "Auth.Authorizer"));
        }
        // Empty means "the API's default"; it is settled against the API's Auth in api().
        return new ApiRoute(resource.logicalId(), "ANY".equals(method) ? "ANY" : method, path, authorizer);
    }

    private S3Trigger trigger(Resource resource, Env env, String event, Map<String, Object> props) {
        String where = "Events." + event + ".Properties.";
        Object bucket = props.get("Bucket");
        if (!(bucket instanceof Map<?, ?> ref) || !(ref.get("Ref") instanceof String logicalId)) {
            throw env.fail(where + "Bucket", "must be !Ref to a bucket of this template (SAM requires it)");
        }
        Object events = env.resolve(props.get("Events"), where + "Events");
        List<String> names = events instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : events == null ? List.of() : List.of(String.valueOf(events));
        if (names.isEmpty()) {
            throw env.fail(where + "Events", "is missing; name the S3 events, such as s3:ObjectCreated:*");
        }
        String prefix = "";
        String suffix = "";
        Object filter = env.resolve(props.get("Filter"), where + "Filter");
        if (filter instanceof Map<?, ?> f && f.get("S3Key") instanceof Map<?, ?> key && key.get("Rules") instanceof List<?> rules) {
            for (Object rule : rules) {
                if (rule instanceof Map<?, ?> r && r.get("Name") != null && r.get("Value") != null) {
                    String name = String.valueOf(r.get("Name")).toLowerCase(Locale.ROOT);
                    switch (name) {
                        case "prefix" -> prefix = String.valueOf(r.get("Value"));
                        case "suffix" -> suffix = String.valueOf(r.get("Value"));
                        default -> throw env.fail(where + "Filter", "has rule '" + name + "'; S3 key rules are prefix or suffix");
                    }
                }
            }
        }
        return new S3Trigger(resource.logicalId(), logicalId, names, prefix, suffix);
    }

    private ApiDef api(Resource resource, java.util.Set<String> functionIds) {
        Env env = new Env(resource);
        Map<String, Object> props = new LinkedHashMap<>(map(template.section("Globals").get("Api"), "Globals.Api"));
        props.putAll(resource.properties());
        String stage = env.string(props, "StageName", "StageName");
        Object binary = env.resolve(props.get("BinaryMediaTypes"), "BinaryMediaTypes");
        List<String> binaryTypes = binary instanceof List<?> list
                ? list.stream().map(t -> String.valueOf(t).replace("~1", "/")).toList() : List.of();
        Map<String, Object> auth = map(env.resolve(props.get("Auth"), "Auth"), resource.describe() + " Auth");
        Map<String, AuthorizerDef> authorizers = new LinkedHashMap<>();
        map(auth.get("Authorizers"), resource.describe() + " Auth.Authorizers").forEach((name, body) ->
                authorizers.put(name, authorizer(env, name, map(body, resource.describe() + " Auth.Authorizers." + name), functionIds)));
        Object defaultAuthorizer = auth.get("DefaultAuthorizer");
        if (defaultAuthorizer != null && !authorizers.containsKey(String.valueOf(defaultAuthorizer))) {
            throw env.fail("Auth.DefaultAuthorizer", "names " + defaultAuthorizer + ", which is not in Auth.Authorizers");
        }
        Map<String, AuthorizerDef> withDefault = new LinkedHashMap<>(authorizers);
        if (defaultAuthorizer != null) {
            withDefault.put(DEFAULT, authorizers.get(String.valueOf(defaultAuthorizer)));
        }
        Optional<OpenApiDefinition> openApi = OpenApiDefinition.load(props.get("DefinitionBody"),
                Path.of(template.source()).toAbsolutePath().getParent(), resolver, functionIds, "Resource " + resource.describe());
        if (openApi.isPresent()) {
            for (String property : List.of("Auth", "GatewayResponses", "Cors", "BinaryMediaTypes")) {
                if (props.containsKey(property)) {
                    throw env.fail(property, "belongs in " + openApi.get().file().getFileName() + " when the API's "
                            + "definition is included from it: SAM cannot merge it into an included definition");
                }
            }
            return new ApiDef(resource.logicalId(), stage, openApi.get().binaryMediaTypes(), openApi.get().authorizers(),
                    openApi.get().gatewayResponses(), openApi);
        }
        return new ApiDef(resource.logicalId(), stage, binaryTypes, withDefault, gatewayResponses(env, props), Optional.empty());
    }

    /** {@code GatewayResponses}: per type, an optional StatusCode, literal response headers and the JSON template. */
    private Map<String, GatewayResponseDef> gatewayResponses(Env env, Map<String, Object> props) {
        Map<String, GatewayResponseDef> responses = new LinkedHashMap<>();
        Object declared = env.resolve(props.get("GatewayResponses"), "GatewayResponses");
        map(declared == IntrinsicResolver.NO_VALUE ? null : declared, env.resource.describe() + " GatewayResponses")
                .forEach((type, body) -> {
                    String where = "GatewayResponses." + type;
                    Map<String, Object> response = map(body, env.resource.describe() + " " + where);
                    Optional<Integer> status = response.containsKey("StatusCode")
                            ? Optional.of(env.integer(response, "StatusCode", 0)) : Optional.empty();
                    Map<String, String> headers = new LinkedHashMap<>();
                    Map<String, Object> parameters = map(response.get("ResponseParameters"), where + ".ResponseParameters");
                    map(parameters.get("Headers"), where + ".ResponseParameters.Headers").forEach((name, value) -> {
                        String literal = String.valueOf(value);
                        // API Gateway takes a quoted literal or a mapping expression (method.request.header.X); only
                        // literals mean the same thing without a real request context.
                        if (literal.length() < 2 || !literal.startsWith("'") || !literal.endsWith("'")) {
                            throw env.fail(where + ".ResponseParameters.Headers." + name,
                                    "is " + literal + "; the devserver plays only quoted literal values ('…')");
                        }
                        headers.put(name, literal.substring(1, literal.length() - 1));
                    });
                    Map<String, Object> templates = map(response.get("ResponseTemplates"), where + ".ResponseTemplates");
                    Optional<String> template = Optional.ofNullable(templates.get("application/json")).map(String::valueOf);
                    responses.put(type, new GatewayResponseDef(type, status, headers, template));
                });
        return responses;
    }

    /** The key under which {@link ApiDef#authorizers()} holds the API's default authorizer, if any. */
    public static final String DEFAULT = "$default";

    private AuthorizerDef authorizer(Env env, String name, Map<String, Object> props, java.util.Set<String> functionIds) {
        String where = "Auth.Authorizers." + name + ".";
        String arn = env.string(props, "FunctionArn", where + "FunctionArn");
        // arn:aws:lambda:region:account:function:Name, optionally with :alias or :version after the name
        int functionAt = arn.indexOf(":function:");
        String functionId = functionAt < 0 ? arn : arn.substring(functionAt + ":function:".length()).split(":", -1)[0];
        if (!functionIds.contains(functionId)) {
            throw env.fail(where + "FunctionArn", "is " + arn + ", which is not a function of this template");
        }
        Object payload = props.getOrDefault("FunctionPayloadType", "TOKEN");
        if (!"TOKEN".equals(payload)) {
            throw env.fail(where + "FunctionPayloadType", "is " + payload + "; the devserver plays TOKEN authorizers");
        }
        Map<String, Object> identity = map(props.get("Identity"), env.resource.describe() + " " + where + "Identity");
        String header = identity.containsKey("Header") ? env.string(identity, "Header", where + "Identity.Header") : "Authorization";
        Optional<Pattern> validation = Optional.empty();
        if (identity.containsKey("ValidationExpression")) {
            String regex = env.string(identity, "ValidationExpression", where + "Identity.ValidationExpression");
            try {
                validation = Optional.of(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw env.fail(where + "Identity.ValidationExpression", "is not a valid regular expression: " + e.getDescription());
            }
        }
        int ttl = identity.containsKey("ReauthorizeEvery") ? env.integer(identity, "ReauthorizeEvery", 300) : 300;
        if (ttl < 0 || ttl > 3600) {
            throw env.fail(where + "Identity.ReauthorizeEvery", "is " + ttl + "; API Gateway allows 0 to 3600 seconds");
        }
        return new AuthorizerDef(name, functionId, header, validation, Duration.ofSeconds(ttl));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new TemplateException(where + " must be a mapping.");
        }
        return (Map<String, Object>) map;
    }

    /** Resolution within one resource, so every error names it. */
    private final class Env {
        private final Resource resource;

        Env(Resource resource) {
            this.resource = resource;
        }

        Object resolve(Object value, String property) {
            return value == null ? null : resolver.resolve(value, "Resource " + resource.describe() + ", property " + property);
        }

        String string(Map<String, Object> props, String property) {
            return string(props, property, property);
        }

        String string(Map<String, Object> props, String key, String property) {
            Object value = resolve(props.get(key), property);
            if (value == null || value == IntrinsicResolver.NO_VALUE || value instanceof Map<?, ?> || value instanceof List<?>
                    || String.valueOf(value).isBlank()) {
                throw fail(property, "is missing or not a single value");
            }
            return String.valueOf(value);
        }

        int integer(Map<String, Object> props, String key, int defaultValue) {
            Object value = resolve(props.get(key), key);
            if (value == null || value == IntrinsicResolver.NO_VALUE) {
                return defaultValue;
            }
            try {
                return Integer.parseInt(String.valueOf(value).strip());
            } catch (NumberFormatException e) {
                throw fail(key, "is '" + value + "', not a whole number");
            }
        }

        Map<String, String> variables(Object environment, String property) {
            Map<String, String> variables = new LinkedHashMap<>();
            Object vars = map(environment, "Resource " + resource.describe() + " " + property).get("Variables");
            map(vars, "Resource " + resource.describe() + " " + property + ".Variables").forEach((name, value) -> {
                Object resolved = resolve(value, property + ".Variables." + name);
                if (resolved != null && resolved != IntrinsicResolver.NO_VALUE) {
                    if (resolved instanceof Map<?, ?> || resolved instanceof List<?>) {
                        throw fail(property + ".Variables." + name, "must resolve to text");
                    }
                    variables.put(name, String.valueOf(resolved));
                }
            });
            return variables;
        }

        TemplateException fail(String property, String problem) {
            return new TemplateException("Resource " + resource.describe() + ", property " + property + " " + problem + ".");
        }
    }
}
