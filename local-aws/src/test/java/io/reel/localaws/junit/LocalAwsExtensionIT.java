package io.reel.localaws.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Each test class gets its own tables; @Nested classes share their parent's. */
@ExtendWith(LocalAwsExtension.class)
class LocalAwsExtensionIT {

    @Test
    void classesAreIsolated(AwsTestResources aws) {
        aws.dynamoDb().putItem(r -> r.tableName(aws.table("UsersTable")).item(Map.of("username", AttributeValue.fromS("only-here"))));

        assertThat(aws.table("UsersTable")).contains("localawsextensionit");
        assertThat(aws.dynamoDb().scan(r -> r.tableName(aws.table("UsersTable"))).count()).isEqualTo(1);
        assertThat(aws.backendName()).contains("embedded");
    }

    @Nested
    class Inner {
        @Test
        void sharesTheEnclosingClassesResources(AwsTestResources aws) {
            assertThat(aws.table("UsersTable")).contains("localawsextensionit");
        }
    }

    @Test
    void functionVariables_resolveRefsToProvisionedNames(AwsTestResources aws) {
        assertThat(aws.env().string("SESSIONS_TABLE")).isEqualTo(aws.table("SessionsTable"));
        assertThat(aws.env().string("UPLOADS_BUCKET")).isEqualTo(aws.bucket("UploadsBucket"));
        assertThat(aws.env().optional("CORS_ALLOW_ORIGIN")).isEmpty();
    }
}
