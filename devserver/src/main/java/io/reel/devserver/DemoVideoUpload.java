package io.reel.devserver;

import io.reel.core.Json;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.User;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.devserver.app.Application;
import io.reel.devserver.app.S3Trigger;
import io.reel.localaws.LocalAws;
import io.reel.localaws.ProvisionedResources;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The demo video of a first start: in the background, {@link DemoVideo} is generated and goes through the real upload
 * path, as the media function's {@code POST /uploads} and a browser's PUT would take it: the {@code Videos} item is
 * created (AWAITING_UPLOAD, owned by the demo uploader), the file is PUT to {@code uploads/{id}/source}, and the
 * bucket's S3 event runs the transcode function, which makes it READY. {@code demo-video.json} beside the data then
 * remembers it, so later starts add no other. Any failure is one log line; the devserver carries on.
 */
final class DemoVideoUpload implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoVideoUpload.class);
    static final String MARKER = "demo-video.json";
    static final String TITLE = "Welcome to Reel";
    static final String DESCRIPTION = "Ten generated seconds, uploaded and transcoded by your devserver on its first start.";
    private static final Duration SETTLE_LIMIT = Duration.ofMinutes(15);

    /** What {@code demo-video.json} holds. */
    record Marker(String videoId, String title, String uploadedAt) {
    }

    /** Where the demo video goes: physical table and bucket names, and the uploader who owns it. */
    record Target(String videosTable, String usersTable, String uploadsBucket, String uploader) {
    }

    private final Path marker;
    private final Target target;
    private final DynamoDbVideoStore videos;
    private final DynamoDbUserStore users;
    private final S3Client s3;
    private final URI baseUri;
    private final Thread thread;

    private DemoVideoUpload(Path folder, Target target, LocalAws aws, URI baseUri) {
        this.marker = folder.resolve(MARKER);
        this.target = target;
        this.videos = new DynamoDbVideoStore(aws.dynamoDb(), target.videosTable());
        this.users = new DynamoDbUserStore(aws.dynamoDb(), target.usersTable());
        this.s3 = aws.s3();
        this.baseUri = baseUri;
        this.thread = Thread.ofPlatform().daemon().name("demo-video").priority(Thread.MIN_PRIORITY).unstarted(this::run);
    }

    /**
     * Where the template takes uploads, if it does as Reel's does: a {@code VideosTable}, a {@code UsersTable}, the
     * demo uploader, and an S3 trigger that fires for {@code uploads/{id}/source}. Empty otherwise (test templates).
     */
    static Optional<Target> target(Application application, ProvisionedResources names,
                                   Optional<DemoAccounts.Credentials> accounts) {
        String videosTable = names.tables().get("VideosTable");
        String usersTable = names.tables().get("UsersTable");
        Optional<String> uploader = accounts.stream().flatMap(a -> a.accounts().stream())
                .filter(a -> a.role().equals("uploader")).map(DemoAccounts.Credential::username).findFirst();
        String sampleKey = sourceKey(VideoIds.newId());
        Optional<String> bucket = application.s3Triggers().stream()
                .filter(trigger -> trigger.matches("ObjectCreated:Put", sampleKey))
                .map(S3Trigger::bucketLogicalId).map(names.buckets()::get).filter(name -> name != null).findFirst();
        if (videosTable == null || usersTable == null || uploader.isEmpty() || bucket.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Target(videosTable, usersTable, bucket.get(), uploader.get()));
    }

    /** Starts the demo video in the background unless {@code folder} says it was made already. */
    static Optional<DemoVideoUpload> startUnlessDone(Path folder, Target target, LocalAws aws, URI baseUri) {
        if (Files.exists(folder.resolve(MARKER))) {
            return Optional.empty();
        }
        DemoVideoUpload upload = new DemoVideoUpload(folder, target, aws, baseUri);
        upload.thread.start();
        return Optional.of(upload);
    }

    /** As the media function names an upload's object (Uploads.sourceKey): the S3 trigger's prefix and suffix. */
    static String sourceKey(String videoId) {
        return "uploads/" + videoId + "/source";
    }

    /** Waits for the background work (generation, upload, and the wait until READY or FAILED) to end. */
    boolean await(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    private void run() {
        long started = System.nanoTime();
        Path file = null;
        String videoId = null;
        boolean uploaded = false;
        try {
            User owner = users.findByUsername(target.uploader()).orElseThrow(() -> new IllegalStateException(
                    "the demo uploader '" + target.uploader() + "' is not in the " + target.usersTable() + " table"));
            file = Files.createTempFile("reel-demo-", ".mp4");
            DemoVideo.write(file);
            long bytes = Files.size(file);
            long generatedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            Instant now = Instant.now();
            Video video = new Video(VideoIds.newId(), owner.userId(), TITLE, DESCRIPTION, VideoStatus.AWAITING_UPLOAD,
                    null, null, 0, 0, List.of(), null, null, now, now);
            videos.create(video);
            videoId = video.videoId();
            String id = videoId;
            s3.putObject(r -> r.bucket(target.uploadsBucket()).key(sourceKey(id)).contentType("video/mp4"), RequestBody.fromFile(file));
            uploaded = true;
            try {
                Files.writeString(marker, Json.write(new Marker(id, TITLE, now.toString())));
            } catch (IOException e) {
                LOG.warn("demo video {} uploaded, but {} could not be written ({}): the next start makes another", id, marker,
                        e.getMessage());
            }
            LOG.info("demo video uploaded videoId={} bytes={} generatedMs={}: the transcode function takes it from here",
                    id, bytes, generatedMs);
            awaitSettled(id, started);
        } catch (InterruptedException | InterruptedIOException | AbortedException e) {
            LOG.info("demo video abandoned: the devserver is stopping ({})", uploaded
                    ? "its transcode may not finish; ./run.sh --reset starts over" : "it is made on the next start");
        } catch (IOException | RuntimeException e) {
            LOG.warn("demo video not made ({}: {}); the devserver carries on without it", e.getClass().getSimpleName(), e.getMessage());
            LOG.debug("demo video failure", e);
        } finally {
            boolean interrupted = Thread.interrupted(); // the SDK refuses calls on an interrupted thread; clean up first
            if (videoId != null && !uploaded) {
                deleteQuietly(videoId); // as Uploads does: no upload, no video left behind
            }
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debug("could not delete {}", file, e);
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Follows the video until the transcode function settles it, for the one line that tells the newcomer. */
    private void awaitSettled(String videoId, long started) throws InterruptedException {
        long until = System.nanoTime() + SETTLE_LIMIT.toNanos();
        while (System.nanoTime() < until) {
            Thread.sleep(1000);
            Optional<Video> video = videos.find(videoId);
            if (video.isEmpty()) {
                LOG.info("demo video {} was deleted before it was ready", videoId);
                return;
            }
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            if (video.get().status() == VideoStatus.READY) {
                LOG.info("demo video READY: \"{}\" is in the catalogue at {}/ (made in {} s; videoId={})",
                        TITLE, baseUri, seconds, videoId);
                return;
            }
            if (video.get().status() == VideoStatus.FAILED) {
                LOG.warn("demo video FAILED in the transcode function: {} (videoId={})", video.get().failureReason(), videoId);
                return;
            }
        }
        LOG.warn("demo video still not READY after {} min (videoId={}); see the transcode function's log",
                SETTLE_LIMIT.toMinutes(), videoId);
    }

    private void deleteQuietly(String videoId) {
        try {
            videos.delete(videoId);
        } catch (RuntimeException e) {
            LOG.debug("could not delete the unfinished demo video {}", videoId, e);
        }
    }

    /** Stops the background work (the devserver is closing) and waits a little for it to clean up. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            if (!thread.join(Duration.ofSeconds(10))) {
                LOG.warn("demo video thread still running at stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
