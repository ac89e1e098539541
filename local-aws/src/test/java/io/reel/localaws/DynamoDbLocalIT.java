package io.reel.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** Proves DynamoDB Local is a real DynamoDB: conditions are enforced and GSIs from template.yaml answer queries. */
@ExtendWith(LocalAwsExtension.class)
class DynamoDbLocalIT {

    @Test
    void conditionalPut_whenItemExists_failsWithConditionalCheckFailed(AwsTestResources aws) {
        var table = aws.table("UsersTable");
        Map<String, AttributeValue> user = Map.of("username", s("ana"), "userId", s("u-1"));
        aws.dynamoDb().putItem(r -> r.tableName(table).item(user).conditionExpression("attribute_not_exists(username)"));

        assertThatThrownBy(() -> aws.dynamoDb().putItem(r -> r.tableName(table)
                .item(Map.of("username", s("ana"), "userId", s("u-2")))
                .conditionExpression("attribute_not_exists(username)")))
                .isInstanceOf(ConditionalCheckFailedException.class);
        var stored = aws.dynamoDb().getItem(r -> r.tableName(table).key(Map.of("username", s("ana")))).item();
        assertThat(stored.get("userId").s()).isEqualTo("u-1");
    }

    @Test
    void atomicCounter_countsConcurrentUpdatesExactly(AwsTestResources aws) throws Exception {
        var table = aws.table("UsersTable");
        aws.dynamoDb().putItem(r -> r.tableName(table).item(Map.of("username", s("bo"), "failedLogins", n(0))));
        List<Thread> threads = java.util.stream.IntStream.range(0, 20).mapToObj(i -> Thread.ofVirtual().start(() ->
                aws.dynamoDb().updateItem(r -> r.tableName(table).key(Map.of("username", s("bo")))
                        .updateExpression("ADD failedLogins :one")
                        .expressionAttributeValues(Map.of(":one", n(1)))))).toList();
        for (Thread thread : threads) {
            thread.join();
        }

        var stored = aws.dynamoDb().getItem(r -> r.tableName(table).key(Map.of("username", s("bo")))).item();
        assertThat(stored.get("failedLogins").n()).isEqualTo("20");
    }

    @Test
    void gsiQuery_returnsReadyVideosNewestFirst(AwsTestResources aws) {
        var table = aws.table("VideosTable");
        put(aws, table, "v1", "READY", "2026-01-01T10:00:00Z");
        put(aws, table, "v2", "PROCESSING", "2026-01-02T10:00:00Z");
        put(aws, table, "v3", "READY", "2026-01-03T10:00:00Z");
        put(aws, table, "v4", "READY", "2026-01-02T09:00:00Z");

        var result = aws.dynamoDb().query(r -> r.tableName(table).indexName("byStatus")
                .keyConditionExpression("#s = :ready")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":ready", s("READY")))
                .scanIndexForward(false));

        assertThat(result.items()).extracting(item -> item.get("videoId").s()).containsExactly("v3", "v4", "v1");
    }

    @Test
    void tablesFromTemplate_haveTheirIndexesAndTtl(AwsTestResources aws) {
        var description = aws.dynamoDb().describeTable(r -> r.tableName(aws.table("SessionsTable"))).table();

        assertThat(description.keySchema()).singleElement().satisfies(k -> assertThat(k.attributeName()).isEqualTo("sessionId"));
        assertThat(description.globalSecondaryIndexes()).extracting(i -> i.indexName()).containsExactlyInAnyOrder("byUser", "byFamily");
        assertThat(description.globalSecondaryIndexes()).allSatisfy(i -> assertThat(i.indexStatus()).isEqualTo(IndexStatus.ACTIVE));
        var ttl = aws.dynamoDb().describeTimeToLive(r -> r.tableName(aws.table("SessionsTable"))).timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo("expiresAtEpoch");
        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
    }

    @Test
    void env_namesThisClassesTablesAndBuckets(AwsTestResources aws) {
        assertThat(aws.env().string("USERS_TABLE")).isEqualTo(aws.table("UsersTable")).startsWith("Users-dynamodblocalit-");
        assertThat(aws.env().string("MEDIA_BUCKET")).isEqualTo(aws.bucket("MediaBucket")).startsWith("media-dynamodblocalit-");
        assertThat(aws.env().string("AWS_ENDPOINT_URL_DYNAMODB")).startsWith("http://127.0.0.1:");
        assertThat(aws.dynamoDb().listTables().tableNames()).contains(aws.table("UsersTable"), aws.table("VideosTable"));
    }

    private static void put(AwsTestResources aws, String table, String id, String status, String createdAt) {
        aws.dynamoDb().putItem(r -> r.tableName(table).item(Map.of("videoId", s(id), "status", s(status),
                "createdAt", s(createdAt), "ownerId", s("o-1"))));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
