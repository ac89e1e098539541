package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.reel.core.Json;
import io.reel.devserver.app.ApplicationLoader;
import io.reel.devserver.app.FunctionDef;
import io.reel.localaws.ProvisionedResources;
import io.reel.localaws.ResourceNamer;
import io.reel.localaws.template.BucketSpec;
import io.reel.localaws.template.CloudFormationTemplate;
import io.reel.localaws.template.IntrinsicResolver;
import io.reel.localaws.template.TableSpec;
import io.reel.localaws.template.TemplateResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code events/env.json}, the file of {@code sam local invoke --env-vars}, against {@code template.yaml} and the
 * devserver. SAM CLI hands a function only the variables the template declares for it (its own and Globals'), silently
 * dropping any other name in the file, and resolves {@code !Ref} to logical ids; so the file must name exactly the
 * declared variables of every function, with the values the devserver gives them: its table and bucket names
 * ({@link ResourceNamer#plain()}), its stack name in {@code TOKEN_ISSUER}, the parameters' defaults.
 */
class EnvVarsFileTest {
    private static final Path TEMPLATE = Path.of("../template.yaml");
    private static final Path ENV_VARS = Path.of("../events/env.json");

    /**
     * Where a Lambda container started by {@code sam local invoke} finds the devserver (events/README.md): the emulators
     * on the ports {@code ./run.sh --dynamodb-port 8000 --s3-port 9000} pins, the local keys linked into the function's
     * code folder. template.yaml does not declare these yet, so SAM would drop them; once it does, env.json must carry
     * exactly these values.
     */
    static final Map<String, String> CONTAINER_VALUES = Map.of(
            "AWS_ENDPOINT_URL_DYNAMODB", "http://host.docker.internal:8000",
            "AWS_ENDPOINT_URL_S3", "http://host.docker.internal:9000",
            "REEL_LOCAL_KEYS_DIR", "/var/task/.reel-keys");

    @Test
    void envVarsFile_namesEveryDeclaredVariableWithTheDevserversValue() throws IOException {
        assertThat(problems(CloudFormationTemplate.load(TEMPLATE), read(ENV_VARS)))
                .as("events/env.json disagrees with template.yaml or the devserver")
                .isEmpty();
    }

    @Test
    void aVariableMissingFromTheFile_isNamed() throws IOException {
        Map<String, Object> file = read(ENV_VARS);
        function(file, "MediaFunction").remove("UPLOADS_BUCKET");

        assertThat(introduced(file)).singleElement().asString().contains("MediaFunction", "UPLOADS_BUCKET", "missing");
    }

    @Test
    void aVariableTheTemplateDoesNotDeclare_isNamed() throws IOException {
        Map<String, Object> file = read(ENV_VARS);
        function(file, "AuthorizerFunction").put("UPLOADS_BUCKET", "uploads");

        assertThat(introduced(file)).singleElement().asString()
                .contains("AuthorizerFunction", "UPLOADS_BUCKET", "does not declare");
    }

    @Test
    void aFunctionTheTemplateDoesNotHave_isNamed() throws IOException {
        Map<String, Object> file = read(ENV_VARS);
        file.put("ThumbnailFunction", new LinkedHashMap<>(Map.of("MEDIA_BUCKET", "media")));
        file.remove("TranscodeFunction");

        assertThat(introduced(file))
                .anySatisfy(problem -> assertThat(problem).contains("ThumbnailFunction", "no such function"))
                .anySatisfy(problem -> assertThat(problem).contains("TranscodeFunction", "missing"));
    }

    @Test
    void aTableOrBucketNamedOtherwise_isNamedWithTheDevserversName() throws IOException {
        Map<String, Object> file = read(ENV_VARS);
        function(file, "AuthFunction").put("USERS_TABLE", "reel-UsersTable-1A2B3C");
        function(file, "TranscodeFunction").put("MEDIA_BUCKET", "MediaBucket");

        assertThat(introduced(file))
                .anySatisfy(problem -> assertThat(problem).contains("AuthFunction", "USERS_TABLE", "UsersTable", "'Users'"))
                .anySatisfy(problem -> assertThat(problem).contains("TranscodeFunction", "MEDIA_BUCKET", "MediaBucket", "'media'"))
                .hasSize(2);
    }

    @Test
    void anotherValueThanTheDevserversOrANonString_isNamed() throws IOException {
        Map<String, Object> file = read(ENV_VARS);
        function(file, "AuthorizerFunction").put("TOKEN_ISSUER", "urn:reel:reel");
        function(file, "MediaFunction").put("MAX_UPLOAD_BYTES", 5368709120L);

        assertThat(introduced(file))
                .anySatisfy(problem -> assertThat(problem).contains("AuthorizerFunction", "TOKEN_ISSUER", "urn:reel:reel-local"))
                .anySatisfy(problem -> assertThat(problem).contains("MediaFunction", "MAX_UPLOAD_BYTES", "string"))
                .hasSize(2);
    }

    @Test
    void containerVariables_onceDeclared_mustCarryTheContainersValues() {
        CloudFormationTemplate template = CloudFormationTemplate.parse("declares-endpoints.yaml", """
                Globals:
                  Function:
                    Environment:
                      Variables:
                        AWS_ENDPOINT_URL_DYNAMODB: ''
                        ITEMS_TABLE: !Ref ItemsTable
                Resources:
                  ItemsTable:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                  ItemsFunction:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: io.reel.Items::handleRequest}
                """);
        Map<String, Object> file = new LinkedHashMap<>(Map.of("ItemsFunction", new LinkedHashMap<>(Map.of(
                "ITEMS_TABLE", "Items", "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000"))));

        assertThat(problems(template, file)).singleElement().asString()
                .contains("ItemsFunction", "AWS_ENDPOINT_URL_DYNAMODB", "http://host.docker.internal:8000");
    }

    /**
     * The problems an edited copy of env.json has that the file itself has not: the tests of the checker pass or fail
     * on the checker alone, whatever the file's own state (which the first test reports).
     */
    private static List<String> introduced(Map<String, Object> edited) throws IOException {
        CloudFormationTemplate template = CloudFormationTemplate.load(TEMPLATE);
        List<String> before = problems(template, read(ENV_VARS));
        return problems(template, edited).stream().filter(problem -> !before.contains(problem)).toList();
    }

    /** Every disagreement, each naming the function and the variable; empty when the file is right. */
    static List<String> problems(CloudFormationTemplate template, Map<String, Object> file) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> declared = declaredVariables(template);
        Map<String, FunctionDef> devserver = devserverFunctions(template);
        TemplateResources resources = TemplateResources.from(template);
        ResourceNamer namer = ResourceNamer.plain();
        file.keySet().stream().filter(name -> !declared.containsKey(name)).forEach(name -> problems.add(name
                + ": events/env.json names it, but template.yaml has no such function (functions: " + declared.keySet() + ")"));
        declared.forEach((functionId, variables) -> {
            if (!(file.get(functionId) instanceof Map<?, ?> entry)) {
                problems.add(functionId + ": missing from events/env.json (or not a JSON object of variables)");
                return;
            }
            variables.keySet().stream().filter(name -> !entry.containsKey(name)).forEach(name -> problems.add(functionId + "."
                    + name + ": template.yaml declares it for this function, but events/env.json is missing it"));
            entry.forEach((key, value) -> {
                String name = String.valueOf(key);
                if (!variables.containsKey(name)) {
                    problems.add(functionId + "." + name + ": in events/env.json, but template.yaml does not declare it for this "
                            + "function (sam local invoke passes only declared variables: it would be dropped)");
                    return;
                }
                if (!(value instanceof String given)) {
                    problems.add(functionId + "." + name + ": " + value + " in events/env.json is not a JSON string");
                    return;
                }
                Optional<String> resource = reference(variables.get(name));
                String expected;
                String because;
                if (CONTAINER_VALUES.containsKey(name)) {
                    expected = CONTAINER_VALUES.get(name);
                    because = "a Lambda container reaches the devserver with";
                } else if (resource.isPresent() && resources.table(resource.get()).isPresent()) {
                    expected = namer.table(resource.get());
                    because = "the devserver names table " + resource.get();
                } else if (resource.isPresent() && resources.buckets().stream().anyMatch(b -> b.logicalId().equals(resource.get()))) {
                    expected = namer.bucket(resource.get());
                    because = "the devserver names bucket " + resource.get();
                } else {
                    expected = devserver.get(functionId).environment().get(name);
                    because = "the devserver gives it";
                }
                if (!given.equals(expected)) {
                    problems.add(functionId + "." + name + ": '" + given + "' in events/env.json, but " + because + " '"
                            + expected + "'");
                }
            });
        });
        return problems;
    }

    /** Per function, its declared variables (Globals' under its own) with their template values, intrinsics unresolved. */
    private static Map<String, Map<String, Object>> declaredVariables(CloudFormationTemplate template) {
        Map<String, Object> globals = variables(template.section("Globals").get("Function"));
        Map<String, Map<String, Object>> declared = new LinkedHashMap<>();
        for (CloudFormationTemplate.Resource function : template.resourcesOfType(ApplicationLoader.FUNCTION)) {
            Map<String, Object> variables = new LinkedHashMap<>(globals);
            variables.putAll(variables(function.properties()));
            declared.put(function.logicalId(), variables);
        }
        return declared;
    }

    private static Map<String, Object> variables(Object properties) {
        if (properties instanceof Map<?, ?> props && props.get("Environment") instanceof Map<?, ?> environment
                && environment.get("Variables") instanceof Map<?, ?> variables) {
            return variables.entrySet().stream().collect(Collectors.toMap(e -> String.valueOf(e.getKey()), e -> e.getValue(),
                    (a, b) -> b, LinkedHashMap::new));
        }
        return Map.of();
    }

    /** The logical id of {@code !Ref X}. */
    private static Optional<String> reference(Object templateValue) {
        return templateValue instanceof Map<?, ?> map && map.size() == 1 && map.get("Ref") instanceof String id
                ? Optional.of(id) : Optional.empty();
    }

    /** The functions as the devserver loads them: its names, its stand-ins for intrinsics, the parameters' defaults. */
    private static Map<String, FunctionDef> devserverFunctions(CloudFormationTemplate template) {
        TemplateResources resources = TemplateResources.from(template);
        ResourceNamer namer = ResourceNamer.plain();
        ProvisionedResources names = new ProvisionedResources(
                resources.tables().stream().collect(Collectors.toMap(TableSpec::logicalId, t -> namer.table(t.logicalId()))),
                resources.buckets().stream().collect(Collectors.toMap(BucketSpec::logicalId, b -> namer.bucket(b.logicalId()))));
        IntrinsicResolver resolver = new IntrinsicResolver(template, DevServer.resolverContext(template, names, Map.of()));
        return new ApplicationLoader(template, resolver).load().functions();
    }

    private static Map<String, Object> read(Path file) throws IOException {
        return Json.mapper().readValue(Files.readString(file), new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> function(Map<String, Object> file, String functionId) {
        return (Map<String, Object>) file.get(functionId);
    }
}
