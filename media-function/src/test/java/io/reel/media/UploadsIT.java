package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Env;
import io.reel.core.Json;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.core.http.HttpResponses;
import io.reel.core.port.VideoStore;
import io.reel.localaws.S3EventBridge;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.net.URI;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Direct uploads through the real handler, against DynamoDB Local and S3Proxy: the returned URLs are PUT to with
 * {@link HttpClient} exactly as a browser would (a body, its Content-Length, the Content-Type it was told, nothing else).
 */
@ExtendWith(LocalAwsExtension.class)
class UploadsIT {
    private static final String UPLOADER = "videos:read videos:upload";
    private static final long MIB = 1024 * 1024;
    /** Where a client sent POST /uploads: API Gateway's stage URL. */
    private static final URI POST_UPLOADS = URI.create("https://abc123.execute-api.us-east-1.amazonaws.com/prod/uploads");
    /** Low thresholds, so a multipart upload of a few parts is quick to send. */
    private static final Map<String, String> SMALL_PARTS = Map.of("MULTIPART_THRESHOLD", Long.toString(5 * MIB),
            "UPLOAD_PART_SIZE", Long.toString(5 * MIB));

    @TempDir
    Path keys;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<S3EventNotificationRecord> events = new CopyOnWriteArrayList<>();
    private AwsTestResources aws;
    private DynamoDbVideoStore store;
    private MediaHandler handler;
    private String bucket;
    private String owner;
    private S3EventBridge.Subscription subscription;

    /** The test's environment plus the playback-token key folder every media handler needs. */
    private Env withKeys(Map<String, String> overrides) {
        return aws.env(overrides).with(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString()));
    }

    @BeforeEach
    void setUp(AwsTestResources aws) {
        this.aws = aws;
        store = new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable"));
        handler = new MediaHandler(withKeys(Map.of()));
        bucket = aws.bucket("UploadsBucket");
        owner = "u-" + UUID.randomUUID();
    }

    @AfterEach
    void unsubscribe() {
        if (subscription != null) {
            subscription.close();
        }
    }

    @Test
    void singlePut_storesTheExactBytes_raisesOneEvent_andRefusesAnotherSizeOrType() throws Exception {
        subscribe();
        byte[] file = random(300_000, 1);
        Instant before = Instant.now();

        JsonNode started = created(start(owner, UPLOADER, newUpload("  Holiday  ", "video/mp4", "holiday.MP4", file.length)));

        String id = started.path("videoId").asText();
        assertThat(VideoIds.isValid(id)).isTrue();
        assertThat(started.path("status").asText()).isEqualTo("AWAITING_UPLOAD");
        assertThat(started.has("multipart")).isFalse();
        JsonNode upload = started.path("upload");
        assertThat(upload.path("method").asText()).isEqualTo("PUT");
        assertThat(upload.path("headers")).hasSize(1);
        assertThat(upload.path("headers").path("Content-Type").asText()).isEqualTo("video/mp4");
        String url = upload.path("url").asText();
        assertThat(URI.create(url).getPath()).as("the key is the server's id only").endsWith("/" + bucket + "/uploads/" + id + "/source");
        assertThat(url).doesNotContainIgnoringCase("holiday").doesNotContainIgnoringCase("checksum")
                .contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost");
        assertThat(Instant.parse(upload.path("expiresAt").asText()))
                .isBetween(before.plus(Duration.ofHours(6)).minusSeconds(2), Instant.now().plus(Duration.ofHours(6)));
        Video video = store.find(id).orElseThrow();
        assertThat(video.status()).isEqualTo(VideoStatus.AWAITING_UPLOAD);
        assertThat(video.ownerId()).isEqualTo(owner);
        assertThat(video.title()).isEqualTo("Holiday");
        assertThat(video.createdAt()).isEqualTo(video.updatedAt());

        assertThat(refusedPut(url, "video/mp4", Arrays.copyOf(file, file.length - 1)).statusCode()).as("another length").isEqualTo(403);
        assertThat(refusedPut(url, "video/mp4", Arrays.copyOf(file, file.length + 1)).statusCode()).as("another length").isEqualTo(403);
        assertThat(refusedPut(url, "text/html", file).statusCode()).as("another type").isEqualTo(403);
        assertThat(refusedPut(url, null, file).statusCode()).as("no type").isEqualTo(403);
        assertThat(objectExists("uploads/" + id + "/source")).as("nothing stored by a refused PUT").isFalse();

        var accepted = put(url, "video/mp4", file);

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.headers().firstValue("ETag")).isPresent();
        var stored = aws.s3().getObjectAsBytes(r -> r.bucket(bucket).key("uploads/" + id + "/source"));
        assertThat(stored.asByteArray()).isEqualTo(file);
        assertThat(stored.response().contentType()).isEqualTo("video/mp4");
        assertThat(eventsFor(id)).extracting(r -> r.getS3().getObject().getKey()).containsExactly("uploads/" + id + "/source");
    }

    @Test
    void multipart_partsPutToTheirUrls_completeThroughTheHandler_storeTheExactBytes_withExactlyOneEvent() throws Exception {
        handler = new MediaHandler(withKeys(SMALL_PARTS));
        subscribe();
        byte[] file = random((int) (11 * MIB) + 123, 2);

        JsonNode started = created(start(owner, UPLOADER, newUpload("Big one", "video/quicktime", "big.mov", file.length)));

        String id = started.path("videoId").asText();
        assertThat(started.has("upload")).isFalse();
        JsonNode multipart = started.path("multipart");
        assertThat(multipart.path("partSize").asLong()).isEqualTo(5 * MIB);
        assertThat(multipart.path("parts")).hasSize(3);
        assertThat(multipart.path("complete").asText()).as("relative to POST /uploads").isEqualTo("uploads/" + id + "/complete");
        assertThat(multipart.path("expiresAt").asText()).isNotBlank();
        String uploadId = multipart.path("uploadId").asText();
        assertThat(multipart.path("abort").asText()).as("names the upload, so no listing is needed to abort it")
                .isEqualTo("uploads/" + id + "?uploadId=" + java.net.URLEncoder.encode(uploadId, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(aws.s3().listMultipartUploads(r -> r.bucket(bucket).prefix("uploads/" + id + "/")).uploads())
                .extracting(u -> u.key()).containsExactly("uploads/" + id + "/source");

        List<Map<String, Object>> parts = new ArrayList<>();
        for (JsonNode part : multipart.path("parts")) {
            int number = part.path("partNumber").asInt();
            assertThat(number).isEqualTo(parts.size() + 1);
            String url = part.path("url").asText();
            assertThat(url).doesNotContainIgnoringCase("checksum").contains("X-Amz-SignedHeaders=content-length%3Bhost");
            byte[] slice = Arrays.copyOfRange(file, (int) ((number - 1) * 5 * MIB), (int) Math.min(file.length, number * 5 * MIB));
            if (number == 1) {
                assertThat(refusedPut(url, null, Arrays.copyOf(slice, slice.length + 1)).statusCode()).as("a part of another length")
                        .isEqualTo(403);
            }
            var response = put(url, null, slice);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            parts.add(Map.of("partNumber", number, "etag", response.headers().firstValue("ETag").orElseThrow()));
        }
        assertThat(objectExists("uploads/" + id + "/source")).as("parts are not the object").isFalse();

        var completed = handler.handleRequest(follow("POST", multipart.path("complete").asText(), owner, UPLOADER,
                Json.write(Map.of("uploadId", uploadId, "parts", parts))), null);

        assertThat(completed.getStatusCode()).as(completed.getBody()).isEqualTo(202);
        JsonNode view = Json.mapper().readTree(completed.getBody());
        assertThat(view.path("videoId").asText()).isEqualTo(id);
        assertThat(view.path("title").asText()).isEqualTo("Big one");
        var stored = aws.s3().getObjectAsBytes(r -> r.bucket(bucket).key("uploads/" + id + "/source"));
        assertThat(stored.asByteArray()).isEqualTo(file);
        assertThat(stored.response().contentType()).isEqualTo("video/quicktime");
        List<S3EventNotificationRecord> delivered = eventsFor(id);
        assertThat(delivered).as("one event for the whole object, none for its parts").hasSize(1);
        assertThat(delivered.get(0).getS3().getObject().getKey()).isEqualTo("uploads/" + id + "/source");
        assertThat(delivered.get(0).getEventName()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
        assertThat(delivered.get(0).getS3().getObject().getSizeAsLong()).isEqualTo(file.length);
        assertThat(aws.s3().listMultipartUploads(r -> r.bucket(bucket).prefix("uploads/" + id + "/")).uploads()).isEmpty();
    }

    @Test
    void abort_removesTheOpenUploadItsPartsAndTheItem() throws Exception {
        handler = new MediaHandler(withKeys(SMALL_PARTS));
        JsonNode started = created(start(owner, UPLOADER, newUpload("Abandoned", "video/webm", "a.webm", 11 * MIB)));
        String id = started.path("videoId").asText();
        JsonNode first = started.path("multipart").path("parts").get(0);
        assertThat(put(first.path("url").asText(), null, random((int) (5 * MIB), 3)).statusCode()).isEqualTo(200);
        // A stray object under the prefix too (say, an earlier attempt), which must go as well.
        aws.s3().putObject(r -> r.bucket(bucket).key("uploads/" + id + "/stray"), RequestBody.fromString("x"));
        String neighbour = created(start(owner, UPLOADER, newUpload("Neighbour", "video/webm", "b.webm", 11 * MIB))).path("videoId").asText();

        assertProblem(handler.handleRequest(request("DELETE", "/uploads/{id}", "u-other", UPLOADER, Map.of("id", id), null), null),
                404, "upload");
        var response = handler.handleRequest(follow("DELETE", started.path("multipart").path("abort").asText(), owner, UPLOADER,
                null), null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(204);
        assertThat(store.find(id)).isEmpty();
        assertThat(aws.s3().listMultipartUploads(r -> r.bucket(bucket).prefix("uploads/" + id + "/")).uploads()).isEmpty();
        assertThat(aws.s3().listObjectsV2(r -> r.bucket(bucket).prefix("uploads/" + id + "/")).contents()).isEmpty();
        // A part sent after the abort: 404 NoSuchUpload, as S3 answers (the emulator may answer before reading the whole
        // part and close the connection, which the client sees as a failed send); it never becomes an object or an upload.
        Integer late;
        try {
            late = put(started.path("multipart").path("parts").get(1).path("url").asText(), null, random((int) (5 * MIB), 4)).statusCode();
        } catch (java.io.IOException closedEarly) {
            late = null;
        }
        assertThat(late).isIn(404, null);
        assertThat(aws.s3().listMultipartUploads(r -> r.bucket(bucket).prefix("uploads/" + id + "/")).uploads()).isEmpty();
        assertThat(aws.s3().listObjectsV2(r -> r.bucket(bucket).prefix("uploads/" + id + "/")).contents()).isEmpty();
        assertThat(aws.s3().listMultipartUploads(r -> r.bucket(bucket).prefix("uploads/" + neighbour + "/")).uploads())
                .as("another video's upload stays open").hasSize(1);
        assertThat(store.find(neighbour)).isPresent();
        assertProblem(handler.handleRequest(request("DELETE", "/uploads/{id}", owner, UPLOADER, Map.of("id", id), null), null),
                404, "upload");
    }

    @Test
    void abort_whenStorageRefusesToAbortOrList_stillRemovesTheVideoAndItsObjects() throws Exception {
        handler = new MediaHandler(withKeys(SMALL_PARTS));
        JsonNode started = created(start(owner, UPLOADER, newUpload("t", "video/webm", "a.webm", 11 * MIB)));
        String id = started.path("videoId").asText();
        aws.s3().putObject(r -> r.bucket(bucket).key("uploads/" + id + "/stray"), RequestBody.fromString("x"));
        // What S3Proxy answers while a part is still arriving: 400 to both the abort and the listing.
        var real = aws.s3();
        var refusing = (software.amazon.awssdk.services.s3.S3Client) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {software.amazon.awssdk.services.s3.S3Client.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("abortMultipartUpload") || method.getName().startsWith("listMultipartUploads")) {
                        throw software.amazon.awssdk.services.s3.model.S3Exception.builder().statusCode(400).message("busy").build();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        var env = withKeys(SMALL_PARTS);
        var responses = HttpResponses.create(env);
        var uploads = new Uploads(store, new MediaObjects(() -> real, aws.bucket("MediaBucket"), bucket, false), () -> refusing, null, bucket,
                Uploads.Settings.from(env), responses, Clock.systemUTC());
        var routes = new MediaRoutes(store, null, null, null, null, uploads, responses, Clock.systemUTC());

        var response = routes.route(request("DELETE", "/uploads/{id}", owner, UPLOADER, Map.of("id", id), null)
                .withQueryStringParameters(Map.of("uploadId", started.path("multipart").path("uploadId").asText())));

        assertThat(response.getStatusCode()).as("the video goes; the lifecycle rule ends the open upload").isEqualTo(204);
        assertThat(store.find(id)).isEmpty();
        assertThat(real.listObjectsV2(r -> r.bucket(bucket).prefix("uploads/" + id + "/")).contents()).isEmpty();
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, completion(started.path("multipart").path("uploadId").asText(), 1)),
                null), 404, "upload");
    }

    @Test
    void abort_withAMalformedUploadId_is400_andKeepsTheUpload() throws Exception {
        handler = new MediaHandler(withKeys(SMALL_PARTS));
        String id = created(start(owner, UPLOADER, newUpload("t", "video/webm", "a.webm", 11 * MIB))).path("videoId").asText();
        for (String bad : List.of("", " ", "a b", "x".repeat(2000), "\u0000")) {
            assertProblem(handler.handleRequest(request("DELETE", "/uploads/{id}", owner, UPLOADER, Map.of("id", id), null)
                    .withQueryStringParameters(Map.of("uploadId", bad)), null), 400, "uploadId");
        }
        assertThat(store.find(id)).isPresent();
        var unknown = handler.handleRequest(request("DELETE", "/uploads/{id}", owner, UPLOADER, Map.of("id", id), null)
                .withQueryStringParameters(Map.of("uploadId", "not-an-open-upload")), null);
        assertThat(unknown.getStatusCode()).as("an id that is not open is simply not there any more").isEqualTo(204);
    }

    @Test
    void abort_ofASinglePutUpload_removesItsObjectAndItem() throws Exception {
        JsonNode started = created(start(owner, UPLOADER, newUpload("Small", "video/mp4", "s.mp4", 10)));
        String id = started.path("videoId").asText();
        assertThat(put(started.path("upload").path("url").asText(), "video/mp4", new byte[10]).statusCode()).isEqualTo(200);

        var response = handler.handleRequest(request("DELETE", "/uploads/{id}", owner, UPLOADER, Map.of("id", id), null), null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(204);
        assertThat(objectExists("uploads/" + id + "/source")).isFalse();
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void abort_andComplete_ofAFinishedVideo_are409() throws Exception {
        String id = VideoIds.newId();
        Instant now = Instant.now();
        store.create(new Video(id, owner, "Done", null, VideoStatus.READY, null, Duration.ofSeconds(5), 640, 360, List.of(),
                null, null, now, now));

        assertProblem(handler.handleRequest(request("DELETE", "/uploads/{id}", owner, UPLOADER, Map.of("id", id), null), null),
                409, "DELETE /videos/" + id);
        var completed = handler.handleRequest(complete(id, owner, UPLOADER, completion("some-upload", 1)), null);
        assertProblem(completed, 409, "READY");
        assertThat(store.find(id)).isPresent();
    }

    @Test
    void complete_refusesOtherUsersBogusUploadIdsAndBadPartLists() throws Exception {
        handler = new MediaHandler(withKeys(SMALL_PARTS));
        JsonNode started = created(start(owner, UPLOADER, newUpload("Mine", "video/x-matroska", "m.mkv", 6 * MIB)));
        String id = started.path("videoId").asText();
        String uploadId = started.path("multipart").path("uploadId").asText();
        JsonNode other = created(start("u-other", UPLOADER, newUpload("Theirs", "video/x-matroska", "t.mkv", 6 * MIB)));

        assertProblem(handler.handleRequest(complete(id, "u-other", UPLOADER, completion(uploadId, 1)), null), 404, "upload");
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, completion("bogus-" + UUID.randomUUID(), 1)), null),
                400, "uploadId");
        // Another video's upload id: S3 answers NoSuchUpload (S3Proxy InvalidPart), as the key is this video's.
        String othersUploadId = other.path("multipart").path("uploadId").asText();
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, completion(othersUploadId, 1)), null), 400, "upload");
        assertThat(aws.s3().listMultipartUploads(r -> r.bucket(bucket).prefix("uploads/" + other.path("videoId").asText() + "/"))
                .uploads()).extracting(u -> u.uploadId()).containsExactly(othersUploadId);
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, Map.of("uploadId", uploadId, "parts", List.of(
                Map.of("partNumber", 1, "etag", "\"a\""), Map.of("partNumber", 3, "etag", "\"b\"")))), null), 400, "parts[1].partNumber");
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, Map.of("uploadId", uploadId, "parts", List.of(
                Map.of("partNumber", 0, "etag", "\"a\"")))), null), 400, "parts[0].partNumber");
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, Map.of("uploadId", uploadId, "parts", List.of(
                Map.of("partNumber", 2, "etag", "\"a\""), Map.of("partNumber", 1, "etag", "\"b\"")))), null), 400, "partNumber");
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, Map.of("uploadId", uploadId, "parts", List.of(
                Map.of("partNumber", 1.5, "etag", "\"a\"")))), null), 400, "partNumber");
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, Map.of("uploadId", uploadId, "parts", List.of(
                Map.of("partNumber", 1, "etag", " ")))), null), 400, "etag");
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, Map.of("uploadId", uploadId, "parts", List.of(
                Map.of("partNumber", 1, "etag", "e".repeat(129))))), null), 400, "etag");
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, Map.of("uploadId", uploadId, "parts", List.of())), null),
                400, "parts");
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, completion(uploadId, 10_001)), null), 400, "parts");
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, Map.of("parts", List.of())), null), 400, "uploadId");
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, Map.of("uploadId", uploadId, "parts", List.of(
                Map.of("partNumber", 1, "etag", "\"a\"", "size", 3)))), null), 400, "size");
        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, completion(uploadId, 1)), null), 400, "part");
        assertProblem(handler.handleRequest(complete(id, owner, "videos:read", completion(uploadId, 1)), null), 403, "videos:upload");

        assertThat(objectExists("uploads/" + id + "/source")).isFalse();
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(VideoStatus.AWAITING_UPLOAD);
    }

    @Test
    void complete_withPartsBelowS3sMinimum_is400() throws Exception {
        handler = new MediaHandler(withKeys(SMALL_PARTS));
        JsonNode started = created(start(owner, UPLOADER, newUpload("Tiny parts", "video/mp4", "t.mp4", 6 * MIB)));
        String id = started.path("videoId").asText();
        String uploadId = started.path("multipart").path("uploadId").asText();
        String key = "uploads/" + id + "/source";
        // A client ignoring the presigned URLs' part sizes (here with the SDK's own credentials).
        String e1 = aws.s3().uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(1), RequestBody.fromBytes(new byte[1024])).eTag();
        String e2 = aws.s3().uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(2), RequestBody.fromBytes(new byte[1024])).eTag();

        var response = handler.handleRequest(complete(id, owner, UPLOADER, Map.of("uploadId", uploadId, "parts", List.of(
                Map.of("partNumber", 1, "etag", e1), Map.of("partNumber", 2, "etag", e2)))), null);

        assertProblem(response, 400, "5 MiB");
    }

    @Test
    void complete_ofAFileLargerThanTheLimit_deletesItAndIs413() throws Exception {
        Map<String, String> env = new HashMap<>(SMALL_PARTS);
        env.put("MAX_UPLOAD_BYTES", Long.toString(7 * MIB));
        handler = new MediaHandler(withKeys(env));
        JsonNode started = created(start(owner, UPLOADER, newUpload("Sneaky", "video/mp4", "s.mp4", 6 * MIB)));
        String id = started.path("videoId").asText();
        String uploadId = started.path("multipart").path("uploadId").asText();
        String key = "uploads/" + id + "/source";
        // Parts sent with other credentials than the presigned URLs' (whose signed lengths would refuse them).
        String e1 = aws.s3().uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(new byte[(int) (5 * MIB)])).eTag();
        String e2 = aws.s3().uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(new byte[(int) (3 * MIB)])).eTag();

        var response = handler.handleRequest(complete(id, owner, UPLOADER, Map.of("uploadId", uploadId, "parts", List.of(
                Map.of("partNumber", 1, "etag", e1), Map.of("partNumber", 2, "etag", e2)))), null);

        assertProblem(response, 413, Long.toString(7 * MIB));
        assertThat(objectExists(key)).isFalse();
    }

    @Test
    void partSizes_growSoNoFileNeedsMoreThan10000Parts() throws Exception {
        Map<String, String> env = new HashMap<>(SMALL_PARTS);
        env.put("MAX_UPLOAD_BYTES", Long.toString(200L * 1024 * MIB));
        handler = new MediaHandler(withKeys(env));
        long size = 100L * 1024 * MIB + 1; // 100 GiB and a byte: 5 MiB parts would be 20,481

        JsonNode multipart = created(start(owner, UPLOADER, newUpload("Huge", "video/mp4", "h.mp4", size))).path("multipart");

        assertThat(multipart.path("partSize").asLong()).isEqualTo(11 * MIB);
        assertThat(multipart.path("parts").size()).isEqualTo((int) Math.ceilDiv(size, 11 * MIB)).isLessThanOrEqualTo(10_000);
        assertThat(multipart.path("parts").get(multipart.path("parts").size() - 1).path("partNumber").asInt())
                .isEqualTo(multipart.path("parts").size());
    }

    @Test
    void urlLifetime_isConfigurable() throws Exception {
        handler = new MediaHandler(withKeys(Map.of("UPLOAD_URL_LIFETIME", "15m")));
        Instant before = Instant.now();

        JsonNode upload = created(start(owner, UPLOADER, newUpload("Soon", "video/mp4", "s.mp4", 10))).path("upload");

        assertThat(upload.path("url").asText()).contains("X-Amz-Expires=900");
        assertThat(Instant.parse(upload.path("expiresAt").asText()))
                .isBetween(before.plus(Duration.ofMinutes(15)).minusSeconds(1), Instant.now().plus(Duration.ofMinutes(15)));
    }

    static Stream<Arguments> hostileNewUploads() {
        return Stream.of(
                Arguments.of("empty title", with("title", ""), 400, "title"),
                Arguments.of("blank title", with("title", "   "), 400, "title"),
                Arguments.of("title of 201", with("title", "t".repeat(201)), 400, "title"),
                Arguments.of("title as a number", with("title", 42), 400, "title"),
                Arguments.of("description of 5,001", with("description", "d".repeat(5_001)), 400, "description"),
                Arguments.of("climbing fileName", with("fileName", "../x.mp4"), 400, "fileName"),
                Arguments.of("fileName with a slash", with("fileName", "a/b.mp4"), 400, "fileName"),
                Arguments.of("fileName with a backslash", with("fileName", "a\\b.mp4"), 400, "fileName"),
                Arguments.of("fileName with NUL", with("fileName", "a\u0000b.mp4"), 400, "fileName"),
                Arguments.of("fileName with a newline", with("fileName", "a\nb.mp4"), 400, "fileName"),
                Arguments.of("fileName with a right-to-left override", with("fileName", "a\u202ebmp4.exe"), 400, "fileName"),
                Arguments.of("fileName with the wrong extension", with("fileName", "video.exe"), 400, "fileName"),
                Arguments.of("fileName without an extension", with("fileName", "video"), 400, "fileName"),
                Arguments.of("fileName not matching the type", with("fileName", "video.webm"), 400, "fileName"),
                Arguments.of("empty fileName", with("fileName", ""), 400, "fileName"),
                Arguments.of("fileName of 256", with("fileName", "f".repeat(252) + ".mp4"), 400, "fileName"),
                Arguments.of("contentType text/html", with("contentType", "text/html"), 400, "contentType"),
                Arguments.of("contentType with parameters", with("contentType", "video/mp4; codecs=avc1"), 400, "contentType"),
                Arguments.of("size 0", with("size", 0), 400, "size"),
                Arguments.of("size -1", with("size", -1), 400, "size"),
                Arguments.of("size 1.5", with("size", 1.5), 400, "size"),
                Arguments.of("size as text", with("size", "12"), 400, "size"),
                Arguments.of("size over the maximum", with("size", 5_368_709_121L), 413, "5368709120"),
                Arguments.of("size beyond a long", "{\"title\":\"t\",\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\","
                        + "\"size\":123456789012345678901234567890}", 413, "5368709120"),
                Arguments.of("no title", without("title"), 400, "title"),
                Arguments.of("no fileName", without("fileName"), 400, "fileName"),
                Arguments.of("no contentType", without("contentType"), 400, "contentType"),
                Arguments.of("no size", without("size"), 400, "size"),
                Arguments.of("empty object", "{}", 400, "title"),
                Arguments.of("unknown field", with("ownerId", "u-someone-else"), 400, "ownerId"),
                Arguments.of("not JSON", "not json", 400, "JSON"),
                Arguments.of("a JSON array", "[]", 400, "JSON"),
                Arguments.of("no body", null, 400, "JSON"),
                Arguments.of("duplicate field", "{\"title\":\"a\",\"title\":\"b\",\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\","
                        + "\"size\":1}", 400, "JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileNewUploads")
    void newUpload_refusesHostileInput_withAReadableProblem_andCreatesNothing(String name, String body, int status, String mentions)
            throws Exception {
        assertProblem(start(owner, UPLOADER, body), status, mentions);

        assertThat(store.listByOwner(owner, null, 100).items()).isEmpty();
    }

    @Test
    void limits_sayTheServersOwnSizeLimitAndTypes_toUploadersOnly() throws Exception {
        handler = new MediaHandler(withKeys(Map.of("MAX_UPLOAD_BYTES", Long.toString(200 * MIB))));
        var answer = handler.handleRequest(request("GET", "/uploads/limits", owner, UPLOADER, null, null), null);

        assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(200);
        JsonNode limits = Json.mapper().readTree(answer.getBody());
        assertThat(limits.path("maxBytes").asLong()).isEqualTo(200 * MIB);
        assertThat(limits.path("types").path("video/mp4")).extracting(JsonNode::asText).containsExactly("mp4", "m4v");
        assertThat(limits.path("types").properties()).extracting(Map.Entry::getKey)
                .containsExactlyElementsOf(UploadRules.TYPES.keySet());
        assertProblem(handler.handleRequest(request("GET", "/uploads/limits", owner, "videos:read", null, null), null), 403,
                "videos:upload");
    }

    @Test
    void everyRoute_withoutTheUploadScope_is403() throws Exception {
        assertProblem(start(owner, "videos:read", newUpload("t", "video/mp4", "a.mp4", 10)), 403, "videos:upload");
        assertProblem(start(owner, "admin videos:read", newUpload("t", "video/mp4", "a.mp4", 10)), 403, "videos:upload");
        String id = created(start(owner, UPLOADER, newUpload("t", "video/mp4", "a.mp4", 10))).path("videoId").asText();
        assertProblem(handler.handleRequest(complete(id, owner, "videos:read", completion("x", 1)), null), 403, "videos:upload");
        assertProblem(handler.handleRequest(request("DELETE", "/uploads/{id}", owner, "videos:read", Map.of("id", id), null), null),
                403, "videos:upload");
        assertThat(store.listByOwner(owner, null, 100).items()).hasSize(1);
    }

    @Test
    void admins_mayCompleteAndAbandonOthersUploads() throws Exception {
        String id = created(start(owner, UPLOADER, newUpload("t", "video/mp4", "a.mp4", 10))).path("videoId").asText();

        assertProblem(handler.handleRequest(complete(id, "u-admin", "admin " + UPLOADER, completion("x", 1)), null), 400, "uploadId");
        var deleted = handler.handleRequest(request("DELETE", "/uploads/{id}", "u-admin", "admin " + UPLOADER, Map.of("id", id), null), null);
        assertThat(deleted.getStatusCode()).as(deleted.getBody()).isEqualTo(204);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../", "..", "%2e%2e", "../../etc/passwd", "ÄÖÜaaaaaaaaaaaaaaaaaaaaaaa", "AAAAAAAAAAAAAAAAAAAAAAAAAA",
            "aaaaaaaaaaaaaaaaaaaaaaaaa1", "", " "})
    void hostileIds_are404_withoutTouchingTheStoreOrS3(String id) throws Exception {
        AtomicInteger storeCalls = new AtomicInteger();
        VideoStore counting = counting(storeCalls);
        var responses = HttpResponses.create(aws.env());
        // No S3 client at all: any S3 call would fail with a NullPointerException, i.e. not a 404.
        var uploads = new Uploads(counting, null, null, null, bucket, Uploads.Settings.from(aws.env()), responses, Clock.systemUTC());
        var routes = new MediaRoutes(counting, null, null, null, null, uploads, responses, Clock.systemUTC());

        for (String hostile : List.of(id, "a".repeat(2048))) {
            assertProblem(routes.route(complete(hostile, owner, UPLOADER, completion("x", 1))), 404, "upload");
            assertProblem(routes.route(request("DELETE", "/uploads/{id}", owner, UPLOADER, Map.of("id", hostile), null)), 404, "upload");
        }
        var noPath = routes.route(request("DELETE", "/uploads/{id}", owner, UPLOADER, null, null));
        assertProblem(noPath, 404, "upload");
        assertThat(storeCalls).as("no store call for an id that is not ours").hasValue(0);
        assertThat(store.listByOwner(owner, null, 100).items()).isEmpty();
    }

    @Test
    void completion_mayListTenThousandParts_butNoBodyIsUnbounded() throws Exception {
        String id = created(start(owner, UPLOADER, newUpload("t", "video/mp4", "a.mp4", 10))).path("videoId").asText();
        Map<String, Object> full = Map.of("uploadId", "x", "parts", IntStream.rangeClosed(1, 10_000)
                .mapToObj(n -> Map.of("partNumber", n, "etag", "\"" + "0123456789abcdef".repeat(2) + "-" + n + "\"")).toList());

        assertProblem(handler.handleRequest(complete(id, owner, UPLOADER, full), null), 400, "uploadId");
        var request = complete(id, owner, UPLOADER, Map.of()).withBody("{\"uploadId\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}");
        assertProblem(handler.handleRequest(request, null), 413, "larger than");
    }

    // ---------------------------------------------------------------------------------------------- helpers

    // Faults (issue #15): a dependency that fails part-way leaves no video behind, and the answer is 503 + Retry-After.

    @Test
    void s3SlowingDownWhenAMultipartUploadIsOpened_is503_andLeavesNoVideoBehind() throws Exception {
        handler = new MediaHandler(withKeys(SMALL_PARTS));
        try (var faults = io.reel.localaws.faults.Faults.inject(io.reel.localaws.faults.Faults.Fault.SLOW_DOWN
                .on("S3", "CreateMultipartUpload").always())) {
            var response = start(owner, UPLOADER, newUpload("Busy", "video/webm", "a.webm", 11 * MIB));

            assertProblem(response, 503, "try again");
            assertThat(response.getHeaders()).containsEntry("Retry-After", "2");
            assertThat(faults.injected()).as("the SDK tried 3 times").isEqualTo(3);
        }
        assertThat(store.listByOwner(owner, null, 10).items()).as("no video row without its upload").isEmpty();
    }

    @Test
    void throttledDynamoDb_isRetried_orAnswered503_neverA500() throws Exception {
        int ok = 0;
        try (var faults = io.reel.localaws.faults.Faults.inject(io.reel.localaws.faults.Faults.Fault.THROTTLED
                .on("DynamoDB", null).fraction(0.3))) {
            for (int i = 0; i < 20; i++) {
                var response = start(owner, UPLOADER, newUpload("Video " + i, "video/mp4", "v.mp4", 1000));
                assertThat(response.getStatusCode()).as(response.getBody()).isIn(201, 503);
                ok += response.getStatusCode() == 201 ? 1 : 0;
            }
            assertThat(faults.injected()).isPositive();
        }
        assertThat(ok).as("the SDK's retries absorb most throttling").isGreaterThanOrEqualTo(15);
        assertThat(store.listByOwner(owner, null, 50).items()).as("one row per 201, none for a 503").hasSize(ok);
    }

    private static String newUpload(String title, String contentType, String fileName, long size) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title);
        body.put("fileName", fileName);
        body.put("contentType", contentType);
        body.put("size", size);
        return Json.write(body);
    }

    private static Map<String, Object> valid() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "A title");
        body.put("description", "About it");
        body.put("fileName", "video.mp4");
        body.put("contentType", "video/mp4");
        body.put("size", 1000);
        return body;
    }

    private static String with(String field, Object value) {
        Map<String, Object> body = valid();
        body.put(field, value);
        return Json.write(body);
    }

    private static String without(String field) {
        Map<String, Object> body = valid();
        body.remove(field);
        return Json.write(body);
    }

    private static Map<String, Object> completion(String uploadId, int parts) {
        return Map.of("uploadId", uploadId, "parts", IntStream.rangeClosed(1, parts)
                .mapToObj(n -> Map.of("partNumber", n, "etag", "\"0123456789abcdef0123456789abcdef\"")).toList());
    }

    private APIGatewayProxyResponseEvent start(String userId, String scopes, String body) {
        return handler.handleRequest(request("POST", "/uploads", userId, scopes, Map.of(), body), null);
    }

    /**
     * The request a client makes by following {@code reference} from a multipart plan: resolved against the
     * {@code POST /uploads} URL as a client resolves it (RFC 3986), then routed as API Gateway routes the path.
     */
    private static APIGatewayProxyRequestEvent follow(String method, String reference, String userId, String scopes, String body) {
        String path = POST_UPLOADS.resolve(reference).getPath();
        assertThat(path).as(reference).startsWith("/prod/");
        Matcher route = Pattern.compile("/uploads/([^/]+)(/complete)?").matcher(path.substring("/prod".length()));
        assertThat(route.matches()).as(path).isTrue();
        var followed = request(method, route.group(2) == null ? "/uploads/{id}" : "/uploads/{id}/complete", userId, scopes,
                Map.of("id", route.group(1)), body);
        String query = POST_UPLOADS.resolve(reference).getRawQuery();
        if (query != null) {
            Map<String, String> parameters = new java.util.LinkedHashMap<>();
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                parameters.put(kv[0], java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", java.nio.charset.StandardCharsets.UTF_8));
            }
            followed.withQueryStringParameters(parameters);
        }
        return followed;
    }

    private static APIGatewayProxyRequestEvent complete(String id, String userId, String scopes, Map<String, Object> body) {
        return request("POST", "/uploads/{id}/complete", userId, scopes, Map.of("id", id), Json.write(body));
    }

    private static APIGatewayProxyRequestEvent request(String method, String resource, String userId, String scopes,
                                                       Map<String, String> path, String body) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(Map.of("userId", userId, "username", "name-" + userId, "scopes", scopes));
        return new APIGatewayProxyRequestEvent().withHttpMethod(method).withResource(resource).withPathParameters(path)
                .withBody(body).withRequestContext(context);
    }

    private static JsonNode created(APIGatewayProxyResponseEvent response) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
        return Json.mapper().readTree(response.getBody());
    }

    private static void assertProblem(APIGatewayProxyResponseEvent response, int status, String mentions) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        JsonNode problem = Json.mapper().readTree(response.getBody());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).as(response.getBody()).isNotBlank().contains(mentions);
    }

    /** A PUT as a browser sends it: the body (so its Content-Length) and at most a Content-Type. */
    private HttpResponse<String> put(String url, String contentType, byte[] body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A PUT the store should refuse. S3 checks the signature on the headers and may answer 403 and close the
     * connection while the client is still sending the body; the JDK client then reports an IOException instead of
     * the answer. So such a PUT is sent again (on a fresh connection) until the 403 is read, at most five times.
     */
    private HttpResponse<String> refusedPut(String url, String contentType, byte[] body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        java.io.IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try (HttpClient once = HttpClient.newHttpClient()) {
                return once.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException cutOff) {
                last = cutOff;
            }
        }
        throw last;
    }

    private boolean objectExists(String key) {
        try {
            aws.s3().headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private void subscribe() {
        subscription = aws.s3Events().subscribe(bucket, event -> events.addAll(event.getRecords()));
    }

    /** The events delivered for the video's objects, once the bridge has had time to deliver any late one. */
    private List<S3EventNotificationRecord> eventsFor(String id) throws InterruptedException {
        for (int settled = 0; settled < 2; settled++) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (aws.s3Events().pendingDeliveries() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(300);
        }
        assertThat(aws.s3Events().pendingDeliveries()).isZero();
        return events.stream().filter(r -> r.getS3().getObject().getKey().startsWith("uploads/" + id + "/")).toList();
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private VideoStore counting(AtomicInteger calls) {
        return CountingVideoStore.around(store, calls);
    }
}
