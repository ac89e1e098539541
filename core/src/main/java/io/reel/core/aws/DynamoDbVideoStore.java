package io.reel.core.aws;

import io.reel.core.domain.Page;
import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.core.port.AlreadyExistsException;
import io.reel.core.port.VideoStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link VideoStore} on the {@code Videos} table (key {@code videoId}; GSIs {@code byStatus} and {@code byOwner}, both
 * sorted by {@code createdAt}).
 *
 * <p>{@code createdAt} is the GSIs' sort key, so it is written as fixed-width ISO-8601 UTC with nine fraction digits
 * ({@code 2026-11-24T10:00:00.000000000Z}): {@link Instant#toString()} leaves out zero fractions and varies between 0, 3,
 * 6 and 9 digits, and such strings do not sort in time order ({@code ...00Z} sorts after {@code ...00.500Z}). Both forms
 * are read back by {@link Instant#parse}.
 *
 * <p>Cursors are base64url text of the last item's {@code createdAt} and {@code videoId} only, never DynamoDB keys. A
 * cursor is checked strictly on the way in and the {@code ExclusiveStartKey} is rebuilt here with the partition value of
 * the query being run, so whatever a client sends, a listing stays in its own index and partition.
 */
public final class DynamoDbVideoStore implements VideoStore {
    static final String BY_STATUS = "byStatus";
    static final String BY_OWNER = "byOwner";
    static final int MAX_LIMIT = 100;

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbVideoStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void create(Video video) {
        if (!VideoIds.isValid(video.videoId())) {
            throw new IllegalArgumentException("A video id must come from VideoIds.newId()");
        }
        try {
            dynamoDb.putItem(r -> r.tableName(table).item(toItem(video)).conditionExpression("attribute_not_exists(videoId)"));
        } catch (ConditionalCheckFailedException e) {
            throw new AlreadyExistsException("A video with id " + video.videoId() + " already exists", e);
        }
    }

    @Override
    public Optional<Video> find(String videoId) {
        if (!VideoIds.isValid(videoId)) {
            return Optional.empty(); // create() admits no other ids, so there is nothing to look up
        }
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(videoId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public Page<Video> listReady(String cursor, int limit) {
        return query(BY_STATUS, "status", VideoStatus.READY.name(), cursor, limit);
    }

    @Override
    public Page<Video> listByOwner(String ownerId, String cursor, int limit) {
        if (ownerId == null || ownerId.isEmpty()) {
            throw new IllegalArgumentException("An owner id is required");
        }
        return query(BY_OWNER, "ownerId", ownerId, cursor, limit);
    }

    @Override
    public Optional<Video> updateDetails(String videoId, String title, String description, Instant updatedAt) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (!VideoIds.isValid(videoId)) {
            return Optional.empty();
        }
        Map<String, String> names = new HashMap<>();
        names.put("#id", "videoId");
        names.put("#title", "title");
        names.put("#description", "description");
        names.put("#updatedAt", "updatedAt");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":title", AttributeValue.fromS(title));
        values.put(":updatedAt", AttributeValue.fromS(updatedAt.toString()));
        String expression;
        if (description == null) {
            expression = "SET #title = :title, #updatedAt = :updatedAt REMOVE #description";
        } else {
            expression = "SET #title = :title, #updatedAt = :updatedAt, #description = :description";
            values.put(":description", AttributeValue.fromS(description));
        }
        try {
            var updated = dynamoDb.updateItem(r -> r.tableName(table).key(key(videoId)).updateExpression(expression)
                    .conditionExpression("attribute_exists(#id)").expressionAttributeNames(names)
                    .expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(fromItem(updated));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean delete(String videoId) {
        if (!VideoIds.isValid(videoId)) {
            return false;
        }
        var response = dynamoDb.deleteItem(r -> r.tableName(table).key(key(videoId)).returnValues(ReturnValue.ALL_OLD));
        return response.hasAttributes() && !response.attributes().isEmpty();
    }

    @Override
    public ClaimResult claimProcessing(String videoId, String sourceETag, Instant now, Duration staleAfter) {
        requireClaimable(videoId, sourceETag);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":processing", AttributeValue.fromS(VideoStatus.PROCESSING.name()));
        values.put(":awaiting", AttributeValue.fromS(VideoStatus.AWAITING_UPLOAD.name()));
        values.put(":etag", AttributeValue.fromS(sourceETag));
        values.put(":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
        values.put(":staleBefore", AttributeValue.fromN(Long.toString(now.minus(staleAfter).toEpochMilli())));
        values.put(":updatedAt", AttributeValue.fromS(now.toString()));
        values.put(":one", AttributeValue.fromN("1"));
        try {
            var updated = dynamoDb.updateItem(r -> r.tableName(table).key(key(videoId))
                    .updateExpression("SET #status = :processing, sourceETag = :etag, claimedAtMs = :now, updatedAt = :updatedAt"
                            + " REMOVE processingPercent, chunksDone ADD attempts :one")
                    .conditionExpression("attribute_exists(videoId) AND (#status = :awaiting OR (#status = :processing"
                            + " AND sourceETag = :etag AND claimedAtMs < :staleBefore))")
                    .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return new ClaimResult(Claim.CLAIMED, integer(updated, "attempts"));
        } catch (ConditionalCheckFailedException lost) {
            var item = dynamoDb.getItem(r -> r.tableName(table).key(key(videoId)).consistentRead(true)).item();
            if (item == null || item.isEmpty()) {
                return new ClaimResult(Claim.NOT_FOUND, 0);
            }
            boolean ours = VideoStatus.PROCESSING.name().equals(item.get("status").s()) && sourceETag.equals(string(item, "sourceETag"));
            return new ClaimResult(ours ? Claim.IN_PROGRESS : Claim.SETTLED, integer(item, "attempts"));
        }
    }

    @Override
    public boolean recordProgress(String videoId, String sourceETag, int percent, Instant now) {
        requireClaimable(videoId, sourceETag);
        requirePercent(percent);
        return updateWhileProcessing(videoId, sourceETag, "SET processingPercent = :percent",
                Map.of(":percent", AttributeValue.fromN(Integer.toString(percent))));
    }

    @Override
    public int recordChunkDone(String videoId, String sourceETag, int chunk, Instant now) {
        requireClaimable(videoId, sourceETag);
        if (chunk < 0) {
            throw new IllegalArgumentException("Chunks are numbered from 0: " + chunk);
        }
        try {
            Map<String, AttributeValue> updated = dynamoDb.updateItem(r -> r.tableName(table).key(key(videoId))
                    .updateExpression("ADD chunksDone :chunk SET claimedAtMs = :now")
                    .conditionExpression("#status = :processing AND sourceETag = :etag")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":chunk", AttributeValue.fromNs(List.of(Integer.toString(chunk))),
                            ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())),
                            ":processing", AttributeValue.fromS(VideoStatus.PROCESSING.name()),
                            ":etag", AttributeValue.fromS(sourceETag)))
                    .returnValues(ReturnValue.UPDATED_NEW)).attributes();
            return updated.get("chunksDone").ns().size(); // a set: a retried chunk counts once
        } catch (ConditionalCheckFailedException notOurs) {
            return -1;
        }
    }

    @Override
    public boolean recordProgressAtLeast(String videoId, String sourceETag, int percent, Instant now) {
        requireClaimable(videoId, sourceETag);
        requirePercent(percent);
        return updateWhileProcessing(videoId, sourceETag, "SET processingPercent = :percent, claimedAtMs = :now",
                " AND (attribute_not_exists(processingPercent) OR processingPercent < :percent)",
                Map.of(":percent", AttributeValue.fromN(Integer.toString(percent)),
                        ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli()))));
    }

    private static void requirePercent(int percent) {
        if (percent < 0 || percent > 99) {
            throw new IllegalArgumentException("Progress is 0 to 99 percent (READY is 100): " + percent);
        }
    }

    @Override
    public int failAbandoned(Instant now, Duration staleAfter, String reason, int max, java.util.Set<String> spared) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("A failure needs a reason a person can read");
        }
        String staleBefore = Long.toString(now.minus(staleAfter).toEpochMilli());
        int failed = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamoDb.query(r -> r.tableName(table).indexName(BY_STATUS)
                    .keyConditionExpression("#status = :processing")
                    .filterExpression("claimedAtMs > :zero AND claimedAtMs < :staleBefore")
                    .projectionExpression("videoId, claimedAtMs")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":processing", AttributeValue.fromS(VideoStatus.PROCESSING.name()),
                            ":zero", AttributeValue.fromN("0"), ":staleBefore", AttributeValue.fromN(staleBefore)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                if (failed >= max) {
                    return failed;
                }
                if (spared.contains(item.get("videoId").s())) {
                    continue;
                }
                try {
                    dynamoDb.updateItem(r -> r.tableName(table).key(key(item.get("videoId").s()))
                            .updateExpression("SET #status = :failed, failureReason = :reason, updatedAt = :updatedAt"
                                    + " REMOVE claimedAtMs, processingPercent, chunksDone")
                            .conditionExpression("#status = :processing AND claimedAtMs = :seen")
                            .expressionAttributeNames(Map.of("#status", "status"))
                            .expressionAttributeValues(Map.of(":failed", AttributeValue.fromS(VideoStatus.FAILED.name()),
                                    ":reason", AttributeValue.fromS(reason),
                                    ":updatedAt", AttributeValue.fromS(now.toString()),
                                    ":processing", AttributeValue.fromS(VideoStatus.PROCESSING.name()),
                                    ":seen", item.get("claimedAtMs"))));
                    failed++;
                } catch (ConditionalCheckFailedException moved) {
                    // re-claimed, settled or deleted since the query: not abandoned after all
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return failed;
    }

    @Override
    public void releaseClaim(String videoId, String sourceETag) {
        requireClaimable(videoId, sourceETag);
        // false: settled or deleted meanwhile, nothing to release
        updateWhileProcessing(videoId, sourceETag, "SET claimedAtMs = :zero", Map.of(":zero", AttributeValue.fromN("0")));
    }

    @Override
    public boolean markReady(String videoId, String sourceETag, Outputs outputs, Instant now) {
        requireClaimable(videoId, sourceETag);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":ready", AttributeValue.fromS(VideoStatus.READY.name()));
        values.put(":durationMs", AttributeValue.fromN(Long.toString(outputs.duration().toMillis())));
        values.put(":width", AttributeValue.fromN(Integer.toString(outputs.width())));
        values.put(":height", AttributeValue.fromN(Integer.toString(outputs.height())));
        values.put(":renditions", AttributeValue.fromL(outputs.renditions().stream().map(DynamoDbVideoStore::toAttribute).toList()));
        values.put(":updatedAt", AttributeValue.fromS(now.toString()));
        StringBuilder set = new StringBuilder("SET #status = :ready, durationMs = :durationMs, width = :width, height = :height,"
                + " renditions = :renditions, updatedAt = :updatedAt");
        StringBuilder remove = new StringBuilder(" REMOVE failureReason, claimedAtMs, processingPercent, chunksDone");
        for (var optional : List.of(Map.entry("posterKey", Optional.ofNullable(outputs.posterKey())),
                Map.entry("storyboardKey", Optional.ofNullable(outputs.storyboardKey())))) {
            if (optional.getValue().isPresent()) {
                set.append(", ").append(optional.getKey()).append(" = :").append(optional.getKey());
                values.put(":" + optional.getKey(), AttributeValue.fromS(optional.getValue().get()));
            } else {
                remove.append(", ").append(optional.getKey());
            }
        }
        return updateWhileProcessing(videoId, sourceETag, set.toString() + remove, values);
    }

    /**
     * One update, made only while the video is PROCESSING this upload ({@code sourceETag}); false (nothing written)
     * when it is settled, deleted or processing another upload.
     */
    private boolean updateWhileProcessing(String videoId, String sourceETag, String update, Map<String, AttributeValue> values) {
        return updateWhileProcessing(videoId, sourceETag, update, "", values);
    }

    /** As above, with {@code moreCondition} (" AND ...") added to the condition. */
    private boolean updateWhileProcessing(String videoId, String sourceETag, String update, String moreCondition,
                                          Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":processing", AttributeValue.fromS(VideoStatus.PROCESSING.name()));
        all.put(":etag", AttributeValue.fromS(sourceETag));
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(videoId)).updateExpression(update)
                    .conditionExpression("#status = :processing AND sourceETag = :etag" + moreCondition)
                    .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(all));
            return true;
        } catch (ConditionalCheckFailedException notOurs) {
            return false;
        }
    }

    @Override
    public boolean markFailed(String videoId, String sourceETag, String reason, Instant now) {
        requireClaimable(videoId, sourceETag);
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("A failure needs a reason a person can read");
        }
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(videoId))
                    .updateExpression("SET #status = :failed, failureReason = :reason, updatedAt = :updatedAt REMOVE claimedAtMs, processingPercent, chunksDone")
                    .conditionExpression("attribute_exists(videoId) AND ((#status = :processing AND sourceETag = :etag)"
                            + " OR #status = :awaiting)")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":failed", AttributeValue.fromS(VideoStatus.FAILED.name()),
                            ":reason", AttributeValue.fromS(reason),
                            ":updatedAt", AttributeValue.fromS(now.toString()),
                            ":processing", AttributeValue.fromS(VideoStatus.PROCESSING.name()),
                            ":awaiting", AttributeValue.fromS(VideoStatus.AWAITING_UPLOAD.name()),
                            ":etag", AttributeValue.fromS(sourceETag))));
            return true;
        } catch (ConditionalCheckFailedException settled) {
            return false;
        }
    }

    private static void requireClaimable(String videoId, String sourceETag) {
        if (!VideoIds.isValid(videoId)) {
            throw new IllegalArgumentException("Not a video id");
        }
        if (sourceETag == null || sourceETag.isBlank() || sourceETag.length() > 256) {
            throw new IllegalArgumentException("An uploaded object's eTag is required");
        }
    }

    private Page<Video> query(String index, String partitionAttribute, String partitionValue, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT);
        }
        Map<String, AttributeValue> startKey = cursor == null ? null : startKey(VideoCursors.decode(cursor), partitionAttribute, partitionValue);
        QueryResponse response = dynamoDb.query(r -> r.tableName(table).indexName(index)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", partitionAttribute))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partitionValue)))
                .scanIndexForward(false)
                .limit(limit)
                .exclusiveStartKey(startKey));
        List<Video> videos = new ArrayList<>(response.items().size());
        for (Map<String, AttributeValue> item : response.items()) {
            videos.add(fromItem(item));
        }
        String next = null;
        if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
            var last = response.lastEvaluatedKey();
            next = VideoCursors.encode(new VideoCursors.Position(last.get("createdAt").s(), last.get("videoId").s()));
        }
        return new Page<>(videos, next);
    }

    /** The GSI's ExclusiveStartKey: the table key plus the index key, with the partition of the query being run. */
    private static Map<String, AttributeValue> startKey(VideoCursors.Position position, String partitionAttribute, String partitionValue) {
        return Map.of(
                "videoId", AttributeValue.fromS(position.videoId()),
                "createdAt", AttributeValue.fromS(position.createdAt()),
                partitionAttribute, AttributeValue.fromS(partitionValue));
    }

    private static Map<String, AttributeValue> key(String videoId) {
        return Map.of("videoId", AttributeValue.fromS(videoId));
    }

    static Map<String, AttributeValue> toItem(Video video) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("videoId", AttributeValue.fromS(video.videoId()));
        item.put("ownerId", AttributeValue.fromS(video.ownerId()));
        item.put("title", AttributeValue.fromS(video.title()));
        putIfPresent(item, "description", video.description());
        item.put("status", AttributeValue.fromS(video.status().name()));
        putIfPresent(item, "failureReason", video.failureReason());
        if (video.duration() != null) {
            item.put("durationMs", AttributeValue.fromN(Long.toString(video.duration().toMillis())));
        }
        item.put("width", AttributeValue.fromN(Integer.toString(video.width())));
        item.put("height", AttributeValue.fromN(Integer.toString(video.height())));
        item.put("renditions", AttributeValue.fromL(video.renditions().stream().map(DynamoDbVideoStore::toAttribute).toList()));
        putIfPresent(item, "posterKey", video.posterKey());
        putIfPresent(item, "storyboardKey", video.storyboardKey());
        if (video.processingPercent() != null) {
            item.put("processingPercent", AttributeValue.fromN(Integer.toString(video.processingPercent())));
        }
        item.put("createdAt", AttributeValue.fromS(VideoCursors.sortable(video.createdAt())));
        item.put("updatedAt", AttributeValue.fromS(video.updatedAt().toString()));
        return item;
    }

    static Video fromItem(Map<String, AttributeValue> item) {
        List<Rendition> renditions = item.containsKey("renditions")
                ? item.get("renditions").l().stream().map(DynamoDbVideoStore::fromAttribute).toList() : List.of();
        return new Video(
                item.get("videoId").s(),
                item.get("ownerId").s(),
                item.get("title").s(),
                string(item, "description"),
                VideoStatus.valueOf(item.get("status").s()),
                string(item, "failureReason"),
                item.containsKey("durationMs") ? Duration.ofMillis(Long.parseLong(item.get("durationMs").n())) : null,
                integer(item, "width"),
                integer(item, "height"),
                renditions,
                string(item, "posterKey"),
                string(item, "storyboardKey"),
                Instant.parse(item.get("createdAt").s()),
                Instant.parse(item.get("updatedAt").s()),
                item.containsKey("processingPercent") ? integer(item, "processingPercent") : null);
    }

    private static AttributeValue toAttribute(Rendition rendition) {
        return AttributeValue.fromM(Map.of(
                "name", AttributeValue.fromS(rendition.name()),
                "kind", AttributeValue.fromS(rendition.kind().name()),
                "width", AttributeValue.fromN(Integer.toString(rendition.width())),
                "height", AttributeValue.fromN(Integer.toString(rendition.height())),
                "bitrateKbps", AttributeValue.fromN(Integer.toString(rendition.bitrateKbps())),
                "key", AttributeValue.fromS(rendition.key())));
    }

    private static Rendition fromAttribute(AttributeValue value) {
        Map<String, AttributeValue> m = value.m();
        return new Rendition(m.get("name").s(), Rendition.Kind.valueOf(m.get("kind").s()), integer(m, "width"),
                integer(m, "height"), integer(m, "bitrateKbps"), m.get("key").s());
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static int integer(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Integer.parseInt(value.n());
    }
}
