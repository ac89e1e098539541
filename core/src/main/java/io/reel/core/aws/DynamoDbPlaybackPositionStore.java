package io.reel.core.aws;

import io.reel.core.port.PlaybackPositionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link PlaybackPositionStore} on the {@code PlaybackPositions} table: partition key {@code userId}, sort key
 * {@code videoId}, so a viewer's positions sit together and one GetItem answers a playback. Positions are kept in whole
 * milliseconds ({@code positionMs}) with the time they were written ({@code updatedAt}).
 */
public final class DynamoDbPlaybackPositionStore implements PlaybackPositionStore {
    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public DynamoDbPlaybackPositionStore(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void save(String userId, String videoId, Duration position) {
        if (position.isNegative()) {
            throw new IllegalArgumentException("A position cannot be negative: " + position);
        }
        dynamoDb.putItem(r -> r.tableName(table).item(Map.of(
                "userId", AttributeValue.fromS(userId),
                "videoId", AttributeValue.fromS(videoId),
                "positionMs", AttributeValue.fromN(Long.toString(position.toMillis())),
                "updatedAt", AttributeValue.fromS(clock.instant().toString()))));
    }

    @Override
    public Optional<Duration> find(String userId, String videoId) {
        var item = dynamoDb.getItem(r -> r.tableName(table)
                .key(Map.of("userId", AttributeValue.fromS(userId), "videoId", AttributeValue.fromS(videoId)))
                .projectionExpression("positionMs")).item();
        if (item == null || !item.containsKey("positionMs")) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Long.parseLong(item.get("positionMs").n())));
    }
}
