package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A phone-sized upload on the local platform, as {@code ./run.sh} runs it (data kept in a folder named relatively, as
 * {@code .reel-data} is) and with {@code --memory}. Issue #15, defects 5 and 9: over the 100 MiB multipart threshold
 * nothing became READY (persistent: {@code complete} refused every part; in memory: FAILED "replaced"), and deleting a
 * video or cancelling an upload deleted no files in the persistent mode.
 */
class LargeUploadIT {
    /** Over the template's MULTIPART_THRESHOLD (100 MiB): 7 parts of 16 MiB. */
    private static final long SIZE = 101L * 1024 * 1024;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kept in .reel-data-like folder", "in memory"})
    void aFileOver100MiB_goesThroughTheMultipartPlanToReady_andItsDeletionDeletesItsFiles(String mode, @TempDir Path temp)
            throws Exception {
        Path video = temp.resolve("phone.mp4");
        paddedVideo(video);
        byte[] file = Files.readAllBytes(video);
        assertThat((long) file.length).isEqualTo(SIZE);
        Path data = mode.startsWith("kept") ? Path.of("target", "large-upload-" + UUID.randomUUID()) : null;
        DevServer.Builder builder = DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(Path.of("../frontend"))
                .port(0).demoVideo(false);
        if (data != null) {
            builder.dataDirectory(data);
        }
        try (DevServer server = builder.start()) {
            PlatformClient api = new PlatformClient(server);
            String uploader = api.token("uploader");

            String id = api.upload(uploader, "Phone video", file);

            JsonNode ready = api.awaitSettled(uploader, id, Duration.ofMinutes(3));
            assertThat(ready.path("status").asText()).as(ready.toString()).isEqualTo("READY");
            assertThat(ready.path("durationSeconds").asDouble()).isBetween(1.9, 2.1);
            var playback = api.send("GET", "/api/videos/" + id + "/playback", uploader, null);
            assertThat(playback.statusCode()).as(playback.body()).isEqualTo(200);
            JsonNode mp4s = Json.mapper().readTree(playback.body()).path("mp4");
            URI mp4 = URI.create(mp4s.get(mp4s.size() - 1).path("url").asText());
            assertThat(status(api, mp4)).isEqualTo(200);
            if (data != null) {
                assertThat(filesOf(data, id)).as("outputs and source on disk").isNotEmpty();
            }

            var deleted = api.send("DELETE", "/api/videos/" + id, uploader, null);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

            assertThat(status(api, mp4)).as("a signed URL from before the delete").isEqualTo(404);
            if (data != null) {
                assertThat(filesOf(data, id)).as("nothing of the video left on disk").isEmpty();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void afterACancel_thePlansURLsLeaveNothingBehind() throws Exception {
        Path data = Path.of("target", "cancelled-upload-" + UUID.randomUUID());
        try (DevServer server = DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(Path.of("../frontend"))
                .port(0).dataDirectory(data).start()) {
            PlatformClient api = new PlatformClient(server);
            String uploader = api.token("uploader");
            for (long size : new long[] {1024, SIZE}) {
                var started = api.send("POST", "/api/uploads", uploader, "{\"title\":\"Cancelled\",\"fileName\":\"c.mp4\","
                        + "\"contentType\":\"video/mp4\",\"size\":" + size + "}");
                assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
                JsonNode plan = Json.mapper().readTree(started.body());
                String id = plan.path("videoId").asText();
                boolean multipart = plan.path("multipart").isObject();
                String abort = multipart ? URI.create(server.baseUri() + "/api/uploads").resolve(plan.path("multipart")
                        .path("abort").asText()).toString().substring(server.baseUri().toString().length()) : "/api/uploads/" + id;
                var cancelled = api.send("DELETE", abort, uploader, null);
                assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(204);

                String url = multipart ? plan.path("multipart").path("parts").get(0).path("url").asText()
                        : plan.path("upload").path("url").asText();
                // The part URL signs the planned part's length, so the part is sent whole; S3 may refuse it before
                // reading it all and close the connection, which a client sees as a failed send.
                byte[] body = new byte[multipart ? Math.toIntExact(plan.path("multipart").path("partSize").asLong()) : 1024];
                Integer lateStatus;
                try {
                    lateStatus = api.http().send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "video/mp4")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException closedEarly) {
                    lateStatus = null;
                }
                if (multipart) {
                    assertThat(lateStatus).as("a part of an aborted upload").isIn(404, null);
                } else {
                    // S3 cannot revoke a presigned PUT before it expires; the object's event finds no video and deletes it.
                    assertThat(lateStatus).isEqualTo(200);
                }
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!filesOf(data, id).isEmpty() && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                assertThat(filesOf(data, id)).as("nothing of the cancelled upload left on disk").isEmpty();
                assertThat(api.send("GET", "/api/videos/" + id, uploader, null).statusCode()).isEqualTo(404);
            }
        }
    }

    /** Every file under the data folder's S3 store whose path names the video. */
    private static List<Path> filesOf(Path data, String videoId) throws Exception {
        try (Stream<Path> files = Files.walk(data.resolve("s3"))) {
            return files.filter(Files::isRegularFile).filter(p -> p.toString().contains(videoId)).toList();
        }
    }

    private static int status(PlatformClient api, URI uri) throws Exception {
        return api.http().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * A 2 s clip made to weigh {@link #SIZE} by a top-level {@code free} box after its {@code moov} (ISO/IEC 14496-12:
     * readers skip it), so the test pays for a large transfer, not a long encode.
     */
    private static void paddedVideo(Path out) throws Exception {
        TestClips.testCard(out, 2);
        long padding = SIZE - Files.size(out);
        try (OutputStream append = Files.newOutputStream(out, StandardOpenOption.APPEND)) {
            append.write(ByteBuffer.allocate(8).putInt(Math.toIntExact(padding)).put("free".getBytes(StandardCharsets.US_ASCII)).array());
            byte[] zeros = new byte[1 << 20];
            for (long left = padding - 8; left > 0; left -= zeros.length) {
                append.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        }
    }
}
