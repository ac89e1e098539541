package io.reel.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.localaws.template.TemplateResources;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The lifecycle of LocalAws itself: persistence across restarts and clear port errors. */
class LocalAwsIT {

    @Test
    void persistentData_survivesARestart(@TempDir Path data) {
        Path template = TemplateResources.locateTemplate(Path.of(""));
        try (LocalAws aws = LocalAws.builder().dataDirectory(data).start()) {
            var names = aws.provision(template, ResourceNamer.plain());
            try (var dynamo = aws.clients().dynamoDb(); var s3 = aws.clients().s3()) {
                dynamo.putItem(r -> r.tableName(names.table("UsersTable")).item(Map.of("username", AttributeValue.fromS("ana"))));
                s3.putObject(r -> r.bucket(names.bucket("MediaBucket")).key("videos/v/poster.jpg"), RequestBody.fromString("jpeg"));
            }
        }

        try (LocalAws aws = LocalAws.builder().dataDirectory(data).start()) {
            var names = aws.provision(template, ResourceNamer.plain());
            try (var dynamo = aws.clients().dynamoDb(); var s3 = aws.clients().s3()) {
                var item = dynamo.getItem(r -> r.tableName(names.table("UsersTable")).key(Map.of("username", AttributeValue.fromS("ana")))).item();
                assertThat(item).containsKey("username");
                assertThat(s3.getObjectAsBytes(r -> r.bucket(names.bucket("MediaBucket")).key("videos/v/poster.jpg")).asUtf8String())
                        .isEqualTo("jpeg");
            }
        }
    }

    @Test
    void requestedS3PortInUse_namesThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> LocalAws.builder().s3Port(port).start())
                    .isInstanceOf(LocalAwsException.class)
                    .hasMessageContaining("S3Proxy")
                    .hasMessageContaining(Integer.toString(port))
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void requestedDynamoDbPortInUse_namesThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> LocalAws.builder().dynamoDbPort(port).start())
                    .isInstanceOf(LocalAwsException.class)
                    .hasMessageContaining("DynamoDB Local")
                    .hasMessageContaining(Integer.toString(port));
        }
    }

    @Test
    void freePorts_areChosenWhenNoneRequested() {
        try (LocalAws first = LocalAws.builder().start(); LocalAws second = LocalAws.builder().start()) {
            assertThat(first.s3Endpoint()).isNotEqualTo(second.s3Endpoint());
            assertThat(first.dynamoDbEndpoint()).isNotEqualTo(second.dynamoDbEndpoint());
            assertThat(first.startTime()).isPositive();
            try (var dynamo = second.clients().dynamoDb()) {
                assertThat(dynamo.listTables().tableNames()).isEmpty();
            }
        }
    }

    @Test
    void invalidPort_isRefusedAtOnce() {
        assertThatThrownBy(() -> LocalAws.builder().s3Port(70000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    }
}
