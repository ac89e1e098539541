package io.reel.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API as CloudFormation hands it to SAM: api/openapi.yaml included first (scripts/sam-translate.py --include), then
 * aws-sam-translator. Every operation calls its function's live alias and the authorizer its live alias (no
 * {@code .Alias} left unresolved), API Gateway may invoke the authorizer, every route of the functions' events has its
 * invoke permission, and an edit of the OpenAPI file makes a new deployment (or the stage would keep serving the old).
 */
class SamTransformIT {
    private static final java.util.Set<String> METHODS = java.util.Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private static JsonNode translate(Path folder) throws IOException {
        Repo.requireTool(Repo.commandWorks("python3", "-c", "import samtranslator"), "aws-sam-translator");
        Repo.Run run = Repo.run(folder, Map.of(), 180, "python3", Repo.ROOT.resolve("scripts/sam-translate.py").toString(),
                "--include", "template.yaml");
        if (run.exit() != 0) {
            fail("SAM's transform refused the template with its OpenAPI included:%n%s", run.err());
        }
        return new ObjectMapper().readTree(run.out());
    }

    @Test
    void everyOperationAndTheAuthorizer_callLiveAliases_andMayBeInvoked() throws IOException {
        JsonNode template = translate(Repo.ROOT);
        JsonNode resources = template.path("Resources");
        assertThat(template.toString()).as("no .Alias reference left for CloudFormation").doesNotContain(".Alias}");

        JsonNode body = resources.path("Api").path("Properties").path("Body");
        List<String> problems = new ArrayList<>();
        body.path("paths").properties().forEach(path -> path.getValue().properties().stream()
                .filter(op -> METHODS.contains(op.getKey())).forEach(op -> {
            JsonNode integration = op.getValue().path("x-amazon-apigateway-integration");
            String uri = integration.path("uri").path("Fn::Sub").asText(integration.path("uri").asText());
            if (op.getKey().equals("options")) {
                if (!"mock".equals(integration.path("type").asText())) {
                    problems.add("OPTIONS " + path.getKey() + " is not a mock preflight");
                }
            } else if (!uri.matches(".*\\$\\{(Auth|Media)FunctionAliaslive}/invocations")) {
                problems.add(op.getKey().toUpperCase() + " " + path.getKey() + " calls " + uri);
            }
        }));
        assertThat(problems).isEmpty();

        String authorizerUri = body.path("components").path("securitySchemes").path("JwtAuthorizer")
                .path("x-amazon-apigateway-authorizer").path("authorizerUri").path("Fn::Sub").asText();
        assertThat(authorizerUri).contains("${AuthorizerFunctionAliaslive}");
        JsonNode permission = resources.path("ApiAuthorizerPermission").path("Properties");
        assertThat(permission.path("FunctionName").path("Ref").asText()).isEqualTo("AuthorizerFunctionAliaslive");
        assertThat(permission.path("Principal").asText()).isEqualTo("apigateway.amazonaws.com");

        long routes = resources.properties().stream().filter(e -> e.getKey().endsWith("PermissionStage")).count();
        long operations = body.path("paths").properties().stream()
                .mapToLong(p -> p.getValue().properties().stream()
                        .filter(o -> METHODS.contains(o.getKey()) && !o.getKey().equals("options")).count()).sum();
        assertThat(routes).as("an invoke permission per route (the functions' Api events)").isEqualTo(operations);
    }

    @Test
    void anEditOfTheOpenApiFile_makesANewDeployment(@TempDir Path copy) throws IOException {
        Files.copy(Repo.TEMPLATE, copy.resolve("template.yaml"));
        Files.createDirectories(copy.resolve("api"));
        Path api = copy.resolve("api/openapi.yaml");
        Files.copy(Repo.ROOT.resolve("api/openapi.yaml"), api);
        String before = deploymentId(translate(copy));
        Files.writeString(api, Files.readString(api).replaceFirst("title: Reel API", "title: Reel API (edited)"));
        String after = deploymentId(translate(copy));
        assertThat(after).as("the ApiDeployment logical id after an edit").isNotEqualTo(before);
    }

    private static String deploymentId(JsonNode template) {
        return template.path("Resources").properties().stream().map(Map.Entry::getKey)
                .filter(k -> k.startsWith("ApiDeployment")).findFirst().orElseThrow();
    }
}
