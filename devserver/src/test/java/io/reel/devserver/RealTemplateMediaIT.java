package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The media routes of the project's template.yaml on the devserver, through its HTTP front, API Gateway emulation and
 * real authorizer: an upload through the returned URL, and HLS played the way a browser's player would — every
 * reference resolved against the URL it came from, the playlists fetched without an Authorization header.
 */
class RealTemplateMediaIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anUploaderUploads_andAViewerPlaysHlsThroughTheApiPrefix_andResumes(@TempDir Path data) throws Exception {
        try (DevServer server = DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(Path.of("../frontend"))
                .port(0).dataDirectory(data).start()) {
            var accounts = server.demoAccounts().orElseThrow().accounts();
            String uploader = token(server, accounts.stream().filter(a -> a.role().equals("uploader")).findFirst().orElseThrow());
            String viewer = token(server, accounts.stream().filter(a -> a.role().equals("viewer")).findFirst().orElseThrow());

            // Upload: the plan's presigned PUT goes straight to the local S3.
            byte[] file = new byte[200_000];
            new Random(3).nextBytes(file);
            var started = send(server, "POST", "/api/uploads", uploader, "{\"title\":\"Clip\",\"fileName\":\"clip.mp4\","
                    + "\"contentType\":\"video/mp4\",\"size\":" + file.length + "}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            JsonNode plan = Json.mapper().readTree(started.body());
            var put = http.send(HttpRequest.newBuilder(URI.create(plan.path("upload").path("url").asText()))
                    .header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofByteArray(file)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            String uploaded = plan.path("videoId").asText();
            assertThat(server.localAws().s3().getObjectAsBytes(r -> r.bucket(server.names().bucket("UploadsBucket"))
                    .key("uploads/" + uploaded + "/source")).asByteArray()).isEqualTo(file);
            // The upload's S3 event runs the real transcode function, which refuses random bytes with a reason.
            JsonNode failed = awaitSettled(server, uploader, uploaded);
            assertThat(failed.path("status").asText()).as(failed.toString()).isEqualTo("FAILED");
            assertThat(failed.path("failureReason").asText()).contains("recognise this file as a video");
            assertThat(send(server, "POST", "/api/uploads", viewer, "{}").statusCode()).as("viewers cannot upload").isEqualTo(403);

            // Playback of a READY video whose ladder the transcoder would have written.
            String id = readyHlsVideo(server);
            URI playbackUrl = URI.create(server.baseUri() + "/api/videos/" + id + "/playback");
            var playback = send(server, "GET", "/api/videos/" + id + "/playback", viewer, null);
            assertThat(playback.statusCode()).as(playback.body()).isEqualTo(200);
            URI master = playbackUrl.resolve(Json.mapper().readTree(playback.body()).path("hls").asText());
            assertThat(master.getPath()).isEqualTo("/api/videos/" + id + "/hls/master.m3u8");

            var masterPlaylist = http.send(HttpRequest.newBuilder(master).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(masterPlaylist.statusCode()).as(masterPlaylist.body()).isEqualTo(200);
            assertThat(masterPlaylist.headers().firstValue("Content-Type")).contains("application/vnd.apple.mpegurl");
            URI variant = master.resolve(masterPlaylist.body().lines().filter(l -> l.startsWith("720p.m3u8")).findFirst().orElseThrow());
            var media = http.send(HttpRequest.newBuilder(variant).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(media.statusCode()).as(media.body()).isEqualTo(200);
            URI segment = URI.create(media.body().lines().filter(l -> l.startsWith("http")).findFirst().orElseThrow());
            var bytes = http.send(HttpRequest.newBuilder(segment).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(bytes.statusCode()).isEqualTo(200);
            assertThat(bytes.body()).containsExactly(1, 2, 3, 4);
            var noToken = http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/api/videos/" + id + "/hls/master.m3u8"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noToken.statusCode()).as("public route, but the function wants a token").isEqualTo(403);

            assertThat(send(server, "PUT", "/api/videos/" + id + "/progress", viewer, "{\"positionSeconds\": 2.5}").statusCode())
                    .isEqualTo(204);
            var again = send(server, "GET", "/api/videos/" + id + "/playback", viewer, null);
            assertThat(Json.mapper().readTree(again.body()).path("resumeAt").asDouble()).isEqualTo(2.5);
        }
    }

    /** Polls the uploader's list until the video leaves AWAITING_UPLOAD and PROCESSING (at most a minute). */
    private JsonNode awaitSettled(DevServer server, String token, String videoId) throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            var mine = send(server, "GET", "/api/videos?owner=me", token, null);
            for (JsonNode item : Json.mapper().readTree(mine.body()).path("items")) {
                String status = item.path("status").asText();
                if (item.path("videoId").asText().equals(videoId) && !status.equals("AWAITING_UPLOAD") && !status.equals("PROCESSING")) {
                    return item;
                }
            }
            assertThat(System.nanoTime()).as("video " + videoId + " still not settled: " + mine.body()).isLessThan(until);
            Thread.sleep(200);
        }
    }

    private static String readyHlsVideo(DevServer server) {
        String id = VideoIds.newId();
        String hls = "videos/" + id + "/hls/";
        String bucket = server.names().bucket("MediaBucket");
        var s3 = server.localAws().s3();
        s3.putObject(r -> r.bucket(bucket).key(hls + "master.m3u8"),
                RequestBody.fromString("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=1280x720\n720p.m3u8\n"));
        s3.putObject(r -> r.bucket(bucket).key(hls + "720p.m3u8"), RequestBody.fromString(
                "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\n720p/segment_00000.ts\n#EXT-X-ENDLIST\n"));
        s3.putObject(r -> r.bucket(bucket).key(hls + "720p/segment_00000.ts"), RequestBody.fromBytes(new byte[] {1, 2, 3, 4}));
        Instant now = Instant.now();
        new DynamoDbVideoStore(server.localAws().dynamoDb(), server.names().table("VideosTable")).create(new Video(id, "u-someone",
                "Ready", null, VideoStatus.READY, null, Duration.ofMinutes(1), 1280, 720,
                List.of(new Rendition("720p", Rendition.Kind.HLS, 1280, 720, 3000, hls + "720p.m3u8")), null, null, now, now));
        return id;
    }

    private String token(DevServer server, DemoAccounts.Credential account) throws Exception {
        var login = send(server, "POST", "/api/auth/login",
                null, "{\"username\":\"" + account.username() + "\",\"password\":\"" + account.password() + "\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return Json.mapper().readTree(login.body()).path("accessToken").asText();
    }

    private HttpResponse<String> send(DevServer server, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUri() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
