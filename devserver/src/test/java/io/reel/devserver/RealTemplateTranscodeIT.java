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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole local platform on a real video: an uploader PUTs a file through the returned URL, the bucket's S3 event
 * runs the real transcode function (FFmpeg in-process), the video becomes READY, and a viewer plays it the way
 * a browser would — HLS master → variant → init and media segments through signed URLs, a byte range of the MP4,
 * the poster and the storyboard cues.
 */
class RealTemplateTranscodeIT {

    @Test
    void anUploadedVideo_becomesReady_andPlays(@TempDir Path data) throws Exception {
        Path video = data.resolve("clip.mp4");
        TestClips.testCard(video, 3);
        try (DevServer server = DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(Path.of("../frontend"))
                .port(0).dataDirectory(data.resolve("platform")).start()) {
            PlatformClient api = new PlatformClient(server);
            String uploader = api.token("uploader");
            String viewer = api.token("viewer");

            byte[] file = Files.readAllBytes(video);
            String id = api.upload(uploader, "Test card", file);

            JsonNode ready = api.awaitSettled(uploader, id, Duration.ofMinutes(2));
            assertThat(ready.path("status").asText()).as(ready.toString()).isEqualTo("READY");
            assertThat(ready.path("durationSeconds").asDouble()).isBetween(2.9, 3.1);
            assertThat(ready.path("width").asInt()).isEqualTo(640);
            assertThat(ready.path("hasPoster").asBoolean()).isTrue();
            assertThat(ready.path("hasStoryboard").asBoolean()).isTrue();

            URI playbackUrl = URI.create(server.baseUri() + "/api/videos/" + id + "/playback");
            var playback = api.send("GET", "/api/videos/" + id + "/playback", viewer, null);
            assertThat(playback.statusCode()).as(playback.body()).isEqualTo(200);
            JsonNode urls = Json.mapper().readTree(playback.body());

            URI master = playbackUrl.resolve(urls.path("hls").asText());
            var masterPlaylist = get(api, master);
            assertThat(masterPlaylist.statusCode()).isEqualTo(200);
            String masterText = new String(masterPlaylist.body());
            assertThat(masterText).contains("RESOLUTION=416x234").contains("RESOLUTION=640x360").contains("CODECS=\"avc1.");
            URI variant = master.resolve(masterText.lines().filter(l -> l.startsWith("360p.m3u8")).findFirst().orElseThrow());
            String media = new String(get(api, variant).body());
            assertThat(media).contains("#EXT-X-ENDLIST");
            URI init = URI.create(media.lines().filter(l -> l.startsWith("#EXT-X-MAP:URI=\"")).findFirst().orElseThrow()
                    .replaceFirst("^#EXT-X-MAP:URI=\"", "").replaceFirst("\"$", ""));
            byte[] initBytes = get(api, init).body();
            assertThat(new String(initBytes, 4, 4)).isEqualTo("ftyp");
            URI segment = URI.create(media.lines().filter(l -> l.startsWith("http")).findFirst().orElseThrow());
            var segmentResponse = get(api, segment);
            assertThat(segmentResponse.statusCode()).isEqualTo(200);
            assertThat(segmentResponse.body().length).isGreaterThan(1000);

            JsonNode mp4 = urls.path("mp4").get(urls.path("mp4").size() - 1);
            assertThat(mp4.path("name").asText()).isEqualTo("360p");
            var range = api.http().send(HttpRequest.newBuilder(URI.create(mp4.path("url").asText())).header("Range", "bytes=0-7").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(new String(range.body(), 4, 4)).isEqualTo("ftyp");

            var poster = get(api, URI.create(urls.path("poster").asText()));
            assertThat(poster.headers().firstValue("Content-Type")).contains("image/jpeg");
            assertThat(poster.body()[0] & 0xFF).isEqualTo(0xFF); // JPEG SOI
            String cues = new String(get(api, playbackUrl.resolve(urls.path("storyboardVtt").asText())).body());
            assertThat(cues).startsWith("WEBVTT").contains("#xywh=0,0,160,90");
        }
    }

    private static HttpResponse<byte[]> get(PlatformClient api, URI uri) throws Exception {
        var response = api.http().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
        return response;
    }
}
