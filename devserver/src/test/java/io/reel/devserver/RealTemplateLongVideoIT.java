package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long video through the real template on the devserver (issue #16), with the split threshold and chunk length
 * lowered so a 40 s clip is "long": the S3 event's transcode function probes it and starts the LongVideoStateMachine
 * (read from the template), whose Map state encodes 4 chunks and whose Parallel branch encodes the audio on the
 * devserver's worker pool, through the real TranscodeWorkerFunction; the stitch marks it READY. The uploader sees
 * the progress move while the chunks finish, and a viewer plays the stitched HLS.
 */
class RealTemplateLongVideoIT {
    private static final Map<String, String> SHORT_CHUNKS = Map.of("TRANSCODE_SPLIT_ABOVE", "10s",
            "TRANSCODE_CHUNK_SECONDS", "12");

    @Test
    void aLongUpload_isEncodedInChunks_stitched_andPlays(@TempDir Path data) throws Exception {
        Path video = data.resolve("long.mp4");
        TestClips.testCard(video, 40);
        try (DevServer server = DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(Path.of("../frontend"))
                .port(0).dataDirectory(data.resolve("platform")).functionEnvironment(SHORT_CHUNKS).start()) {
            PlatformClient api = new PlatformClient(server);
            String uploader = api.token("uploader");
            String viewer = api.token("viewer");
            String id = api.upload(uploader, "Long test card", Files.readAllBytes(video));

            TreeSet<Integer> seen = new TreeSet<>();
            JsonNode settled = null;
            long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (settled == null && System.nanoTime() < until) {
                for (JsonNode item : Json.mapper().readTree(api.send("GET", "/api/videos?owner=me", uploader, null).body()).path("items")) {
                    if (!item.path("videoId").asText().equals(id)) {
                        continue;
                    }
                    if (item.path("status").asText().equals("PROCESSING") && item.hasNonNull("processingPercent")) {
                        seen.add(item.path("processingPercent").asInt());
                    } else if (!item.path("status").asText().matches("AWAITING_UPLOAD|PROCESSING")) {
                        settled = item;
                    }
                }
                Thread.sleep(100);
            }
            assertThat(settled).as("the video settled within 5 minutes").isNotNull();
            assertThat(settled.path("status").asText()).as(settled.toString()).isEqualTo("READY");
            assertThat(settled.path("durationSeconds").asDouble()).isBetween(39.9, 40.1);
            assertThat(settled.path("hasPoster").asBoolean()).isTrue();
            assertThat(settled.path("hasStoryboard").asBoolean()).isTrue();
            // 4 chunks: 5 % at the start, +21 % per chunk done, 90 % when the stitch begins.
            assertThat(seen).as("progress the uploader saw during the fan-out").anyMatch(p -> p > 5 && p < 90);

            URI playbackUrl = URI.create(server.baseUri() + "/api/videos/" + id + "/playback");
            JsonNode urls = Json.mapper().readTree(api.send("GET", "/api/videos/" + id + "/playback", viewer, null).body());
            URI master = playbackUrl.resolve(urls.path("hls").asText());
            String masterText = new String(get(api, master).body());
            assertThat(masterText).contains("RESOLUTION=416x234").contains("RESOLUTION=640x360").contains(",mp4a.40.2\"");
            URI variant = master.resolve(masterText.lines().filter(l -> l.startsWith("360p.m3u8")).findFirst().orElseThrow());
            String playlist = new String(get(api, variant).body());
            List<String> segments = playlist.lines().filter(l -> l.startsWith("http")).toList();
            assertThat(segments).as(playlist).hasSize(7); // 40 s in 6 s segments, as one invocation cuts them
            assertThat(playlist).contains("#EXT-X-ENDLIST");
            assertThat(playlist.lines().filter(l -> l.startsWith("#EXT-X-MAP")).count()).as("one init segment for every chunk").isEqualTo(1);
            assertThat(get(api, URI.create(segments.getLast())).body().length).isGreaterThan(1000);
            JsonNode mp4 = urls.path("mp4").get(urls.path("mp4").size() - 1);
            var range = api.http().send(HttpRequest.newBuilder(URI.create(mp4.path("url").asText())).header("Range", "bytes=0-7").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(range.statusCode()).isEqualTo(206);

            // The intermediate files are gone.
            String media = server.names().bucket("MediaBucket");
            assertThat(server.localAws().clients().s3().listObjectsV2(r -> r.bucket(media).prefix("work/")).contents())
                    .as("chunks and audio left under work/").isEmpty();

            // A duplicate execution of the same job (started by hand, under another name): it finds the video settled,
            // ends FAILED itself, and leaves the video READY with its outputs as they were.
            var outputs = server.localAws().clients().s3().listObjectsV2(r -> r.bucket(media).prefix("videos/" + id + "/")).contents();
            try (var sfn = StepFunctionsTesting.client(server)) {
                String machine = server.application().stateMachines().get("LongVideoStateMachine").arn();
                String input = sfn.describeExecution(r -> r.executionArn(machine.replace(":stateMachine:", ":execution:") + ":" + id + "-1"))
                        .input();
                String duplicate = sfn.startExecution(r -> r.stateMachineArn(machine).name(id + "-duplicate").input(input)).executionArn();
                long ends = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                String status;
                while ((status = sfn.describeExecution(r -> r.executionArn(duplicate)).statusAsString()).equals("RUNNING")) {
                    assertThat(System.nanoTime()).as("the duplicate execution ended").isLessThan(ends);
                    Thread.sleep(100);
                }
                assertThat(status).isEqualTo("FAILED");
            }
            JsonNode after = api.awaitSettled(uploader, id, Duration.ofSeconds(10));
            assertThat(after.path("status").asText()).as(after.toString()).isEqualTo("READY");
            assertThat(server.localAws().clients().s3().listObjectsV2(r -> r.bucket(media).prefix("videos/" + id + "/")).contents())
                    .as("one output set, untouched").isEqualTo(outputs);
        }
    }

    @Test
    void aChunkThatAlwaysFails_failsTheVideo_withASentence(@TempDir Path data) throws Exception {
        Path video = data.resolve("long.mp4");
        TestClips.testCard(video, 20);
        Map<String, String> broken = new java.util.HashMap<>(SHORT_CHUNKS);
        broken.put("TRANSCODE_PRESET", "no-such-preset"); // x264 refuses to start: every chunk attempt fails
        try (DevServer server = DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(Path.of("../frontend"))
                .port(0).dataDirectory(data.resolve("platform")).functionEnvironment(broken).stateMachineSleeper(StepFunctionsTesting.NO_WAITS).start()) {
            PlatformClient api = new PlatformClient(server);
            String uploader = api.token("uploader");
            String id = api.upload(uploader, "Doomed", Files.readAllBytes(video));
            JsonNode settled = api.awaitSettled(uploader, id, Duration.ofMinutes(3));
            assertThat(settled.path("status").asText()).as(settled.toString()).isEqualTo("FAILED");
            assertThat(settled.path("failureReason").asText()).isEqualTo(
                    "Processing failed for a reason on our side; please upload the video again.");
        }
    }

    @Test
    void aChunkThatFailsOnce_isRetried_andTheVideoStillEndsReady(@TempDir Path data) throws Exception {
        Path video = data.resolve("long.mp4");
        TestClips.testCard(video, 20);
        java.util.concurrent.atomic.AtomicInteger chunkOneCalls = new java.util.concurrent.atomic.AtomicInteger();
        try (DevServer server = DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(Path.of("../frontend"))
                .port(0).dataDirectory(data.resolve("platform")).functionEnvironment(SHORT_CHUNKS).stateMachineSleeper(StepFunctionsTesting.NO_WAITS)
                .taskInvokers(real -> (function, payload) -> {
                    if (payload.path("action").asText().equals("chunk") && payload.path("chunk").path("index").asInt() == 1
                            && chunkOneCalls.incrementAndGet() == 1) {
                        throw new io.reel.devserver.states.TaskFailure("Lambda.ServiceException", "injected: the service failed once");
                    }
                    return real.invoke(function, payload);
                }).start()) {
            PlatformClient api = new PlatformClient(server);
            String uploader = api.token("uploader");
            String id = api.upload(uploader, "Retried", Files.readAllBytes(video));
            JsonNode settled = api.awaitSettled(uploader, id, Duration.ofMinutes(3));
            assertThat(settled.path("status").asText()).as(settled.toString()).isEqualTo("READY");
            assertThat(chunkOneCalls).as("chunk 1: failed once, then retried").hasValue(2);
        }
    }

    @Test
    void aDevserverStoppedMidExecution_carriesItOnWhenStartedAgain_andARedeliveredEventStartsNothing(@TempDir Path data)
            throws Exception {
        Path video = data.resolve("long.mp4");
        TestClips.testCard(video, 60);
        String id;
        byte[] file = Files.readAllBytes(video);
        try (DevServer server = DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(Path.of("../frontend"))
                .port(0).dataDirectory(data.resolve("platform")).functionEnvironment(SHORT_CHUNKS).start()) {
            PlatformClient api = new PlatformClient(server);
            String uploader = api.token("uploader");
            id = api.upload(uploader, "Interrupted", file);
            awaitPercentAbove(api, uploader, id, 5); // a chunk is done: the execution is under way

            // The same upload's event again (S3 delivers at least once): the claim is young, nothing new starts.
            String uploads = server.names().bucket("UploadsBucket");
            server.localAws().clients().s3().putObject(r -> r.bucket(uploads).key("uploads/" + id + "/source"),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(file));
            try (var sfn = StepFunctionsTesting.client(server)) {
                String machine = server.application().stateMachines().get("LongVideoStateMachine").arn();
                Thread.sleep(1000); // time for the redelivered event to be processed
                assertThat(sfn.listExecutions(r -> r.stateMachineArn(machine)).executions())
                        .as("executions for the video").singleElement().satisfies(e -> assertThat(e.name()).isEqualTo(id + "-1"));
            }
        } // stopped with the execution running (a kill leaves the same record: it is written when the execution starts)
        try (DevServer again = DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(Path.of("../frontend"))
                .port(0).dataDirectory(data.resolve("platform")).functionEnvironment(SHORT_CHUNKS).start()) {
            PlatformClient api = new PlatformClient(again);
            String uploader = api.token("uploader");
            // Whichever devserver got to the stitch first, the execution ends here and the video READY once.
            try (var sfn = StepFunctionsTesting.client(again)) {
                String execution = again.application().stateMachines().get("LongVideoStateMachine").arn()
                        .replace(":stateMachine:", ":execution:") + ":" + id + "-1";
                long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (sfn.describeExecution(r -> r.executionArn(execution)).statusAsString().equals("RUNNING")) {
                    assertThat(System.nanoTime()).as("the resumed execution ended").isLessThan(until);
                    Thread.sleep(200);
                }
            }
            JsonNode settled = api.awaitSettled(uploader, id, Duration.ofMinutes(1));
            assertThat(settled.path("status").asText()).as(settled.toString()).isEqualTo("READY");
            assertThat(settled.path("durationSeconds").asDouble()).isBetween(59.9, 60.1);
            String media = again.names().bucket("MediaBucket");
            assertThat(again.localAws().clients().s3().listObjectsV2(r -> r.bucket(media).prefix("work/")).contents()).isEmpty();
            assertThat(again.localAws().clients().s3().listObjectsV2(r -> r.bucket(media).prefix("videos/" + id + "/hls/360p/"))
                    .contents()).as("one output set: 10 segments and the init segment").hasSize(11);
        }
    }

    private static void awaitPercentAbove(PlatformClient api, String token, String id, int percent) throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < until) {
            for (JsonNode item : Json.mapper().readTree(api.send("GET", "/api/videos?owner=me", token, null).body()).path("items")) {
                if (item.path("videoId").asText().equals(id)) {
                    assertThat(item.path("status").asText()).as(item.toString()).isIn("AWAITING_UPLOAD", "PROCESSING");
                    if (item.path("processingPercent").asInt(0) > percent) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("video " + id + " never passed " + percent + " %");
    }

    private static HttpResponse<byte[]> get(PlatformClient api, URI uri) throws Exception {
        var response = api.http().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
        return response;
    }
}
