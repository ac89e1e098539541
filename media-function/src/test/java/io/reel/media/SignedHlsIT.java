package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Signed HLS and storyboard cues end to end: playback hands out a token, the playlists come back rewritten through the
 * real handler, and every segment, init segment and thumbnail is fetched from S3Proxy through its signed URL.
 */
@ExtendWith(LocalAwsExtension.class)
class SignedHlsIT {
    private static final String API = "https://api.example.test/prod/";
    private static final Pattern URI_ATTRIBUTE = Pattern.compile("[:,]URI=\"([^\"]*)\"");
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path keys;
    private AwsTestResources aws;
    private DynamoDbVideoStore store;
    private MediaHandler handler;
    private final Map<String, byte[]> stored = new HashMap<>();

    @BeforeEach
    void setUp(AwsTestResources aws) {
        this.aws = aws;
        store = new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable"));
        handler = new MediaHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString(), "PLAYBACK_URL_MARGIN", "10m")));
    }

    @Test
    void theLadderPlaysThroughRewrittenPlaylists_everySegmentFetchedByItsSignedUrl() throws Exception {
        String id = hlsVideo(3);
        JsonNode playback = ok(playback(id));
        URI master = URI.create(API + "videos/" + id + "/playback").resolve(playback.path("hls").asText());
        assertThat(master.getPath()).isEqualTo("/prod/videos/" + id + "/hls/master.m3u8");

        APIGatewayProxyResponseEvent masterResponse = get(master);
        assertThat(masterResponse.getStatusCode()).as(masterResponse.getBody()).isEqualTo(200);
        assertThat(masterResponse.getHeaders()).containsEntry("Content-Type", "application/vnd.apple.mpegurl")
                .containsEntry("Cache-Control", "private, no-store");
        List<URI> variants = references(masterResponse.getBody(), master);
        // 2 variants, an audio rendition and an I-frame playlist, all back through this route with the token.
        assertThat(variants).hasSize(4).allSatisfy(uri -> {
            assertThat(uri.getPath()).startsWith("/prod/videos/" + id + "/hls/").endsWith(".m3u8");
            assertThat(uri.getQuery()).isEqualTo(master.getQuery());
        });

        int fetched = 0;
        for (URI variant : variants) {
            APIGatewayProxyResponseEvent media = get(variant);
            assertThat(media.getStatusCode()).as(media.getBody()).isEqualTo(200);
            assertThat(media.getBody()).startsWith("#EXTM3U").contains("#EXT-X-ENDLIST");
            for (URI segment : references(media.getBody(), variant)) {
                assertThat(segment.isAbsolute()).isTrue();
                assertThat(segment.getScheme()).startsWith("http");
                assertThat(segment.getRawQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=");
                var response = http.send(HttpRequest.newBuilder(segment).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(response.statusCode()).as(segment.toString()).isEqualTo(200);
                String key = URLDecoder.decode(segment.getRawPath().substring(segment.getRawPath().indexOf("/videos/") + 1),
                        StandardCharsets.UTF_8);
                assertThat(response.body()).as(key).isEqualTo(stored.get(key));
                fetched++;
            }
        }
        // 2 variants x (init + 3 segments) + audio (init + 3) + I-frames (init + 3 byte ranges of one file).
        assertThat(fetched).isEqualTo(16);
    }

    @Test
    void segmentUrlsExpireWithTheToken_andCannotBeBentToAnotherVideo() throws Exception {
        String id = hlsVideo(2);
        String other = hlsVideo(2);
        JsonNode playback = ok(playback(id));
        Instant expiresAt = Instant.parse(playback.path("expiresAt").asText());
        URI master = URI.create(API + "videos/" + id + "/playback").resolve(playback.path("hls").asText());
        URI variant = references(get(master).getBody(), master).get(0);
        URI segment = references(get(variant).getBody(), variant).get(1);
        Matcher expires = Pattern.compile("X-Amz-Expires=(\\d+)").matcher(segment.getRawQuery());
        assertThat(expires.find()).isTrue();
        assertThat(Instant.now().plusSeconds(Long.parseLong(expires.group(1))))
                .isBetween(expiresAt.minusSeconds(2), expiresAt.plusSeconds(2));

        URI bent = URI.create(segment.toString().replace(id, other));
        assertThat(http.send(HttpRequest.newBuilder(bent).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .as("A's signature on B's segment").isEqualTo(403);
        int at = segment.toString().indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char first = segment.toString().charAt(at);
        URI tampered = URI.create(segment.toString().substring(0, at) + (first == '0' ? '1' : '0') + segment.toString().substring(at + 1));
        assertThat(http.send(HttpRequest.newBuilder(tampered).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isIn(403);
    }

    @Test
    void aTokenForVideoA_cannotFetchVideoBsPlaylists() throws Exception {
        String a = hlsVideo(1);
        String b = hlsVideo(1);
        String tokenA = token(ok(playback(a)));

        var response = playlist(b, "master.m3u8", tokenA);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getBody()).contains("playback token");
        assertThat(playlist(a, "master.m3u8", tokenA).getStatusCode()).isEqualTo(200);
    }

    @Test
    void missingExpiredAndTamperedTokens_are403() throws Exception {
        String id = hlsVideo(1);
        String good = token(ok(playback(id)));
        var tokens = new PlaybackTokens(Files.readAllBytes(keys.resolve(StartupSecrets.LOCAL_PLAYBACK_KEY_FILE)), Clock.systemUTC());
        String expired = tokens.issue(id, Instant.now().minusSeconds(1));
        String lastSecond = tokens.issue(id, Instant.now()); // expires within this second: nothing left to sign for
        String stretched = (Long.parseLong(good.substring(0, good.indexOf('.'))) + 3600) + good.substring(good.indexOf('.'));
        char last = good.charAt(good.length() - 2);
        String flipped = good.substring(0, good.length() - 2) + (last == 'A' ? 'B' : 'A') + good.charAt(good.length() - 1);

        for (String token : new String[] {null, "", expired, lastSecond, stretched, flipped, good + "A", "1.2", "x".repeat(5000),
                "9999999999." + good.substring(good.indexOf('.') + 1), "-1." + good.substring(good.indexOf('.') + 1)}) {
            var response = playlist(id, "master.m3u8", token);
            assertThat(response.getStatusCode()).as(String.valueOf(token)).isEqualTo(403);
            assertThat(response.getBody()).doesNotContain("X-Amz-Signature");
        }
        assertThat(playlist(id, "master.m3u8", good).getStatusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../master.m3u8", "%2e%2e", "master.m3u8/..", "master.txt", "x.m3u8\u0000", "мастер.m3u8", ".m3u8",
            "0123456789012345678901234567890123456789012345678901234567890123456789.m3u8"})
    void playlistNamesOutsideTheFormat_are404(String name) throws Exception {
        String id = hlsVideo(1);
        assertThat(playlist(id, name, token(ok(playback(id)))).getStatusCode()).isEqualTo(404);
    }

    @Test
    void hostileIds_are404_beforeAnyTokenCheck_andAnAbsentPlaylistIs404() throws Exception {
        String id = hlsVideo(1);
        String token = token(ok(playback(id)));
        for (String bad : new String[] {"", "../" + id, "%2e%2e", "a".repeat(2048), id.toUpperCase(), "é" + id.substring(1)}) {
            assertThat(playlist(bad, "master.m3u8", token).getStatusCode()).as(bad).isEqualTo(404);
        }
        assertThat(playlist(id, "1080p.m3u8", token).getStatusCode()).isEqualTo(404);
    }

    @Test
    void aDamagedStoredPlaylist_isAServerFault_andSignsNothing() throws Exception {
        String id = hlsVideo(1);
        String token = token(ok(playback(id)));
        for (String reference : new String[] {"../../" + VideoIds.newId() + "/hls/720p/segment_00000.m4s",
                "https://evil.example/segment.m4s", "/videos/x.m4s", "720p/../../../other.m4s", "sub/720p.m3u8", "a.m4s?x=1"}) {
            put("videos/" + id + "/hls/720p.m3u8", ("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\n" + reference
                    + "\n#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8));
            var response = playlist(id, "720p.m3u8", token);
            assertThat(response.getStatusCode()).as(reference).isEqualTo(500);
            assertThat(response.getBody()).doesNotContain("X-Amz").doesNotContain("evil");
        }
    }

    @Test
    void storyboardCues_pointAtTheSignedImage_keepingEachTilesRectangle() throws Exception {
        String id = hlsVideo(1);
        byte[] image = bytes(2048, 5);
        put("videos/" + id + "/storyboard/storyboard.jpg", image);
        put(SignedPlaylists.storyboardVttKey(id), """
                WEBVTT

                00:00:00.000 --> 00:00:05.000
                storyboard/storyboard.jpg#xywh=0,0,160,90

                00:00:05.000 --> 00:00:10.000
                storyboard/storyboard.jpg#xywh=160,0,160,90
                """.getBytes(StandardCharsets.UTF_8));
        Video video = store.find(id).orElseThrow();
        store.delete(id);
        store.create(new Video(id, video.ownerId(), video.title(), null, VideoStatus.READY, null, video.duration(), 1280, 720,
                video.renditions(), null, "videos/" + id + "/storyboard/storyboard.jpg", video.createdAt(), video.updatedAt()));

        JsonNode playback = ok(playback(id));
        URI cuesUri = URI.create(API + "videos/" + id + "/playback").resolve(playback.path("storyboardVtt").asText());
        var request = new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/videos/{id}/storyboard.vtt")
                .withPathParameters(Map.of("id", id)).withQueryStringParameters(query(cuesUri));
        var cues = handler.handleRequest(request, null);

        assertThat(cues.getStatusCode()).as(cues.getBody()).isEqualTo(200);
        assertThat(cues.getHeaders()).containsEntry("Content-Type", "text/vtt; charset=utf-8")
                .containsEntry("Cache-Control", "private, no-store");
        List<String> images = cues.getBody().lines().filter(line -> line.startsWith("http")).toList();
        assertThat(images).hasSize(2);
        assertThat(images.get(0)).endsWith("#xywh=0,0,160,90");
        assertThat(images.get(1)).endsWith("#xywh=160,0,160,90");
        URI signed = URI.create(images.get(0).substring(0, images.get(0).indexOf('#')));
        var fetched = http.send(HttpRequest.newBuilder(signed).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(image);
        request.setQueryStringParameters(Map.of("token", token(ok(playback(hlsVideo(1))))));
        assertThat(handler.handleRequest(request, null).getStatusCode()).as("another video's token").isEqualTo(403);
    }

    // ------------------------------------------------------------------ fixtures

    /** A READY video with a CMAF ladder (2 variants, audio, I-frames) of {@code segments} segments stored in S3Proxy. */
    private String hlsVideo(int segments) {
        String id = VideoIds.newId();
        String hls = "videos/" + id + "/hls/";
        put(hls + "master.m3u8", """
                #EXTM3U
                #EXT-X-VERSION:7
                # written by the test
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="English",DEFAULT=YES,URI="audio.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=3200000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",AUDIO="aac"
                720p.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="aac"
                360p.m3u8
                #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=200000,RESOLUTION=640x360,URI="iframes.m3u8"
                """.getBytes(StandardCharsets.UTF_8));
        for (String variant : List.of("720p", "360p", "audio")) {
            StringBuilder playlist = new StringBuilder("#EXTM3U\r\n#EXT-X-VERSION:7\r\n#EXT-X-TARGETDURATION:4\r\n"
                    + "#EXT-X-PLAYLIST-TYPE:VOD\r\n#EXT-X-MAP:URI=\"" + variant + "/init.mp4\"\r\n");
            put(hls + variant + "/init.mp4", bytes(300, variant.hashCode()));
            for (int i = 0; i < segments; i++) {
                String name = variant + "/segment_%05d.m4s".formatted(i);
                playlist.append("#EXTINF:4.000,\r\n").append(name).append("\r\n");
                put(hls + name, bytes(1000 + i, i * 31 + variant.hashCode()));
            }
            put(hls + variant + ".m3u8", playlist.append("#EXT-X-ENDLIST\r\n").toString().getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder iframes = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-I-FRAMES-ONLY\n"
                + "#EXT-X-MAP:URI=\"360p/init.mp4\"\n");
        for (int i = 0; i < segments; i++) {
            iframes.append("#EXTINF:4.000,\n#EXT-X-BYTERANGE:100@0\n360p/segment_%05d.m4s\n".formatted(i));
        }
        put(hls + "iframes.m3u8", iframes.append("#EXT-X-ENDLIST\n").toString().getBytes(StandardCharsets.UTF_8));
        Instant now = Instant.now();
        store.create(new Video(id, "u-owner", "HLS test", null, VideoStatus.READY, null, Duration.ofSeconds(4L * segments),
                1280, 720, List.of(new Rendition("720p", Rendition.Kind.HLS, 1280, 720, 3000, hls + "720p.m3u8"),
                new Rendition("360p", Rendition.Kind.HLS, 640, 360, 800, hls + "360p.m3u8")), null, null, now, now));
        return id;
    }

    private void put(String key, byte[] bytes) {
        stored.put(key, bytes);
        aws.s3().putObject(r -> r.bucket(aws.bucket("MediaBucket")).key(key), RequestBody.fromBytes(bytes));
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private APIGatewayProxyResponseEvent playback(String id) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(Map.of("userId", "u-viewer", "username", "viewer", "scopes", "videos:read"));
        return handler.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/videos/{id}/playback")
                .withPathParameters(Map.of("id", id)).withRequestContext(context), null);
    }

    /** What API Gateway would hand the function for a GET of this URL on the playlist route (no authorizer). */
    private APIGatewayProxyResponseEvent get(URI uri) {
        String[] path = uri.getPath().split("/");
        return playlist(path[3], path[5], query(uri).get("token"));
    }

    private APIGatewayProxyResponseEvent playlist(String id, String name, String token) {
        Map<String, String> query = new LinkedHashMap<>();
        if (token != null) {
            query.put("token", token);
        }
        return handler.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("GET")
                .withResource("/videos/{id}/hls/{playlist}").withPathParameters(Map.of("id", id, "playlist", name))
                .withQueryStringParameters(query.isEmpty() ? null : query), null);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static String token(JsonNode playback) {
        return query(URI.create("https://x/" + playback.path("hls").asText())).get("token");
    }

    /** Every URI in a playlist (URI lines and URI attributes), resolved against the playlist's own URL. */
    private static List<URI> references(String playlist, URI base) {
        List<URI> uris = new ArrayList<>();
        for (String line : playlist.lines().toList()) {
            if (line.isBlank() || (line.startsWith("#") && !line.startsWith("#EXT"))) {
                continue;
            }
            if (!line.startsWith("#")) {
                uris.add(base.resolve(line.strip()));
            } else {
                Matcher attribute = URI_ATTRIBUTE.matcher(line);
                if (attribute.find()) {
                    uris.add(base.resolve(attribute.group(1)));
                }
            }
        }
        return uris;
    }

    private static JsonNode ok(APIGatewayProxyResponseEvent response) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return Json.mapper().readTree(response.getBody());
    }
}
