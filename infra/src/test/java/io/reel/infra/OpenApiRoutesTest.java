package io.reel.infra;

import static io.reel.infra.Repo.at;
import static io.reel.infra.Repo.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reel.localaws.template.CloudFormationTemplate;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * api/openapi.yaml, the REST API's definition (template.yaml includes it with AWS::Include), keeps step with what
 * declares and serves the routes: its operations are exactly the template's Api events (same names) and the handlers'
 * route tables, and only the reviewed ones are public; each calls the function whose events declare the route; every
 * operation is validated and documents its problem+json refusals; the events/*.json samples satisfy its request
 * schemas; CORS is granted only to the CorsAllowOrigin parameter's origin; and it is YAML that AWS::Include accepts,
 * which SAM deploys as written (no Api property of the template overriding it) and which agrees with the authorizer
 * and gateway responses the template declared before it (while it still does).
 */
class OpenApiRoutesTest {
    private static final Path OPENAPI = Repo.ROOT.resolve("api/openapi.yaml");
    private static final CloudFormationTemplate TEMPLATE = CloudFormationTemplate.load(Repo.TEMPLATE);
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String INTEGRATION_URI =
            "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${%s.Alias}/invocations";
    /** The conditional grant of the CorsAllowOrigin parameter's origin, in preflights and gateway responses. */
    private static final Object CORS_ORIGIN = Map.of("Fn::If", List.of("HasCorsOrigin",
            Map.of("Fn::Sub", "'${CorsAllowOrigin}'"), Map.of("Ref", "AWS::NoValue")));

    /**
     * Where each function's route table is, as text: {@code case "METHOD /path"} arms, {@code route.equals("METHOD
     * /path")} checks (the token-authorised playlist routes, dispatched before the caller is read, to
     * {@code SignedPlaylists}) and {@code case Class.CONSTANT} arms naming a constant of the same package.
     */
    private static final Map<String, List<String>> ROUTE_TABLES = Map.of(
            "AuthFunction", List.of("auth-function/src/main/java/io/reel/auth/AuthRoutes.java"),
            "MediaFunction", List.of("media-function/src/main/java/io/reel/media/MediaRoutes.java"));

    /**
     * The routes anyone may call without an access token. The template's events no longer say so (the document's
     * {@code security: []} does, and SAM ignores an event's Auth beside a DefinitionBody), so a route becomes public
     * only by changing both the document and this list: sign-in, refresh and sign-out (their token is the refresh
     * cookie), the JWKS, and the two playlist routes a playback token in the query authorises (players cannot send
     * headers; SignedPlaylists checks the token).
     */
    private static final Set<Route> PUBLIC_ROUTES = new TreeSet<>(List.of(
            new Route("POST", "/auth/login"), new Route("POST", "/auth/refresh"), new Route("POST", "/auth/logout"),
            new Route("GET", "/.well-known/jwks.json"), new Route("GET", "/videos/{id}/hls/{playlist}"),
            new Route("GET", "/videos/{id}/storyboard.vtt")));

    /**
     * Samples that are not meant to satisfy the schema. auth-login-bad-json.json: its body is deliberately not JSON,
     * to show the handler's 400 (API Gateway's validator refuses it the same way).
     */
    private static final Set<String> INVALID_SAMPLES = Set.of("auth-login-bad-json.json");

    record Route(String method, String path) implements Comparable<Route> {
        @Override
        public String toString() {
            return method + " " + path;
        }

        @Override
        public int compareTo(Route other) {
            return toString().compareTo(other.toString());
        }
    }

    /** A route as the template's Api event declares it: the event's name, and its Auth.Authorizer if it states one. */
    record Declared(Route route, String name, String auth) {
    }

    /** One operation of the document. */
    record Operation(Route route, Map<String, Object> body) {
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** The document, read on first use: a file that is not plain YAML fails the tests that read it, with the reason. */
    private static final class Doc {
        static final Map<String, Object> VALUE = loadDocument(OPENAPI);
    }

    /**
     * The document as plain data. It must be YAML without tags: AWS::Include does not take the short forms
     * ({@code !Sub}), and a tag would reach CloudFormation as text.
     */
    private static Map<String, Object> loadDocument(Path file) {
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setAllowDuplicateKeys(false).build();
        Object document;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            document = new Load(settings).loadFromReader(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (YamlEngineException e) {
            throw new AssertionError(file + " is not plain YAML (AWS::Include takes no tags such as !Sub: write Fn::Sub:): "
                    + e.getMessage(), e);
        }
        assertThat(document).as("%s is a YAML mapping", file).isInstanceOf(Map.class);
        return map(document);
    }

    /** Tags (explicit, such as {@code !Sub}) and anchors in the document, each with where it is. */
    private static List<String> tagsAndAnchors(Path file) throws IOException {
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
        List<String> found = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, reader)));
            composer.getSingleNode().ifPresent(node -> collectTagsAndAnchors(node, found));
        }
        return found;
    }

    private static void collectTagsAndAnchors(Node node, List<String> found) {
        String where = node.getStartMark().map(mark -> "line " + (mark.getLine() + 1)).orElse("?");
        if (!node.getTag().getValue().startsWith("tag:yaml.org,2002:")) {
            found.add(where + ": tag " + node.getTag().getValue());
        }
        node.getAnchor().ifPresent(anchor -> found.add(where + ": anchor &" + anchor.getValue()));
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                collectTagsAndAnchors(tuple.getKeyNode(), found);
                collectTagsAndAnchors(tuple.getValueNode(), found);
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(child -> collectTagsAndAnchors(child, found));
        }
    }

    /** Follows a local {@code $ref} ("#/components/..."), or answers the value itself. */
    private static Object resolve(Object value) {
        Object ref = map(value).get("$ref");
        if (!(ref instanceof String pointer)) {
            return value;
        }
        assertThat(pointer).as("$ref %s is local", pointer).startsWith("#/");
        Object target = Doc.VALUE;
        for (String part : pointer.substring(2).split("/")) {
            target = map(target).get(part.replace("~1", "/").replace("~0", "~"));
        }
        assertThat(target).as("$ref %s resolves", pointer).isNotNull();
        return target;
    }

    private static List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        map(Doc.VALUE.get("paths")).forEach((path, item) -> map(item).forEach((key, body) -> {
            if (HTTP_METHODS.contains(key)) {
                operations.add(new Operation(new Route(key.toUpperCase(Locale.ROOT), path), map(body)));
            }
        }));
        return operations;
    }

    /** The API's own routes: every operation but the CORS preflights (answered by the gateway, not a function). */
    private static List<Operation> routeOperations() {
        return operations().stream().filter(op -> !op.route().method().equals("OPTIONS")).toList();
    }

    /** "public" for {@code security: []}, "token" for the authorizer, anything else as it is written. */
    private static String access(Operation operation) {
        Object security = operation.body().get("security");
        if (List.of().equals(security)) {
            return "public";
        }
        if (List.of(Map.of("JwtAuthorizer", List.of())).equals(security)) {
            return "token";
        }
        return "security " + security;
    }

    /** Every Api event of every function, by function. */
    private static Map<String, List<Declared>> templateRoutes() {
        Map<String, List<Declared>> byFunction = new TreeMap<>();
        for (var function : TEMPLATE.resourcesOfType("AWS::Serverless::Function")) {
            map(function.properties().get("Events")).forEach((name, event) -> {
                if (!"Api".equals(map(event).get("Type"))) {
                    return;
                }
                Map<String, Object> props = map(at(event, "Properties"));
                assertThat(props.get("RestApiId")).as("%s event %s: RestApiId (the API api/openapi.yaml defines)",
                        function.logicalId(), name).isEqualTo(Map.of("Ref", "Api"));
                Route route = new Route(String.valueOf(props.get("Method")).toUpperCase(Locale.ROOT),
                        String.valueOf(props.get("Path")));
                Object auth = at(props, "Auth", "Authorizer");
                byFunction.computeIfAbsent(function.logicalId(), k -> new ArrayList<>())
                        .add(new Declared(route, name, auth == null ? null : String.valueOf(auth)));
            });
        }
        return byFunction;
    }

    private static final Pattern ROUTE = Pattern.compile("(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\\S*");
    private static final Pattern CASE_STRING = Pattern.compile("case\\s+\"([^\"]+)\"\\s*->");
    private static final Pattern EQUALS_STRING = Pattern.compile("route\\.equals\\(\"([^\"]+)\"\\)");
    private static final Pattern CASE_CONSTANT = Pattern.compile("case\\s+([A-Z]\\w*)\\.([A-Z_][A-Z0-9_]*)\\s*->");

    /** The routes a function's code serves, read from its route table's source. */
    private static Set<Route> handlerRoutes(String function) throws IOException {
        List<String> files = ROUTE_TABLES.get(function);
        assertThat(files).as("%s has Api events: name its route table in OpenApiRoutesTest.ROUTE_TABLES", function).isNotNull();
        Set<Route> routes = new TreeSet<>();
        for (String file : files) {
            Path source = Repo.ROOT.resolve(file);
            String text = Files.readString(source);
            List<String> found = new ArrayList<>();
            for (Pattern pattern : List.of(CASE_STRING, EQUALS_STRING)) {
                Matcher m = pattern.matcher(text);
                while (m.find()) {
                    found.add(m.group(1));
                }
            }
            Matcher constants = CASE_CONSTANT.matcher(text);
            while (constants.find()) {
                Path owner = source.resolveSibling(constants.group(1) + ".java");
                Matcher value = Pattern.compile("static\\s+final\\s+String\\s+" + constants.group(2) + "\\s*=\\s*\"([^\"]+)\"")
                        .matcher(Files.exists(owner) ? Files.readString(owner) : "");
                if (!value.find()) {
                    fail("%s: case %s.%s names no String constant in %s", file, constants.group(1), constants.group(2), owner);
                }
                found.add(value.group(1));
            }
            for (String route : found) {
                if (ROUTE.matcher(route).matches()) {
                    int space = route.indexOf(' ');
                    routes.add(new Route(route.substring(0, space), route.substring(space + 1)));
                }
            }
        }
        return routes;
    }

    /** The function an integration calls: X of {@code ${X.Alias}} in its uri, checked against the expected form. */
    private static String integratedFunction(Operation operation, List<String> problems) {
        Map<String, Object> integration = map(operation.body().get("x-amazon-apigateway-integration"));
        if (!"aws_proxy".equals(integration.get("type")) || !"POST".equals(integration.get("httpMethod"))
                || !"when_no_match".equals(integration.get("passthroughBehavior"))) {
            problems.add(operation.route() + ": integration is not {type: aws_proxy, httpMethod: POST, "
                    + "passthroughBehavior: when_no_match}: " + integration);
        }
        Object sub = at(integration, "uri", "Fn::Sub");
        Matcher m = Pattern.compile("\\$\\{(\\w+)\\.Alias}").matcher(String.valueOf(sub));
        if (!(sub instanceof String uri) || !m.find() || !uri.equals(INTEGRATION_URI.formatted(m.group(1)))) {
            problems.add(operation.route() + ": uri is not {Fn::Sub: '" + INTEGRATION_URI.formatted("<Function>") + "'}: "
                    + integration.get("uri"));
            return null;
        }
        return m.group(1);
    }

    // ------------------------------------------------------------------------------------------------ checks

    @Test
    void isYamlThatAwsIncludeAccepts_openApi301_withNoDefaultSecurity() throws IOException {
        assertThat(tagsAndAnchors(OPENAPI))
                .as("tags or anchors in %s: AWS::Include takes no YAML short forms, so write intrinsics in long form "
                        + "(Fn::Sub:, Fn::If:, Ref:), never !Sub; and repeat a block rather than alias it (anchors are "
                        + "not documented for CloudFormation's YAML)", OPENAPI).isEmpty();
        assertThat(Doc.VALUE.get("openapi")).isEqualTo("3.0.1");
        assertThat(at(Doc.VALUE, "info", "title")).isEqualTo("Reel API");
        assertThat(at(Doc.VALUE, "info", "version")).isNotNull();
        assertThat(Doc.VALUE).as("no API-wide default security: each operation says its own")
                .doesNotContainKey("security")
                // A REST API's CORS is its OPTIONS methods and gateway responses; this extension is HTTP APIs' only.
                .doesNotContainKey("x-amazon-apigateway-cors");
    }

    @Test
    void operationsAreTheTemplatesApiEvents_sameNames() {
        Set<String> declared = new TreeSet<>();
        templateRoutes().values().forEach(list -> list.forEach(d -> declared.add(d.route() + " " + d.name())));
        Set<String> documented = new TreeSet<>();
        routeOperations().forEach(op -> documented.add(op.route() + " " + op.body().get("operationId")));
        assertThat(documented).as("api/openapi.yaml's operations (method path operationId) against template.yaml's Api "
                + "events (method path event-name)").isEqualTo(declared);
    }

    @Test
    void publicOperationsAreExactlyTheReviewedOnes_andAgreeWithAnyEventAuth() {
        List<String> problems = new ArrayList<>();
        Set<Route> documentedPublic = new TreeSet<>();
        for (Operation op : routeOperations()) {
            String access = access(op);
            if (access.equals("public")) {
                documentedPublic.add(op.route());
            } else if (!access.equals("token")) {
                problems.add(op.route() + ": " + access + " (public: security: [], else security: [{JwtAuthorizer: []}])");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(documentedPublic).as("operations with security: [] (no access token) against the reviewed "
                + "OpenApiRoutesTest.PUBLIC_ROUTES").isEqualTo(PUBLIC_ROUTES);
        // An event may still say how it is authorised (SAM ignores it beside a DefinitionBody): it must not contradict.
        templateRoutes().values().forEach(list -> list.forEach(d -> {
            if (d.auth() != null && d.auth().equals("NONE") != documentedPublic.contains(d.route())) {
                problems.add(d.route() + ": event " + d.name() + " says Auth.Authorizer " + d.auth() + ", the document "
                        + (documentedPublic.contains(d.route()) ? "makes it public" : "requires a token"));
            }
        }));
        assertThat(problems).isEmpty();
    }

    @Test
    void operationsAreTheHandlersRouteTables() throws IOException {
        Map<String, List<Declared>> byFunction = templateRoutes();
        assertThat(byFunction).as("functions with Api events").isNotEmpty();
        Set<Route> served = new TreeSet<>();
        for (var entry : byFunction.entrySet()) {
            Set<Route> declared = new TreeSet<>(entry.getValue().stream().map(Declared::route).toList());
            Set<Route> handled = handlerRoutes(entry.getKey());
            assertThat(handled).as("%s: routes its code serves (%s) against its Api events", entry.getKey(),
                    ROUTE_TABLES.get(entry.getKey())).isEqualTo(declared);
            served.addAll(handled);
        }
        Set<Route> documented = new TreeSet<>(routeOperations().stream().map(Operation::route).toList());
        assertThat(documented).as("api/openapi.yaml's routes against the handlers' route tables").isEqualTo(served);
    }

    @Test
    void everyIntegrationCallsTheFunctionWhoseEventsDeclareTheRoute() {
        Map<Route, String> owner = new TreeMap<>();
        templateRoutes().forEach((function, routes) -> routes.forEach(d -> owner.put(d.route(), function)));
        List<String> problems = new ArrayList<>();
        for (Operation op : routeOperations()) {
            String function = integratedFunction(op, problems);
            if (function != null && !function.equals(owner.get(op.route()))) {
                problems.add(op.route() + " calls " + function + ", but " + owner.get(op.route()) + "'s events declare it");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOperationIsValidated_andAnswersProblemJsonByDefault() {
        Map<String, Object> validators = map(Doc.VALUE.get("x-amazon-apigateway-request-validators"));
        assertThat(validators).as("x-amazon-apigateway-request-validators").isEqualTo(Map.of(
                "body", Map.of("validateRequestBody", true, "validateRequestParameters", true),
                "params", Map.of("validateRequestBody", false, "validateRequestParameters", true)));
        Map<String, Object> problem = map(resolve(at(Doc.VALUE, "components", "responses", "Problem")));
        assertThat(map(resolve(at(problem, "content", "application/problem+json", "schema"))).get("properties"))
                .as("components.responses.Problem: an application/problem+json body of RFC 9457 members")
                .asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsKeys("type", "title", "status", "detail");

        List<String> problems = new ArrayList<>();
        for (Operation op : operations()) {
            Object validator = op.body().get("x-amazon-apigateway-request-validator");
            boolean jsonBody = Boolean.TRUE.equals(at(op.body(), "requestBody", "required"))
                    && at(op.body(), "requestBody", "content", "application/json", "schema") != null;
            String expected = jsonBody ? "body" : "params";
            if (!expected.equals(validator)) {
                problems.add(op.route() + ": x-amazon-apigateway-request-validator is " + validator + ", expected " + expected
                        + (jsonBody ? " (it takes a JSON body)" : " (no required JSON body)"));
            }
            Map<String, Object> responses = map(op.body().get("responses"));
            if (!Map.of("$ref", "#/components/responses/Problem").equals(responses.get("default"))) {
                problems.add(op.route() + ": responses.default is not $ref #/components/responses/Problem");
            }
            if (responses.keySet().stream().noneMatch(status -> status.matches("2\\d\\d"))) {
                problems.add(op.route() + ": no success (2xx) response");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void eventSamplesSatisfyTheRequestSchemas() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<Route, Operation> byRoute = new TreeMap<>();
        routeOperations().forEach(op -> byRoute.put(op.route(), op));
        List<String> problems = new ArrayList<>();
        Set<Route> exercised = new TreeSet<>();
        List<Path> samples;
        try (Stream<Path> files = Files.list(Repo.ROOT.resolve("events"))) {
            samples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        for (Path sample : samples) {
            JsonNode event = json.readTree(sample.toFile());
            String name = sample.getFileName().toString();
            if (!event.hasNonNull("httpMethod") || !event.hasNonNull("resource") || INVALID_SAMPLES.contains(name)) {
                continue; // not an API Gateway request, or meant to be refused
            }
            Route route = new Route(event.get("httpMethod").asText(), event.get("resource").asText());
            Operation op = byRoute.get(route);
            if (op == null) {
                problems.add(name + ": " + route + " is not in api/openapi.yaml");
                continue;
            }
            String body = event.path("body").isTextual() ? event.get("body").asText() : null;
            Object schema = at(op.body(), "requestBody", "content", "application/json", "schema");
            if (body == null || body.isBlank() || schema == null) {
                continue;
            }
            if (event.path("isBase64Encoded").asBoolean(false)) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            JsonNode value;
            try {
                value = json.readTree(body);
            } catch (IOException e) {
                problems.add(name + ": the body is not JSON (list the sample in INVALID_SAMPLES if that is its point)");
                continue;
            }
            checkAgainst(name, value, map(resolve(schema)), problems);
            exercised.add(route);
        }
        assertThat(problems).isEmpty();
        Set<Route> validated = new TreeSet<>(operations().stream()
                .filter(op -> "body".equals(op.body().get("x-amazon-apigateway-request-validator"))).map(Operation::route).toList());
        assertThat(exercised).as("routes whose request schema a sample exercised; every body-validated route needs one")
                .isEqualTo(validated);
    }

    /** The schema's top level, as API Gateway's draft-4 validator reads it: type, required members, member types. */
    private static void checkAgainst(String sample, JsonNode value, Map<String, Object> schema, List<String> problems) {
        if (!hasType(value, schema.get("type"))) {
            problems.add(sample + ": the body is not of type " + schema.get("type"));
            return;
        }
        for (String member : Repo.list(schema.get("required"))) {
            if (!value.has(member)) {
                problems.add(sample + ": required member " + member + " is missing");
            }
        }
        map(schema.get("properties")).forEach((member, property) -> {
            Object type = map(resolve(property)).get("type");
            if (value.has(member) && !hasType(value.get(member), type)) {
                problems.add(sample + ": " + member + " is " + value.get(member).getNodeType() + ", not " + type);
            }
        });
    }

    /** JSON Schema draft 4 types; no type allows anything (null included). */
    private static boolean hasType(JsonNode node, Object type) {
        if (type == null) {
            return true;
        }
        return switch (String.valueOf(type)) {
            case "object" -> node.isObject();
            case "array" -> node.isArray();
            case "string" -> node.isTextual();
            case "integer" -> node.isIntegralNumber();
            case "number" -> node.isNumber();
            case "boolean" -> node.isBoolean();
            case "null" -> node.isNull();
            default -> false;
        };
    }

    @Test
    void corsIsGrantedOnlyToTheConfiguredOrigin_andPreflightsNeedNoToken() {
        assertThat(TEMPLATE.section("Conditions")).as("template.yaml's Conditions (the document's Fn::If names it)")
                .containsKey("HasCorsOrigin");
        assertThat(TEMPLATE.section("Parameters")).containsKey("CorsAllowOrigin");
        List<String> problems = new ArrayList<>();
        map(Doc.VALUE.get("paths")).forEach((path, item) -> {
            Map<String, Object> preflight = map(map(item).get("options"));
            if (preflight.isEmpty()) {
                problems.add(path + ": no OPTIONS preflight");
                return;
            }
            if (!List.of().equals(preflight.get("security"))) {
                problems.add("OPTIONS " + path + ": security is not [] (browsers send no token with a preflight)");
            }
            Map<String, Object> integration = map(preflight.get("x-amazon-apigateway-integration"));
            Map<String, Object> headers = map(at(integration, "responses", "default", "responseParameters"));
            if (!"mock".equals(integration.get("type"))) {
                problems.add("OPTIONS " + path + ": integration is not a mock");
            }
            if (!CORS_ORIGIN.equals(headers.get("method.response.header.Access-Control-Allow-Origin"))) {
                problems.add("OPTIONS " + path + ": Access-Control-Allow-Origin is not " + CORS_ORIGIN);
            }
            Set<String> methods = new TreeSet<>();
            map(item).keySet().stream().filter(HTTP_METHODS::contains).forEach(m -> methods.add(m.toUpperCase(Locale.ROOT)));
            Object allowed = headers.get("method.response.header.Access-Control-Allow-Methods");
            Set<String> listed = new TreeSet<>(List.of(String.valueOf(allowed).replace("'", "").split(",")));
            if (!listed.equals(methods)) {
                problems.add("OPTIONS " + path + ": Access-Control-Allow-Methods " + allowed + " is not the path's methods " + methods);
            }
            Map<String, Object> declared = map(at(preflight, "responses", statusOf(integration), "headers"));
            headers.keySet().forEach(header -> {
                if (!declared.containsKey(header.substring("method.response.header.".length()))) {
                    problems.add("OPTIONS " + path + ": " + header + " is mapped but not declared in the method response");
                }
            });
        });
        map(Doc.VALUE.get("x-amazon-apigateway-gateway-responses")).forEach((type, response) -> {
            if (!CORS_ORIGIN.equals(at(response, "responseParameters", "gatewayresponse.header.Access-Control-Allow-Origin"))) {
                problems.add("gateway response " + type + ": Access-Control-Allow-Origin is not " + CORS_ORIGIN);
            }
        });
        assertThat(problems).isEmpty();
    }

    private static String statusOf(Map<String, Object> integration) {
        return String.valueOf(at(integration, "responses", "default", "statusCode"));
    }

    @Test
    void theAuthorizerIsTheTemplatesFunction_whichApiGatewayMayInvoke() {
        Map<String, Object> scheme = map(at(Doc.VALUE, "components", "securitySchemes", "JwtAuthorizer"));
        assertThat(scheme).containsEntry("type", "apiKey").containsEntry("name", "Authorization").containsEntry("in", "header")
                .containsEntry("x-amazon-apigateway-authtype", "custom");
        Map<String, Object> authorizer = map(scheme.get("x-amazon-apigateway-authorizer"));
        assertThat(authorizer).containsEntry("type", "token");
        Matcher uri = Pattern.compile(Pattern.quote(INTEGRATION_URI).replace("%s", "\\E(\\w+)\\Q"))
                .matcher(String.valueOf(at(authorizer, "authorizerUri", "Fn::Sub")));
        assertThat(uri.matches()).as("authorizerUri %s is {Fn::Sub: '%s'}", authorizer.get("authorizerUri"),
                INTEGRATION_URI.formatted("<Function>")).isTrue();
        String function = uri.group(1);
        assertThat(TEMPLATE.resourcesOfType("AWS::Serverless::Function")).as("functions of template.yaml")
                .anyMatch(f -> f.logicalId().equals(function));
        // SAM makes the invoke permission only for authorizers in the Api's Auth; the document's need their own.
        Map<String, Object> declared = map(at(TEMPLATE.section("Resources"), "Api", "Properties", "Auth", "Authorizers", "JwtAuthorizer"));
        boolean samMakesPermission = Map.of("Ref", function + ".Alias").equals(declared.get("FunctionArn"));
        assertThat(samMakesPermission || TEMPLATE.resourcesOfType("AWS::Lambda::Permission").stream()
                .anyMatch(p -> Map.of("Ref", function + ".Alias").equals(p.properties().get("FunctionName"))
                        && "apigateway.amazonaws.com".equals(p.properties().get("Principal"))
                        && String.valueOf(p.properties().get("SourceArn")).contains("${Api}/authorizers/")))
                .as("an AWS::Lambda::Permission lets API Gateway invoke %s.Alias as the Api's authorizer (SourceArn "
                        + "...:${Api}/authorizers/*)", function).isTrue();

        String expression = String.valueOf(authorizer.get("identityValidationExpression"));
        assertThat(Pattern.compile(expression).matcher("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln").matches())
                .as("identityValidationExpression %s lets a bearer JWT through", expression).isTrue();
        assertThat(Pattern.compile(expression).matcher("Basic dXNlcjpwYXNz").matches()).isFalse();
        assertThat(authorizer.get("authorizerResultTtlInSeconds")).as("authorizerResultTtlInSeconds (API Gateway: 0 to 3600)")
                .isInstanceOf(Integer.class).satisfies(ttl -> assertThat((Integer) ttl).isBetween(0, 3600));

        // While the template still declares the authorizer itself, both must say the same.
        if (!declared.isEmpty()) {
            assertThat(expression).as("identityValidationExpression").isEqualTo(at(declared, "Identity", "ValidationExpression"));
            assertThat(authorizer.get("authorizerResultTtlInSeconds")).as("authorizerResultTtlInSeconds")
                    .isEqualTo(at(declared, "Identity", "ReauthorizeEvery"));
            assertThat(at(declared, "FunctionArn")).as("the template's authorizer function").isEqualTo(Map.of("Ref", function + ".Alias"));
        }
    }

    @Test
    void gatewayRefusalsAreProblemJson_asTheFunctionsAre() throws IOException {
        Map<String, Object> gateway = map(Doc.VALUE.get("x-amazon-apigateway-gateway-responses"));
        assertThat(gateway).containsKeys("DEFAULT_4XX", "DEFAULT_5XX");
        ObjectMapper json = new ObjectMapper();
        for (var entry : gateway.entrySet()) {
            String type = entry.getKey();
            assertThat(at(entry.getValue(), "responseParameters", "gatewayresponse.header.Content-Type"))
                    .as("%s Content-Type", type).isEqualTo("'application/problem+json'");
            String template = String.valueOf(at(entry.getValue(), "responseTemplates", "application/json"));
            // As API Gateway fills it in: messageString is a quoted JSON string, statusCode a number.
            String filled = template.replace("$context.error.messageString", "\"Unauthorized\"")
                    .replace("$context.error.statusCode", "401").replaceAll("\\$context\\.[\\w.]+", "x");
            JsonNode body = json.readTree(filled);
            assertThat(body.isObject() && body.has("type") && body.has("title") && body.path("status").isInt() && body.has("detail"))
                    .as("%s responseTemplates.application/json %s is a problem (type, title, status, detail)", type, template)
                    .isTrue();
        }
        // While the template still declares gateway responses itself, both must say the same.
        map(at(TEMPLATE.section("Resources"), "Api", "Properties", "GatewayResponses")).forEach((type, response) -> {
            assertThat(at(gateway, type, "responseTemplates")).as("%s responseTemplates", type)
                    .isEqualTo(at(response, "ResponseTemplates"));
            Map<String, Object> headers = new LinkedHashMap<>();
            map(at(response, "ResponseParameters", "Headers")).forEach((name, value) -> headers.put("gatewayresponse.header." + name, value));
            assertThat(map(at(gateway, type, "responseParameters"))).as("%s responseParameters", type).containsAllEntriesOf(headers);
        });
    }

    @Test
    void whenTheTemplateIncludesTheDocument_samOverridesNothingInIt() {
        Map<String, Object> api = map(at(TEMPLATE.section("Resources"), "Api", "Properties"));
        Object body = api.get("DefinitionBody");
        if (body == null) {
            return; // SAM still builds the definition from the events; nothing of this document is deployed yet
        }
        assertThat(body).as("Api.DefinitionBody").isEqualTo(Map.of("Fn::Transform",
                Map.of("Name", "AWS::Include", "Parameters", Map.of("Location", "api/openapi.yaml"))));
        assertThat(map(api.get("Auth"))).as("Api.Auth: with a DefaultAuthorizer SAM puts the authorizer on every operation "
                + "whose security is [] (sign-in, JWKS, the playlists, the preflights)").doesNotContainKey("DefaultAuthorizer");
        assertThat(api).as("Api: GatewayResponses would replace the document's (and their CORS headers); Cors would add "
                + "nothing but SAM's own OPTIONS handling").doesNotContainKeys("GatewayResponses", "Cors");
        List<String> eventAuth = new ArrayList<>();
        templateRoutes().values().forEach(list -> list.stream().filter(d -> d.auth() != null)
                .forEach(d -> eventAuth.add(d.name() + ": Auth.Authorizer " + d.auth())));
        assertThat(eventAuth).as("Api events stating an Auth: beside a DefinitionBody SAM ignores it (the document's "
                + "security decides), and cfn-lint refuses Authorizer NONE without a DefaultAuthorizer").isEmpty();
    }
}
