package io.reel.devserver.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.localaws.template.CloudFormationTemplate;
import io.reel.localaws.template.IntrinsicResolver;
import io.reel.localaws.template.TemplateException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplicationLoaderTest {

    @Test
    void fixture_globalsAndIntrinsicsAreApplied() {
        Application app = load(CloudFormationTemplate.load(Path.of("src/test/resources/fixture/template.yaml")));

        FunctionDef echo = app.functions().get("EchoFunction");
        assertThat(echo.handler()).isEqualTo("io.reel.devserver.fixtures.EchoHandler::handleRequest");
        assertThat(echo.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(echo.memoryMb()).isEqualTo(256);
        assertThat(echo.environment()).containsEntry("TABLE", "Items-local").containsEntry("GREETING", "hello-us-east-1")
                .containsEntry("MODE", "testing").doesNotContainKey("DROPPED");
        assertThat(app.functions().get("HangingFunction").timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(echo.routes()).extracting(ApiRoute::path).contains("/items/{id}", "/files/{proxy+}", "/public");
        assertThat(echo.routes()).filteredOn(r -> r.path().equals("/public")).singleElement()
                .satisfies(r -> assertThat(r.authorizer()).isEmpty());
        assertThat(echo.routes()).filteredOn(r -> r.path().equals("/items/{id}")).singleElement()
                .satisfies(r -> assertThat(r.authorizer()).contains("TokenAuth"));
        ApiDef api = app.api().orElseThrow();
        assertThat(api.stage()).isEqualTo("test");
        AuthorizerDef auth = api.authorizers().get("TokenAuth");
        assertThat(auth.functionId()).isEqualTo("AuthorizerFunction");
        assertThat(auth.reauthorizeEvery()).isEqualTo(Duration.ofSeconds(2));
        assertThat(app.s3Triggers()).extracting(S3Trigger::prefix).containsExactlyInAnyOrder("incoming/", "flaky/");
    }

    @Test
    void missingHandler_namesFunctionAndProperty() {
        assertThatThrownBy(() -> load("""
                Resources:
                  Broken:
                    Type: AWS::Serverless::Function
                    Properties: {Timeout: 3}
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("Broken").hasMessageContaining("Handler");
    }

    @Test
    void handlerWithoutMethod_isExplained() {
        assertThatThrownBy(() -> load("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: io.reel.Foo}
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("Fn").hasMessageContaining("::method");
    }

    @Test
    void nonNumericTimeout_isNamed() {
        assertThatThrownBy(() -> load("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: a.B::c, Timeout: soon}
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("Timeout").hasMessageContaining("soon");
    }

    @Test
    void gatewayResponses_areReadWithTheirHeadersAndTemplate_andRenderedAsApiGatewayWould() {
        ApiDef api = load("""
                Resources:
                  Api:
                    Type: AWS::Serverless::Api
                    Properties:
                      StageName: prod
                      GatewayResponses:
                        DEFAULT_4XX:
                          ResponseParameters:
                            Headers: {Content-Type: "'application/problem+json'"}
                          ResponseTemplates:
                            application/json: '{"title":"$context.error.responseType","status":$context.error.statusCode,"detail":$context.error.messageString,"ref":"$context.requestId"}'
                        THROTTLED:
                          StatusCode: 503
                """).api().orElseThrow();

        GatewayResponseDef fourxx = api.gatewayResponse("UNAUTHORIZED", 401).orElseThrow();
        assertThat(fourxx.headers()).containsExactly(Map.entry("Content-Type", "application/problem+json"));
        assertThat(new String(fourxx.render("UNAUTHORIZED", 401, "Un\"auth\\orized", "req-1"), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"title\":\"UNAUTHORIZED\",\"status\":401,\"detail\":\"Un\\\"auth\\\\orized\",\"ref\":\"req-1\"}");
        assertThat(api.gatewayResponse("THROTTLED", 429).orElseThrow().statusCode()).contains(503);
        assertThat(api.gatewayResponse("INTEGRATION_TIMEOUT", 504)).as("no DEFAULT_5XX declared").isEmpty();
    }

    @Test
    void gatewayResponseHeader_thatIsNotALiteral_isNamed() {
        assertThatThrownBy(() -> load("""
                Resources:
                  Api:
                    Type: AWS::Serverless::Api
                    Properties:
                      StageName: prod
                      GatewayResponses:
                        DEFAULT_4XX:
                          ResponseParameters:
                            Headers: {X-Origin: method.request.header.Origin}
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("GatewayResponses.DEFAULT_4XX")
                .hasMessageContaining("X-Origin").hasMessageContaining("quoted literal");
    }

    @Test
    void unknownAuthorizer_isNamed() {
        assertThatThrownBy(() -> load("""
                Resources:
                  Api:
                    Type: AWS::Serverless::Api
                    Properties: {StageName: prod}
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::c
                      Events:
                        E: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /x, Method: get, Auth: {Authorizer: Ghost}}}
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("Ghost").hasMessageContaining("Fn");
    }

    @Test
    void invalidValidationExpression_isNamed() {
        assertThatThrownBy(() -> load("""
                Resources:
                  Api:
                    Type: AWS::Serverless::Api
                    Properties:
                      StageName: prod
                      Auth:
                        Authorizers:
                          A: {FunctionArn: !GetAtt Fn.Arn, Identity: {ValidationExpression: '^Bearer (['}}
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: a.B::c}
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("ValidationExpression");
    }

    @Test
    void unsupportedIntrinsic_namesResourceAndProperty() {
        assertThatThrownBy(() -> load("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::c
                      Environment: {Variables: {X: !ImportValue shared-thing}}
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("Fn").hasMessageContaining("Environment.Variables.X")
                .hasMessageContaining("ImportValue");
    }

    @Test
    void s3EventWithoutBucketRef_isNamed() {
        assertThatThrownBy(() -> load("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::c
                      Events: {Up: {Type: S3, Properties: {Bucket: some-name, Events: s3:ObjectCreated:*}}}
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("Bucket");
    }

    private static final String OPENAPI_TEMPLATE = """
            Resources:
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: prod
                  DefinitionBody:
                    Fn::Transform: {Name: AWS::Include, Parameters: {Location: api/openapi.yaml}}
              AuthorizerFunction:
                Type: AWS::Serverless::Function
                Properties: {Handler: io.reel.A::handle}
              ItemsFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: io.reel.I::handle
                  Events:
                    Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: '/items/{id}', Method: get}}
                    Health: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /health, Method: get}}
            """;

    private static final String OPENAPI = """
            openapi: 3.0.1
            x-amazon-apigateway-binary-media-types: ['image/*', 'application/octet-stream']
            paths:
              /items/{id}:
                get:
                  security: [{Jwt: []}]
                  x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: {Fn::Sub: 'arn:x:${ItemsFunction.Alias}/invocations'}}
              /health:
                get:
                  security: []
                  x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: {Fn::Sub: 'arn:x:${ItemsFunction.Alias}/invocations'}}
            components:
              securitySchemes:
                Jwt:
                  type: apiKey
                  name: Authorization
                  in: header
                  x-amazon-apigateway-authtype: custom
                  x-amazon-apigateway-authorizer:
                    type: token
                    authorizerUri: {Fn::Sub: 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthorizerFunction.Alias}/invocations'}
                    identityValidationExpression: '^Bearer .+$'
                    authorizerResultTtlInSeconds: 30
            x-amazon-apigateway-gateway-responses:
              DEFAULT_4XX:
                responseParameters: {gatewayresponse.header.Content-Type: "'application/problem+json'"}
                responseTemplates: {application/json: '{"status":$context.error.statusCode}'}
            """;

    private static Application loadWithOpenApi(Path dir, String template, String openApi) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("api"));
        java.nio.file.Files.writeString(dir.resolve("template.yaml"), template);
        java.nio.file.Files.writeString(dir.resolve("api/openapi.yaml"), openApi);
        return load(CloudFormationTemplate.load(dir.resolve("template.yaml")));
    }

    @Test
    void anIncludedOpenApiDefinition_givesTheAuthorizers_eachRoutesGuard_andTheGatewayResponses(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Application app = loadWithOpenApi(dir, OPENAPI_TEMPLATE, OPENAPI);

        ApiDef api = app.api().orElseThrow();
        AuthorizerDef jwt = api.authorizers().get("Jwt");
        assertThat(jwt.functionId()).isEqualTo("AuthorizerFunction");
        assertThat(jwt.reauthorizeEvery()).isEqualTo(Duration.ofSeconds(30));
        assertThat(jwt.validationExpression().orElseThrow().pattern()).isEqualTo("^Bearer .+$");
        var routes = app.functions().get("ItemsFunction").routes();
        assertThat(routes).filteredOn(r -> r.path().equals("/items/{id}")).singleElement()
                .satisfies(r -> assertThat(r.authorizer()).contains("Jwt"));
        assertThat(routes).filteredOn(r -> r.path().equals("/health")).singleElement()
                .satisfies(r -> assertThat(r.authorizer()).isEmpty());
        assertThat(api.gatewayResponse("UNAUTHORIZED", 401).orElseThrow().headers())
                .containsEntry("Content-Type", "application/problem+json");
        assertThat(api.isBinary("image/png")).isTrue();
        assertThat(api.isBinary("application/json")).isFalse();
    }

    @Test
    void anEventWithItsOwnAuth_whenTheDefinitionIsIncluded_isNamed(@org.junit.jupiter.api.io.TempDir Path dir) {
        String eventAuth = OPENAPI_TEMPLATE.replace("Path: /health, Method: get}", "Path: /health, Method: get, Auth: {Authorizer: NONE}}");
        assertThatThrownBy(() -> loadWithOpenApi(dir, eventAuth, OPENAPI)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("GET /health").hasMessageContaining("security");
    }

    @Test
    void apiPropertiesSamCannotMergeIntoAnIncludedDefinition_areNamed(@org.junit.jupiter.api.io.TempDir Path dir) {
        String withBinary = OPENAPI_TEMPLATE.replace("StageName: prod", "StageName: prod\n      BinaryMediaTypes: ['image/*']");
        assertThatThrownBy(() -> loadWithOpenApi(dir, withBinary, OPENAPI)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("BinaryMediaTypes").hasMessageContaining("openapi.yaml");
    }

    @Test
    void aRouteTheOpenApiFileLacks_andAnOperationWithoutSecurity_areNamed(@org.junit.jupiter.api.io.TempDir Path dir) {
        String withoutHealth = OPENAPI.substring(0, OPENAPI.indexOf("  /health:")) + OPENAPI.substring(OPENAPI.indexOf("components:"));
        assertThatThrownBy(() -> loadWithOpenApi(dir.resolve("a"), OPENAPI_TEMPLATE, withoutHealth))
                .isInstanceOf(TemplateException.class).hasMessageContaining("GET /health").hasMessageContaining("does not declare");
        String noSecurity = OPENAPI.replace("      security: []\n", "");
        assertThatThrownBy(() -> loadWithOpenApi(dir.resolve("b"), OPENAPI_TEMPLATE, noSecurity))
                .isInstanceOf(TemplateException.class).hasMessageContaining("paths./health.get has no security");
    }

    private static Application load(String yaml) {
        return load(CloudFormationTemplate.parse("t.yaml", yaml));
    }

    static Application load(CloudFormationTemplate template) {
        Map<String, String> refs = new java.util.LinkedHashMap<>();
        Map<String, Map<String, String>> attributes = new java.util.LinkedHashMap<>();
        template.resources().forEach(r -> {
            refs.put(r.logicalId(), r.logicalId().replace("Table", "") + "-local");
            attributes.put(r.logicalId(), Map.of("Arn", "arn:aws:lambda:us-east-1:000000000000:function:" + r.logicalId()));
            if (r.type().equals(ApplicationLoader.STATE_MACHINE)) {
                String arn = ApplicationLoader.stateMachineArn("us-east-1", "000000000000", r.logicalId());
                refs.put(r.logicalId(), arn);
                attributes.put(r.logicalId(), Map.of("Arn", arn, "Name", r.logicalId()));
            }
        });
        var context = new IntrinsicResolver.Context(Map.of(), Map.of("AWS::Region", "us-east-1", "AWS::AccountId", "000000000000"),
                refs, attributes);
        return new ApplicationLoader(template, new IntrinsicResolver(template, context)).load();
    }
}
