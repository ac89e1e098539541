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

    private static Application load(String yaml) {
        return load(CloudFormationTemplate.parse("t.yaml", yaml));
    }

    private static Application load(CloudFormationTemplate template) {
        Map<String, String> refs = new java.util.LinkedHashMap<>();
        Map<String, Map<String, String>> attributes = new java.util.LinkedHashMap<>();
        template.resources().forEach(r -> {
            refs.put(r.logicalId(), r.logicalId().replace("Table", "") + "-local");
            attributes.put(r.logicalId(), Map.of("Arn", "arn:aws:lambda:us-east-1:000000000000:function:" + r.logicalId()));
        });
        var context = new IntrinsicResolver.Context(Map.of(), Map.of("AWS::Region", "us-east-1", "AWS::AccountId", "000000000000"),
                refs, attributes);
        return new ApplicationLoader(template, new IntrinsicResolver(template, context)).load();
    }
}
