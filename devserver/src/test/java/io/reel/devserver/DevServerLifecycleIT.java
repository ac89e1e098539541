package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.localaws.template.TemplateException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Start-up, restart and the start-up errors a developer can cause. */
class DevServerLifecycleIT {
    private static final Path TEMPLATE = DevServerIT.FIXTURE.resolve("template.yaml");
    private static final Path SITE = DevServerIT.FIXTURE.resolve("site");

    @Test
    void restart_keepsData(@TempDir Path data) {
        try (DevServer server = DevServer.builder().template(TEMPLATE).siteDirectory(SITE).port(0).dataDirectory(data).start();
             var dynamo = server.localAws().clients().dynamoDb(); var s3 = server.localAws().clients().s3()) {
            dynamo.putItem(r -> r.tableName("Items").item(Map.of("id", AttributeValue.fromS("kept"))));
            s3.putObject(r -> r.bucket("drop").key("kept.txt"), RequestBody.fromString("still here"));
        }
        try (DevServer server = DevServer.builder().template(TEMPLATE).siteDirectory(SITE).port(0).dataDirectory(data).start();
             var dynamo = server.localAws().clients().dynamoDb(); var s3 = server.localAws().clients().s3()) {
            assertThat(dynamo.getItem(r -> r.tableName("Items").key(Map.of("id", AttributeValue.fromS("kept")))).item()).isNotEmpty();
            assertThat(s3.getObjectAsBytes(r -> r.bucket("drop").key("kept.txt")).asUtf8String()).isEqualTo("still here");
        }
    }

    @Test
    void inMemory_theKeysAndDemoPasswordsFolder_isRemovedOnClose() {
        Path keys;
        try (DevServer server = DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(SITE).port(0).start()) {
            keys = server.temporaryKeysDirectory().orElseThrow();
            assertThat(keys).isDirectoryContaining(file -> file.getFileName().toString().endsWith(".pem"));
            assertThat(server.dataDirectory()).isEmpty();
        }
        assertThat(keys).doesNotExist();
    }

    @Test
    void anUnbuiltPage_isA503ThatSaysHowToBuildIt_whileTheApiAnswers(@TempDir Path empty) throws Exception {
        try (DevServer server = DevServer.builder().template(TEMPLATE).siteDirectory(empty).port(0).start()) {
            var http = java.net.http.HttpClient.newHttpClient();
            var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUri() + "/watch/x")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.body()).contains("The web page is not built", "./run.sh", "npm --prefix frontend ci");
            var api = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUri() + "/api/nothing")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).as("the gateway still answers").isEqualTo(403);
        }
    }

    @Test
    void banner_listsUrlRoutesAndTriggers() {
        try (DevServer server = DevServer.builder().template(TEMPLATE).siteDirectory(SITE).port(0).start()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DevServerMain.banner(new PrintStream(out, true, StandardCharsets.UTF_8), server, "/tmp/data");

            String banner = out.toString(StandardCharsets.UTF_8);
            assertThat(banner).contains(server.baseUri().toString(), "/tmp/data", "GET", "/api/items/{id}", "EchoFunction",
                    "TokenAuth", "NONE (public)", "S3 trigger", "DropFunction");
            assertThat(server.startTime()).isPositive();
        }
    }

    @Test
    void portInUse_isNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> DevServer.builder().template(TEMPLATE).siteDirectory(SITE).port(taken.getLocalPort()).start())
                    .isInstanceOf(DevServerException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort())
                    .hasMessageContaining("in use")
                    .hasMessageContaining("--port");
        }
    }

    @Test
    void missingHandlerClass_namesTheFunction(@TempDir Path dir) throws Exception {
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, Files.readString(TEMPLATE)
                .replace("io.reel.devserver.fixtures.BinaryEchoHandler::handleRequest", "io.reel.nowhere.Missing::handleRequest"));

        assertThatThrownBy(() -> DevServer.builder().template(template).siteDirectory(SITE).port(0).start())
                .isInstanceOf(DevServerException.class)
                .hasMessageContaining("BinaryFunction")
                .hasMessageContaining("io.reel.nowhere.Missing");
    }

    @Test
    void malformedTemplate_namesTheResource(@TempDir Path dir) throws Exception {
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, Files.readString(TEMPLATE).replace("      Handler: io.reel.devserver.fixtures.FixtureAuthorizer::handleRequest\n",
                "      Timeout: 3\n"));

        assertThatThrownBy(() -> DevServer.builder().template(template).siteDirectory(SITE).port(0).start())
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("AuthorizerFunction")
                .hasMessageContaining("Handler");
    }

    @Test
    void missingTemplate_isNamed() {
        assertThatThrownBy(() -> DevServer.builder().template(Path.of("no/such/template.yaml")).start())
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("no/such/template.yaml");
    }
}
