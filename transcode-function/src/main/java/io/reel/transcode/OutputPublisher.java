package io.reel.transcode;

import io.reel.core.domain.VideoIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Uploads a finished output folder to the media bucket under {@code videos/{id}/}, keeping relative paths, with the
 * content type players expect and cache headers: everything under a video's id is written once and never changes, so
 * media is {@code immutable}; playlists and cues are only ever served rewritten by the media function, so they are
 * {@code no-cache}. Several uploads run at once (a 2-hour ladder is thousands of segments).
 */
final class OutputPublisher {
    static final String MEDIA_CACHE = "public, max-age=31536000, immutable";
    static final String TEXT_CACHE = "no-cache";
    private static final Map<String, String> TYPES = Map.of(
            "m3u8", "application/vnd.apple.mpegurl",
            "m4s", "video/iso.segment",
            "ts", "video/mp2t",
            "mp4", "video/mp4",
            "jpg", "image/jpeg",
            "vtt", "text/vtt; charset=utf-8");

    private final S3Client s3;
    private final String bucket;
    private final int parallelism;

    OutputPublisher(S3Client s3, String bucket, int parallelism) {
        this.s3 = s3;
        this.bucket = bucket;
        this.parallelism = parallelism;
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            throw new IllegalArgumentException("No content type for " + name + "; the encoder wrote something unexpected");
        }
        return type;
    }

    static String cacheControl(String name) {
        return name.endsWith(".m3u8") || name.endsWith(".vtt") ? TEXT_CACHE : MEDIA_CACHE;
    }

    /** Uploads every regular file under {@code folder}; the number uploaded. */
    int publish(String videoId, Path folder) throws IOException {
        String prefix = VideoIds.mediaPrefix(videoId);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, runnable -> {
            Thread thread = new Thread(runnable, "reel-publish");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> uploads = new ArrayList<>();
            for (Path file : files) {
                String relative = folder.relativize(file).toString().replace('\\', '/');
                String key = prefix + relative;
                uploads.add(pool.submit(() -> s3.putObject(r -> r.bucket(bucket).key(key)
                        .contentType(contentType(relative)).cacheControl(cacheControl(relative)), RequestBody.fromFile(file))));
            }
            for (Future<?> upload : uploads) {
                upload.get();
            }
            return files.size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while publishing " + videoId, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UncheckedIOException(new IOException(e.getCause()));
        } finally {
            pool.shutdownNow();
        }
    }
}
