package io.reel.core.aws;

import io.reel.core.domain.Session;
import io.reel.core.port.SessionStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link SessionStore} on the {@code Sessions} table (key {@code sessionId}; GSIs {@code byUser}, {@code byFamily};
 * TTL attribute {@code expiresAtEpoch}). Rotation is a conditional write, so two uses of one token race to a single
 * winner; it records when ({@code rotatedAt}, ISO-8601) and to which session ({@code rotatedTo}), so the loser can
 * tell a concurrent duplicate from reuse.
 */
public final class DynamoDbSessionStore implements SessionStore {
    /**
     * The key prefix of a family's revocation marker. Session ids are UUIDs, and a refresh token's id must be one, so
     * no token can name a marker; the marker has no {@code userId} or {@code familyId}, so no index lists it.
     */
    static final String FAMILY_MARKER = "family#";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbSessionStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void create(Session session) {
        dynamoDb.putItem(r -> r.tableName(table).item(toItem(session)).conditionExpression("attribute_not_exists(sessionId)"));
    }

    @Override
    public Optional<Session> find(String sessionId) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(sessionId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public boolean markRotated(String sessionId, String expectedHash, Instant rotatedAt, String rotatedTo) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(sessionId))
                    .updateExpression("SET rotated = :yes, rotatedAt = :at, rotatedTo = :to")
                    .conditionExpression("refreshTokenHash = :hash AND revoked = :no AND rotated = :no")
                    .expressionAttributeValues(Map.of(":yes", AttributeValue.fromBool(true), ":no", AttributeValue.fromBool(false),
                            ":hash", AttributeValue.fromS(expectedHash), ":at", AttributeValue.fromS(rotatedAt.toString()),
                            ":to", AttributeValue.fromS(rotatedTo))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void revoke(String sessionId) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(sessionId)).updateExpression("SET revoked = :yes")
                    .conditionExpression("attribute_exists(sessionId)")
                    .expressionAttributeValues(Map.of(":yes", AttributeValue.fromBool(true))));
        } catch (ConditionalCheckFailedException alreadyGone) {
            // nothing to revoke
        }
    }

    @Override
    public void delete(String sessionId) {
        dynamoDb.deleteItem(r -> r.tableName(table).key(key(sessionId)));
    }

    /**
     * Writes the family's revocation marker first, then revokes the rows the {@code byFamily} index lists. The
     * index is eventually consistent, so a session created a moment ago may be missing from it; the marker (read
     * consistently on every refresh, {@link #isFamilyRevoked}) is what makes the revocation complete.
     */
    @Override
    public int revokeFamily(String familyId, Instant keepUntil) {
        Map<String, AttributeValue> marker = new HashMap<>();
        marker.put("sessionId", AttributeValue.fromS(FAMILY_MARKER + familyId));
        marker.put("familyRevoked", AttributeValue.fromBool(true));
        marker.put("expiresAtEpoch", AttributeValue.fromN(Long.toString(keepUntil.getEpochSecond())));
        dynamoDb.putItem(r -> r.tableName(table).item(marker));
        return revokeAllWhere("byFamily", "familyId", familyId);
    }

    @Override
    public boolean isFamilyRevoked(String familyId) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(FAMILY_MARKER + familyId)).consistentRead(true)
                .projectionExpression("familyRevoked")).item();
        return item != null && item.containsKey("familyRevoked");
    }

    @Override
    public int revokeAllForUser(String userId) {
        return revokeAllWhere("byUser", "userId", userId);
    }

    private int revokeAllWhere(String index, String attribute, String value) {
        int[] count = {0};
        dynamoDb.queryPaginator(r -> r.tableName(table).indexName(index).keyConditionExpression("#k = :v")
                        .expressionAttributeNames(Map.of("#k", attribute))
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value))))
                .items().forEach(item -> {
                    revoke(item.get("sessionId").s());
                    count[0]++;
                });
        return count[0];
    }

    private static Map<String, AttributeValue> key(String sessionId) {
        return Map.of("sessionId", AttributeValue.fromS(sessionId));
    }

    static Map<String, AttributeValue> toItem(Session session) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("sessionId", AttributeValue.fromS(session.sessionId()));
        item.put("userId", AttributeValue.fromS(session.userId()));
        item.put("username", AttributeValue.fromS(session.username()));
        item.put("refreshTokenHash", AttributeValue.fromS(session.refreshTokenHash()));
        item.put("familyId", AttributeValue.fromS(session.familyId()));
        item.put("createdAt", AttributeValue.fromS(session.createdAt().toString()));
        item.put("expiresAt", AttributeValue.fromS(session.expiresAt().toString()));
        item.put("absoluteExpiresAt", AttributeValue.fromS(session.absoluteExpiresAt().toString()));
        // DynamoDB's TTL deletes the item some time after this epoch second (DynamoDB Local 3 does too).
        item.put("expiresAtEpoch", AttributeValue.fromN(Long.toString(session.expiresAt().getEpochSecond())));
        item.put("revoked", AttributeValue.fromBool(session.revoked()));
        item.put("rotated", AttributeValue.fromBool(session.rotated()));
        if (session.rotatedAt() != null) {
            item.put("rotatedAt", AttributeValue.fromS(session.rotatedAt().toString()));
        }
        if (session.rotatedTo() != null) {
            item.put("rotatedTo", AttributeValue.fromS(session.rotatedTo()));
        }
        if (session.tokenVersion() != null) {
            item.put("tokenVersion", AttributeValue.fromN(Long.toString(session.tokenVersion())));
        }
        return item;
    }

    static Session fromItem(Map<String, AttributeValue> item) {
        return new Session(
                item.get("sessionId").s(),
                item.get("userId").s(),
                item.get("username").s(),
                item.get("refreshTokenHash").s(),
                item.get("familyId").s(),
                Instant.parse(item.get("createdAt").s()),
                Instant.parse(item.get("expiresAt").s()),
                Instant.parse(item.get("absoluteExpiresAt").s()),
                Boolean.TRUE.equals(item.get("revoked").bool()),
                item.containsKey("rotated") && Boolean.TRUE.equals(item.get("rotated").bool()),
                item.containsKey("rotatedAt") ? Instant.parse(item.get("rotatedAt").s()) : null,
                item.containsKey("rotatedTo") ? item.get("rotatedTo").s() : null,
                item.containsKey("tokenVersion") ? Long.valueOf(item.get("tokenVersion").n()) : null);
    }
}
