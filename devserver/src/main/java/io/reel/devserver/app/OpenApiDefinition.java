package io.reel.devserver.app;

import io.reel.localaws.template.IntrinsicResolver;
import io.reel.localaws.template.TemplateException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The API's OpenAPI document, when the template includes one ({@code DefinitionBody: Fn::Transform: {Name:
 * AWS::Include, Parameters: {Location: api/openapi.yaml}}}), read as API Gateway reads it: the TOKEN authorizers of
 * {@code components.securitySchemes} ({@code x-amazon-apigateway-authorizer}), each operation's {@code security}
 * (empty: public), {@code x-amazon-apigateway-gateway-responses} and {@code x-amazon-apigateway-binary-media-types}. Intrinsics in it are resolved as the template's
 * are. Request validators are API Gateway's and not played locally.
 *
 * @param security "METHOD /path" → the authorizer that guards it, empty when the operation is public
 */
public record OpenApiDefinition(Path file, Map<String, AuthorizerDef> authorizers, Map<String, Optional<String>> security,
                                Map<String, GatewayResponseDef> gatewayResponses, List<String> binaryMediaTypes) {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    /** {@code ${Function.Alias}} or {@code ${Function.Arn}} in an integration or authorizer URI. */
    private static final Pattern FUNCTION_REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9]+)\\.(?:Alias|Arn)}");

    public OpenApiDefinition {
        authorizers = Map.copyOf(authorizers);
        security = Map.copyOf(security);
        gatewayResponses = Map.copyOf(gatewayResponses);
        binaryMediaTypes = List.copyOf(binaryMediaTypes);
    }

    /**
     * The included file if {@code definitionBody} is an {@code AWS::Include} of a local path (relative to the template's
     * folder); empty when the API has no DefinitionBody.
     */
    static Optional<OpenApiDefinition> load(Object definitionBody, Path templateFolder, IntrinsicResolver resolver,
                                            Set<String> functionIds, String where) {
        if (definitionBody == null) {
            return Optional.empty();
        }
        Object transform = definitionBody instanceof Map<?, ?> m ? m.get("Fn::Transform") : null;
        if (!(transform instanceof Map<?, ?> t) || !"AWS::Include".equals(t.get("Name"))
                || !(t.get("Parameters") instanceof Map<?, ?> parameters) || !(parameters.get("Location") instanceof String location)) {
            throw new TemplateException(where + ".DefinitionBody: the devserver reads an API definition only from "
                    + "Fn::Transform {Name: AWS::Include, Parameters: {Location: <file>}}");
        }
        Path file = templateFolder.resolve(location).normalize();
        Object document;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            document = new Load(LoadSettings.builder().setLabel(file.toString()).setAllowDuplicateKeys(false).build())
                    .loadFromReader(reader);
        } catch (IOException e) {
            throw new TemplateException(where + ".DefinitionBody includes " + file + ", which cannot be read: " + e.getMessage());
        } catch (YamlEngineException e) {
            throw new TemplateException(file + " is not valid YAML: " + e.getMessage());
        }
        String source = file.getFileName().toString();
        Map<String, Object> root = map(document, source);
        BiFunction<Object, String, Object> resolve = (value, at) -> value == null ? null : resolver.resolve(value, source + " " + at);

        Map<String, AuthorizerDef> authorizers = new LinkedHashMap<>();
        Map<String, Object> schemes = map(map(root.get("components"), source + " components").get("securitySchemes"),
                source + " components.securitySchemes");
        schemes.forEach((name, body) -> {
            String at = "components.securitySchemes." + name;
            Map<String, Object> scheme = map(body, source + " " + at);
            Map<String, Object> authorizer = map(scheme.get("x-amazon-apigateway-authorizer"), source + " " + at
                    + ".x-amazon-apigateway-authorizer");
            if (authorizer.isEmpty()) {
                return; // not a Lambda authorizer: nothing the devserver plays
            }
            if (!"token".equalsIgnoreCase(String.valueOf(authorizer.get("type")))) {
                throw new TemplateException(source + " " + at + ": the devserver plays TOKEN authorizers, not "
                        + authorizer.get("type"));
            }
            String functionId = functionOf(authorizer.get("authorizerUri"), functionIds, source + " " + at + ".authorizerUri");
            String header = scheme.get("name") == null ? "Authorization" : String.valueOf(scheme.get("name"));
            Optional<Pattern> validation = Optional.empty();
            Object expression = resolve.apply(authorizer.get("identityValidationExpression"), at);
            if (expression != null) {
                try {
                    validation = Optional.of(Pattern.compile(String.valueOf(expression)));
                } catch (PatternSyntaxException e) {
                    throw new TemplateException(source + " " + at + ".identityValidationExpression is not a valid "
                            + "regular expression: " + e.getDescription());
                }
            }
            Object ttl = resolve.apply(authorizer.getOrDefault("authorizerResultTtlInSeconds", 300), at);
            int seconds = Integer.parseInt(String.valueOf(ttl));
            if (seconds < 0 || seconds > 3600) {
                throw new TemplateException(source + " " + at + ".authorizerResultTtlInSeconds is " + seconds
                        + "; API Gateway allows 0 to 3600 seconds");
            }
            authorizers.put(name, new AuthorizerDef(name, functionId, header, validation, Duration.ofSeconds(seconds)));
        });

        Map<String, Optional<String>> security = new LinkedHashMap<>();
        map(root.get("paths"), source + " paths").forEach((path, item) -> map(item, source + " paths." + path).forEach((method, body) -> {
            if (!METHODS.contains(method.toLowerCase(Locale.ROOT))) {
                return;
            }
            String at = "paths." + path + "." + method;
            Map<String, Object> operation = map(body, source + " " + at);
            Object declared = operation.get("security");
            if (!(declared instanceof List<?> requirements)) {
                throw new TemplateException(source + " " + at + " has no security: say [] for a public operation or name"
                        + " its authorizer; API Gateway would otherwise apply none");
            }
            Optional<String> guard = requirements.stream().flatMap(r -> map(r, source + " " + at + ".security").keySet().stream())
                    .findFirst();
            guard.ifPresent(name -> {
                if (!authorizers.containsKey(name)) {
                    throw new TemplateException(source + " " + at + ".security names " + name
                            + ", which is no Lambda authorizer of components.securitySchemes");
                }
            });
            security.put(method.toUpperCase(Locale.ROOT) + " " + path, guard);
        }));

        Map<String, GatewayResponseDef> responses = new LinkedHashMap<>();
        map(root.get("x-amazon-apigateway-gateway-responses"), source + " x-amazon-apigateway-gateway-responses")
                .forEach((type, body) -> {
                    String at = "x-amazon-apigateway-gateway-responses." + type;
                    Map<String, Object> response = map(resolve.apply(body, at), source + " " + at);
                    Optional<Integer> status = response.containsKey("statusCode")
                            ? Optional.of(Integer.parseInt(String.valueOf(response.get("statusCode")))) : Optional.empty();
                    Map<String, String> headers = new LinkedHashMap<>();
                    map(response.get("responseParameters"), source + " " + at + ".responseParameters").forEach((key, value) -> {
                        String literal = String.valueOf(value);
                        if (!key.startsWith("gatewayresponse.header.") || literal.length() < 2 || !literal.startsWith("'")
                                || !literal.endsWith("'")) {
                            throw new TemplateException(source + " " + at + ".responseParameters." + key + " is " + literal
                                    + "; the devserver plays only gatewayresponse.header.<name>: '<literal>'");
                        }
                        headers.put(key.substring("gatewayresponse.header.".length()), literal.substring(1, literal.length() - 1));
                    });
                    Map<String, Object> templates = map(response.get("responseTemplates"), source + " " + at + ".responseTemplates");
                    responses.put(type, new GatewayResponseDef(type, status, headers,
                            Optional.ofNullable(templates.get("application/json")).map(String::valueOf)));
                });
        Object binary = resolve.apply(root.get("x-amazon-apigateway-binary-media-types"), "x-amazon-apigateway-binary-media-types");
        List<String> binaryTypes = binary instanceof List<?> list
                ? list.stream().map(type -> String.valueOf(type).replace("~1", "/")).toList() : List.of();
        return Optional.of(new OpenApiDefinition(file, authorizers, security, responses, binaryTypes));
    }

    /** The function a {@code Fn::Sub} URI names with {@code ${Function.Alias}} (or {@code .Arn}). */
    private static String functionOf(Object uri, Set<String> functionIds, String where) {
        String text = uri instanceof Map<?, ?> sub && sub.get("Fn::Sub") != null ? String.valueOf(sub.get("Fn::Sub")) : String.valueOf(uri);
        Matcher matcher = FUNCTION_REFERENCE.matcher(text);
        if (!matcher.find() || !functionIds.contains(matcher.group(1))) {
            throw new TemplateException(where + " is " + text + "; it must name a function of this template as "
                    + "${Function.Alias} (or ${Function.Arn}) in an Fn::Sub");
        }
        return matcher.group(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new TemplateException(where + " must be a mapping.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) map).forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
