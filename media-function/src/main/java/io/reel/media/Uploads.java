package io.reel.media;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.reel.core.ConfigurationException;
import io.reel.core.Env;
import io.reel.core.domain.Scope;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.core.http.Caller;
import io.reel.core.http.HttpResponses;
import io.reel.core.http.Problem;
import io.reel.core.http.Requests;
import io.reel.core.log.JsonLog;
import io.reel.core.port.VideoStore;
import io.reel.media.UploadRules.CompleteUpload;
import io.reel.media.UploadRules.NewUpload;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Direct uploads: the browser sends the file straight to the uploads bucket through presigned URLs, never through the
 * API. {@code POST /uploads} creates the video (AWAITING_UPLOAD) and answers one presigned PUT, or, for a file larger
 * than the multipart threshold, a multipart upload with a presigned URL for every part; {@code POST
 * /uploads/{id}/complete} assembles the parts; {@code DELETE /uploads/{id}} abandons an unfinished upload. The object
 * key is {@code uploads/{id}/source}, made from the server's id only (the client's file name is never part of a key);
 * S3's ObjectCreated event for it starts processing. Every route needs the {@code videos:upload} scope.
 *
 * <p>Environment: {@code MAX_UPLOAD_BYTES} (default 5 GiB), {@code MULTIPART_THRESHOLD} (default 100 MiB: larger files
 * go in parts), {@code UPLOAD_PART_SIZE} (default 16 MiB, at least S3's 5 MiB) and {@code UPLOAD_URL_LIFETIME}
 * (default 6h). Every part's URL is in the answer to {@code POST /uploads}, about 1.5 KB each with a Lambda role's
 * session token: Lambda's 6 MB response limit allows a few thousand parts, so a {@code MAX_UPLOAD_BYTES} beyond some
 * 40 GiB needs a larger {@code UPLOAD_PART_SIZE} too.
 */
final class Uploads {
    private static final JsonLog LOG = JsonLog.create(Uploads.class);
    /** The route whose body lists every part: larger than any other body the function takes, still bounded. */
    static final String COMPLETE_ROUTE = "POST /uploads/{id}/complete";
    /** 10,000 parts of {@code {"partNumber":10000,"etag":"…128 characters…"}} fit. */
    static final int MAX_COMPLETE_BODY_CHARS = 2 * 1024 * 1024;
    static final long MIB = 1024L * 1024;
    static final long GIB = 1024 * MIB;
    /** S3's limits: every part but the last at least 5 MiB; no part, and no single PUT, over 5 GiB. */
    static final long S3_MIN_PART = 5 * MIB;
    static final long S3_MAX_PART = 5 * GIB;
    static final long S3_MAX_PUT = 5 * GIB;
    /** Headers a browser sends by itself or as told; a presigned URL needing any other would be useless to it. */
    private static final Set<String> BROWSER_HEADERS = Set.of("host", "content-type", "content-length");

    /**
     * @param maxBytes           the largest file accepted
     * @param multipartThreshold files up to this size go in one PUT, larger ones in parts
     * @param partSize           the smallest part size used (raised for files that would need over 10,000 parts)
     * @param urlLifetime        how long every presigned URL of an upload lives
     */
    record Settings(long maxBytes, long multipartThreshold, long partSize, Duration urlLifetime) {
        static Settings from(Env env) {
            long maxBytes = env.longValue("MAX_UPLOAD_BYTES", 5 * GIB);
            long threshold = env.longValue("MULTIPART_THRESHOLD", 100 * MIB);
            long partSize = env.longValue("UPLOAD_PART_SIZE", 16 * MIB);
            Duration lifetime = env.duration("UPLOAD_URL_LIFETIME", Duration.ofHours(6));
            require(maxBytes >= 1 && maxBytes <= S3_MAX_PART * UploadRules.MAX_PARTS, "MAX_UPLOAD_BYTES", maxBytes,
                    "from 1 to " + S3_MAX_PART * UploadRules.MAX_PARTS + " (10,000 parts of 5 GiB)");
            require(threshold >= 1 && threshold <= S3_MAX_PUT, "MULTIPART_THRESHOLD", threshold,
                    "from 1 to " + S3_MAX_PUT + " (5 GiB, the most S3 takes in one PUT)");
            require(partSize >= S3_MIN_PART && partSize <= S3_MAX_PART, "UPLOAD_PART_SIZE", partSize,
                    "from " + S3_MIN_PART + " (5 MiB) to " + S3_MAX_PART + " (5 GiB), S3's limits on a part");
            require(lifetime.compareTo(Duration.ofSeconds(1)) >= 0 && lifetime.compareTo(Duration.ofDays(7)) <= 0,
                    "UPLOAD_URL_LIFETIME", lifetime, "from 1s to 7d (the longest a presigned URL lives)");
            return new Settings(maxBytes, threshold, partSize, lifetime.truncatedTo(ChronoUnit.SECONDS));
        }

        private static void require(boolean valid, String name, Object value, String expected) {
            if (!valid) {
                throw new ConfigurationException("Environment variable " + name + " is out of range: got " + value
                        + ", expected " + expected + ".");
            }
        }
    }

    /** The answer to {@code POST /uploads}: either {@code upload} (one PUT) or {@code multipart}. */
    record Started(String videoId, String status, SinglePut upload, Multipart multipart) {
    }

    /** One presigned PUT: the browser sends exactly these headers (Content-Length it sets by itself). */
    record SinglePut(String method, String url, Map<String, String> headers, String expiresAt) {
    }

    /**
     * A multipart upload: part n is bytes [(n-1) * partSize, n * partSize) of the file, PUT to its own URL;
     * {@code complete} and {@code abort} are references relative to the {@code POST /uploads} URL.
     */
    record Multipart(String uploadId, long partSize, List<PartUrl> parts, String complete, String abort, String expiresAt) {
    }

    record PartUrl(int partNumber, String url) {
    }

    private final VideoStore videos;
    private final MediaObjects objects;
    private final Supplier<S3Client> s3;
    private final Supplier<S3Presigner> presigner;
    private final String bucket;
    private final Settings settings;
    private final HttpResponses responses;
    private final Clock clock;

    Uploads(VideoStore videos, MediaObjects objects, Supplier<S3Client> s3, Supplier<S3Presigner> presigner, String bucket, Settings settings,
            HttpResponses responses, Clock clock) {
        this.videos = videos;
        this.objects = objects;
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.settings = settings;
        this.responses = responses;
        this.clock = clock;
    }

    /** Where a video's uploaded file is kept, whatever the client called it. */
    static String sourceKey(String videoId) {
        return MediaObjects.uploadPrefix(videoId) + "source";
    }

    /**
     * The part size for a file: the configured one, or more where the file would otherwise need over 10,000 parts
     * (rounded up to a whole MiB), never below S3's 5 MiB.
     */
    static long partSize(long fileSize, long configured) {
        long needed = Math.ceilDiv(Math.ceilDiv(fileSize, UploadRules.MAX_PARTS), MIB) * MIB;
        return Math.max(S3_MIN_PART, Math.max(configured, needed));
    }

    /** What a client may send, so a page can refuse a file before sending a byte: the size limit and the types. */
    record Limits(long maxBytes, Map<String, List<String>> types) {
    }

    /** {@code GET /uploads/limits}: the server's own limits, for the checks a page makes before an upload starts. */
    APIGatewayProxyResponseEvent limits(Caller caller) {
        if (!caller.has(Scope.VIDEOS_UPLOAD)) {
            return forbidden();
        }
        // The same for everyone and every call in this container; a page may keep it for an hour.
        APIGatewayProxyResponseEvent response = responses.ok(new Limits(settings.maxBytes(), UploadRules.TYPES));
        Map<String, String> headers = new java.util.LinkedHashMap<>(response.getHeaders());
        headers.put("Cache-Control", "private, max-age=3600");
        return response.withHeaders(headers);
    }

    /** {@code POST /uploads}: creates the video and answers where to send the file. */
    APIGatewayProxyResponseEvent start(APIGatewayProxyRequestEvent request, Caller caller) {
        if (!caller.has(Scope.VIDEOS_UPLOAD)) {
            return forbidden();
        }
        NewUpload body = Requests.jsonBody(request, NewUpload.class);
        Optional<Problem> refused = UploadRules.checkNew(body, settings.maxBytes());
        if (refused.isPresent()) {
            return responses.problem(refused.get());
        }
        long size = ((Number) body.size()).longValue(); // checkNew let through only a whole number within the limit
        String contentType = body.contentType().toLowerCase(Locale.ROOT);
        String description = body.description() == null || body.description().isEmpty() ? null : body.description();
        Instant now = clock.instant();
        Video video = new Video(VideoIds.newId(), caller.userId(), body.title().strip(), description,
                VideoStatus.AWAITING_UPLOAD, null, null, 0, 0, List.of(), null, null, now, now);
        videos.create(video);
        String id = video.videoId();
        Instant expiresAt = now.truncatedTo(ChronoUnit.SECONDS).plus(settings.urlLifetime());
        Started started;
        try {
            started = size <= settings.multipartThreshold()
                    ? new Started(id, video.status().name(), singlePut(id, contentType, size, expiresAt), null)
                    : new Started(id, video.status().name(), null, multipart(id, contentType, size, expiresAt));
        } catch (RuntimeException e) {
            // Nothing to upload to: leave no video behind. An opened multipart upload is aborted by the bucket's
            // lifecycle rule after a day.
            try {
                videos.delete(id);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        LOG.info("upload.started", Map.of("videoId", id, "bytes", size, "multipart", started.multipart() != null));
        return responses.json(201, started);
    }

    private SinglePut singlePut(String videoId, String contentType, long size, Instant expiresAt) {
        var presigned = presigner.get().presignPutObject(r -> r.signatureDuration(settings.urlLifetime())
                .putObjectRequest(p -> p.bucket(bucket).key(sourceKey(videoId)).contentType(contentType).contentLength(size)));
        return new SinglePut("PUT", browserUrl(presigned), Map.of("Content-Type", contentType), expiresAt.toString());
    }

    private Multipart multipart(String videoId, String contentType, long size, Instant expiresAt) {
        String key = sourceKey(videoId);
        String uploadId = s3.get().createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType)).uploadId();
        long partSize = partSize(size, settings.partSize());
        int count = (int) Math.ceilDiv(size, partSize);
        List<PartUrl> parts = new ArrayList<>(count);
        for (int n = 1; n <= count; n++) {
            int partNumber = n;
            // Each part's length is signed too, so S3 refuses a part cut at other boundaries than these.
            long length = n < count ? partSize : size - partSize * (count - 1);
            var presigned = presigner.get().presignUploadPart(r -> r.signatureDuration(settings.urlLifetime())
                    .uploadPartRequest(p -> p.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber).contentLength(length)));
            parts.add(new PartUrl(partNumber, browserUrl(presigned)));
        }
        return new Multipart(uploadId, partSize, List.copyOf(parts), completeReference(videoId), abortReference(videoId, uploadId),
                expiresAt.toString());
    }

    /**
     * Where to complete an upload, as a URI reference relative to the {@code POST /uploads} URL (RFC 3986): against
     * {@code /api/uploads} it is {@code /api/uploads/{id}/complete}, against API Gateway's {@code …/prod/uploads} it
     * is {@code /prod/uploads/{id}/complete}. The function cannot know the prefix it is served under (see
     * {@link Playback}'s {@code hls}).
     */
    static String completeReference(String videoId) {
        return "uploads/" + videoId + "/complete";
    }

    /**
     * Where to abandon an upload ({@code DELETE}), relative to the {@code POST /uploads} URL like {@link #completeReference},
     * naming the multipart upload so it is aborted directly, without listing the bucket's open uploads.
     */
    static String abortReference(String videoId, String uploadId) {
        return "uploads/" + videoId + "?uploadId=" + URLEncoder.encode(uploadId, StandardCharsets.UTF_8);
    }

    /**
     * The URL, once sure a browser can use it with no headers but Content-Type and Content-Length: a checksum the SDK
     * signed in (a header, or a query parameter S3 would check the body against) would make every browser PUT fail.
     */
    static String browserUrl(PresignedRequest presigned) {
        String query = String.valueOf(presigned.url().getQuery()).toLowerCase(Locale.ROOT);
        if (!BROWSER_HEADERS.containsAll(presigned.signedHeaders().keySet()) || presigned.signedPayload().isPresent()
                || query.contains("x-amz-checksum-") || query.contains("x-amz-sdk-checksum")) {
            throw new IllegalStateException("The presigner signed more than a browser sends (headers "
                    + presigned.signedHeaders().keySet() + "); check its checksum configuration");
        }
        return presigned.url().toString();
    }

    /** {@code POST /uploads/{id}/complete}: assembles the uploaded parts into the video's source object. */
    APIGatewayProxyResponseEvent complete(APIGatewayProxyRequestEvent request, Caller caller) {
        return withAwaitingUpload(request, caller, video -> "The upload is already finished: the video's status is "
                + video.status() + ".", video -> completeAwaiting(request, video));
    }

    private APIGatewayProxyResponseEvent completeAwaiting(APIGatewayProxyRequestEvent request, Video video) {
        CompleteUpload body = Requests.jsonBody(request, CompleteUpload.class);
        Optional<Problem> refused = UploadRules.checkCompletion(body);
        if (refused.isPresent()) {
            return responses.problem(refused.get());
        }
        String key = sourceKey(video.videoId());
        List<CompletedPart> parts = body.parts().stream()
                .map(p -> CompletedPart.builder().partNumber(((Number) p.partNumber()).intValue()).eTag(p.etag()).build()).toList();
        try {
            s3.get().completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(body.uploadId()).multipartUpload(m -> m.parts(parts)));
        } catch (S3Exception e) {
            String reason = clientFault(e).orElseThrow(() -> e);
            return responses.problem(Problem.badRequest(reason));
        }
        long stored = s3.get().headObject(r -> r.bucket(bucket).key(key)).contentLength();
        if (stored > settings.maxBytes()) {
            s3.get().deleteObject(r -> r.bucket(bucket).key(key));
            LOG.warn("upload.too_large", Map.of("videoId", video.videoId(), "bytes", stored));
            return responses.problem(Problem.payloadTooLarge("The uploaded file is " + stored + " bytes; the largest upload accepted is "
                    + settings.maxBytes() + " bytes (" + UploadRules.readable(settings.maxBytes()) + "). It was deleted."));
        }
        LOG.info("upload.completed", Map.of("videoId", video.videoId(), "bytes", stored, "parts", parts.size()));
        return responses.json(202, VideoView.of(video, true, null)); // not processed yet: no poster
    }

    /**
     * Why S3 refused to complete, in words for the client; empty when it is not the client's doing (S3's own failure,
     * or access denied, a misconfiguration here), which is a 5xx.
     */
    static Optional<String> clientFault(S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        // S3 answers NoSuchUpload for an upload id it does not know; S3Proxy answers NoSuchKey (the key is ours, so
        // that can only mean the same).
        if (e instanceof NoSuchUploadException || "NoSuchUpload".equals(code) || "NoSuchKey".equals(code)) {
            return Optional.of("uploadId is not an open upload of this video (it may have been completed or aborted): use the "
                    + "uploadId POST /uploads answered with, or start again.");
        }
        String known = code == null ? null : switch (code) {
            case "InvalidPart" -> "A part was not uploaded, or its etag is not the ETag S3 answered its PUT with: upload it "
                    + "again and retry.";
            case "InvalidPartOrder" -> "parts must be listed in order of partNumber.";
            case "EntityTooSmall" -> "Every part but the last must be at least 5 MiB: cut the file at the partSize POST /uploads "
                    + "answered with.";
            default -> null;
        };
        if (known != null) {
            return Optional.of(known);
        }
        if (e.statusCode() == 400 || e.statusCode() == 404) {
            return Optional.of("S3 refused to complete the upload (" + (code == null ? "status " + e.statusCode() : code) + ").");
        }
        return Optional.empty();
    }

    /**
     * {@code DELETE /uploads/{id}}: abandons an unfinished upload, its parts, any object, and the video. With
     * {@code ?uploadId=} (the plan's {@code abort} link) that multipart upload is aborted directly; any other open upload
     * under the video's prefix is found by listing, best effort: a listing that fails leaves them to the bucket's
     * lifecycle rule (a day), and since the video is gone no such upload can ever become one.
     */
    APIGatewayProxyResponseEvent cancel(APIGatewayProxyRequestEvent request, Caller caller) {
        Map<String, String> query = request.getQueryStringParameters() == null ? Map.of() : request.getQueryStringParameters();
        String uploadId = query.get("uploadId");
        if (uploadId != null && !UploadRules.wellFormedUploadId(uploadId)) {
            return responses.problem(Problem.badRequest("uploadId is not an upload id: use the abort link POST /uploads answered with."));
        }
        return withAwaitingUpload(request, caller, video -> "The upload is finished (the video's status is " + video.status()
                + "): use DELETE /videos/" + video.videoId() + " to delete the video.", video -> cancelAwaiting(video, uploadId));
    }

    private APIGatewayProxyResponseEvent cancelAwaiting(Video video, String uploadId) {
        String id = video.videoId();
        int aborted = uploadId == null ? 0 : abort(sourceKey(id), uploadId);
        aborted += abortListedUploads(MediaObjects.uploadPrefix(id));
        // Objects before the item: if this fails halfway the item is still there to retry from.
        int deleted = objects.deleteAll(id);
        videos.delete(id);
        LOG.info("upload.abandoned", Map.of("videoId", id, "multipartUploads", aborted, "objects", deleted));
        return responses.noContent();
    }

    /** Aborts one multipart upload of ours; 1 if it was open, 0 if it no longer was (or never was). */
    private int abort(String key, String uploadId) {
        try {
            s3.get().abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
            return 1;
        } catch (NoSuchUploadException e) {
            return 0; // completed or aborted meanwhile: either way it is no longer open
        } catch (S3Exception e) {
            if (e.statusCode() != 404) { // 404: S3Proxy answers NoSuchKey for an upload id it does not know
                // Still open, but the video goes anyway: with no item no one can complete it, and the lifecycle rule
                // ends it within a day. Refusing the cancel would leave more behind, not less.
                LOG.warn("upload.abort_failed", Map.of("key", key, "status", e.statusCode(), "code",
                        e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode())));
            }
            return 0;
        }
    }

    private int abortListedUploads(String prefix) {
        int aborted = 0;
        try {
            for (MultipartUpload upload : s3.get().listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(prefix)).uploads()) {
                if (upload.key().startsWith(prefix)) { // the prefix is the only filter that matters: never another video's
                    aborted += abort(upload.key(), upload.uploadId());
                }
            }
        } catch (S3Exception e) {
            // S3Proxy refuses to list while a part is still arriving (400); S3 would list. Either way the directly
            // aborted upload is gone, and the lifecycle rule ends anything else within a day.
            LOG.warn("upload.listing_failed", Map.of("prefix", prefix, "status", e.statusCode(), "code",
                    e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode())));
        }
        return aborted;
    }

    /** The path's video if the id is one of ours, the video exists and the caller owns it (or is an admin). */
    /**
     * Runs {@code action} on the path's video if the caller may upload (else 403), owns it or is an admin (else 404, as
     * for an id that is not ours) and it still awaits its upload (else 409 with {@code conflict}'s sentence).
     */
    private APIGatewayProxyResponseEvent withAwaitingUpload(APIGatewayProxyRequestEvent request, Caller caller,
                                                            Function<Video, String> conflict,
                                                            Function<Video, APIGatewayProxyResponseEvent> action) {
        if (!caller.has(Scope.VIDEOS_UPLOAD)) {
            return forbidden();
        }
        Optional<Video> found = ownVideo(request, caller);
        if (found.isEmpty()) {
            return notFound();
        }
        Video video = found.get();
        if (video.status() != VideoStatus.AWAITING_UPLOAD) {
            return responses.problem(Problem.conflict(conflict.apply(video)));
        }
        return action.apply(video);
    }

    private Optional<Video> ownVideo(APIGatewayProxyRequestEvent request, Caller caller) {
        String id = request.getPathParameters() == null ? null : request.getPathParameters().get("id");
        if (!VideoIds.isValid(id)) {
            return Optional.empty();
        }
        return videos.find(id).filter(v -> caller.isAdmin() || caller.userId().equals(v.ownerId()));
    }

    private APIGatewayProxyResponseEvent forbidden() {
        return responses.problem(Problem.forbidden("Uploading needs the " + Scope.VIDEOS_UPLOAD.value() + " scope."));
    }

    private APIGatewayProxyResponseEvent notFound() {
        return responses.problem(Problem.notFound("No such upload."));
    }
}
