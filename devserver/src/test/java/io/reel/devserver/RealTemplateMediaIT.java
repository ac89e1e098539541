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

    @Test
    void anUploaderUploads_andAViewerPlaysHlsThroughTheApiPrefix_andResumes(@TempDir Path data) throws Exception {
        try (DevServer server = DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(Path.of("../frontend"))
                .port(0).dataDirectory(data).start()) {
            PlatformClient api = new PlatformClient(server);
            String uploader = api.token("uploader");
            String viewer = api.token("viewer");

            // Upload: the plan's presigned PUT goes straight to the local S3.
            byte[] file = new byte[200_000];
            new Random(3).nextBytes(file);
            String uploaded = api.upload(uploader, "Clip", file);
            assertThat(server.localAws().s3().getObjectAsBytes(r -> r.bucket(server.names().bucket("UploadsBucket"))
                    .key("uploads/" + uploaded + "/source")).asByteArray()).isEqualTo(file);
            // The upload's S3 event runs the real transcode function, which refuses random bytes with a reason.
            JsonNode failed = api.awaitSettled(uploader, uploaded, Duration.ofMinutes(2));
            assertThat(failed.path("status").asText()).as(failed.toString()).isEqualTo("FAILED");
            assertThat(failed.path("failureReason").asText()).contains("recognise this file as a video");
            assertThat(api.send("POST", "/api/uploads", viewer, "{}").statusCode()).as("viewers cannot upload").isEqualTo(403);

            // Playback of a READY video whose ladder the transcoder would have written.
            String id = readyHlsVideo(server);
            URI playbackUrl = URI.create(server.baseUri() + "/api/videos/" + id + "/playback");
            var playback = api.send("GET", "/api/videos/" + id + "/playback", viewer, null);
            assertThat(playback.statusCode()).as(playback.body()).isEqualTo(200);
            URI master = playbackUrl.resolve(Json.mapper().readTree(playback.body()).path("hls").asText());
            assertThat(master.getPath()).isEqualTo("/api/videos/" + id + "/hls/master.m3u8");

            var masterPlaylist = api.http().send(HttpRequest.newBuilder(master).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(masterPlaylist.statusCode()).as(masterPlaylist.body()).isEqualTo(200);
            assertThat(masterPlaylist.headers().firstValue("Content-Type")).contains("application/vnd.apple.mpegurl");
            URI variant = master.resolve(masterPlaylist.body().lines().filter(l -> l.startsWith("720p.m3u8")).findFirst().orElseThrow());
            var media = api.http().send(HttpRequest.newBuilder(variant).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(media.statusCode()).as(media.body()).isEqualTo(200);
            URI segment = URI.create(media.body().lines().filter(l -> l.startsWith("http")).findFirst().orElseThrow());
            var bytes = api.http().send(HttpRequest.newBuilder(segment).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(bytes.statusCode()).isEqualTo(200);
            assertThat(bytes.body()).containsExactly(1, 2, 3, 4);
            var noToken = api.http().send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/api/videos/" + id + "/hls/master.m3u8"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noToken.statusCode()).as("public route, but the function wants a token").isEqualTo(403);

            assertThat(api.send("PUT", "/api/videos/" + id + "/progress", viewer, "{\"positionSeconds\": 2.5}").statusCode())
                    .isEqualTo(204);
            var again = api.send("GET", "/api/videos/" + id + "/playback", viewer, null);
            assertThat(Json.mapper().readTree(again.body()).path("resumeAt").asDouble()).isEqualTo(2.5);
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
}
