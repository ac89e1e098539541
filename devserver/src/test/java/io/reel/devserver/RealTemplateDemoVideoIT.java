package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first start with the project's template makes the demo video through the real upload and transcode path: a viewer
 * finds "Welcome to Reel" READY with a poster in the catalogue. A restart on the same data adds no second one.
 */
class RealTemplateDemoVideoIT {

    @Test
    void firstStart_makesTheDemoVideo_once(@TempDir Path data) throws Exception {
        Path platform = data.resolve("platform");
        String videoId;
        try (DevServer server = start(platform)) {
            assertThat(server.demoVideo()).as("a first start makes the demo video").isPresent();
            assertThat(banner(server)).contains("demo video    processing in the background");
            long started = System.nanoTime();
            String viewer = new PlatformClient(server).token("viewer");

            JsonNode ready = awaitDemoVideo(server, viewer);
            System.out.printf("demo video READY %d ms after the devserver was ready (start took %d ms)%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), server.startTime().toMillis());
            assertThat(ready.path("status").asText()).isEqualTo("READY");
            assertThat(ready.path("hasPoster").asBoolean()).isTrue();
            assertThat(ready.path("hasStoryboard").asBoolean()).isTrue();
            assertThat(ready.path("width").asInt()).isEqualTo(1280);
            assertThat(ready.path("durationSeconds").asDouble()).isBetween(9.9, 10.2);
            assertThat(ready.path("description").asText()).isEqualTo(DemoVideoUpload.DESCRIPTION);
            videoId = ready.path("videoId").asText();

            JsonNode marker = Json.mapper().readTree(Files.readString(platform.resolve(DemoVideoUpload.MARKER)));
            assertThat(marker.path("videoId").asText()).isEqualTo(videoId);
            assertThat(server.demoVideo().orElseThrow().await(Duration.ofSeconds(10))).as("the background work ended").isTrue();
        }
        try (DevServer server = start(platform)) {
            assertThat(server.demoVideo()).as("a restart makes no other").isEmpty();
            assertThat(banner(server)).doesNotContain("demo video");
            List<JsonNode> demos = demoVideos(server, new PlatformClient(server).token("viewer"));
            assertThat(demos).hasSize(1);
            assertThat(demos.getFirst().path("videoId").asText()).isEqualTo(videoId);
        }
    }

    @Test
    void aTemplateWithoutUploads_getsNoDemoVideo(@TempDir Path data) {
        try (DevServer server = DevServer.builder().template(DevServerIT.FIXTURE.resolve("template.yaml"))
                .siteDirectory(DevServerIT.FIXTURE.resolve("site")).port(0).dataDirectory(data).demoVideo(true).start()) {
            assertThat(server.demoVideo()).isEmpty();
            assertThat(data.resolve(DemoVideoUpload.MARKER)).doesNotExist();
        }
    }

    private static String banner(DevServer server) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DevServerMain.banner(new PrintStream(out, true, StandardCharsets.UTF_8), server, "data");
        return out.toString(StandardCharsets.UTF_8);
    }

    private static DevServer start(Path data) {
        return DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(Path.of("../frontend"))
                .port(0).dataDirectory(data).demoVideo(true).start();
    }

    /** Polls the catalogue until the demo video is READY with its poster (at most two minutes). */
    private JsonNode awaitDemoVideo(DevServer server, String token) throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            for (JsonNode item : demoVideos(server, token)) {
                if (item.path("status").asText().equals("READY") && item.path("hasPoster").asBoolean()) {
                    return item;
                }
            }
            assertThat(System.nanoTime()).as("the demo video is not READY after two minutes").isLessThan(until);
            Thread.sleep(500);
        }
    }

    private List<JsonNode> demoVideos(DevServer server, String token) throws Exception {
        var listing = new PlatformClient(server).send("GET", "/api/videos", token, null);
        assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode item : Json.mapper().readTree(listing.body()).path("items")) {
            if (item.path("title").asText().equals(DemoVideoUpload.TITLE)) {
                found.add(item);
            }
        }
        return found;
    }
}
