package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The local platform's HTTP API as a test drives it: sign in as a demo account, send JSON, wait for a video. */
final class PlatformClient {
    private final DevServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    PlatformClient(DevServer server) {
        this.server = server;
    }

    HttpClient http() {
        return http;
    }

    /** An access token of the demo account with this role (viewer, uploader, admin). */
    String token(String role) throws Exception {
        DemoAccounts.Credential account = server.demoAccounts().orElseThrow().accounts().stream()
                .filter(a -> a.role().equals(role)).findFirst().orElseThrow();
        var login = send("POST", "/api/auth/login", null,
                "{\"username\":\"" + account.username() + "\",\"password\":\"" + account.password() + "\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return Json.mapper().readTree(login.body()).path("accessToken").asText();
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
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

    /**
     * Uploads {@code file} as an MP4 the way the web page will: {@code POST /api/uploads} for a plan, then either the
     * plan's one presigned PUT straight to (local) S3, or - over the multipart threshold - a PUT of each part to its
     * own URL and {@code POST …/complete} with the ETags S3 answered. The new video's id.
     */
    String upload(String uploaderToken, String title, byte[] file) throws Exception {
        var started = send("POST", "/api/uploads", uploaderToken, "{\"title\":\"" + title + "\",\"fileName\":\"clip.mp4\","
                + "\"contentType\":\"video/mp4\",\"size\":" + file.length + "}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        JsonNode plan = Json.mapper().readTree(started.body());
        String videoId = plan.path("videoId").asText();
        if (plan.path("multipart").isObject()) {
            JsonNode multipart = plan.path("multipart");
            long partSize = multipart.path("partSize").asLong();
            var completion = Json.mapper().createObjectNode().put("uploadId", multipart.path("uploadId").asText());
            var parts = completion.putArray("parts");
            for (JsonNode part : multipart.path("parts")) {
                int number = part.path("partNumber").asInt();
                int from = Math.toIntExact((number - 1) * partSize);
                int to = Math.toIntExact(Math.min(file.length, number * partSize));
                var put = http.send(HttpRequest.newBuilder(URI.create(part.path("url").asText()))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(file, from, to - from)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(put.statusCode()).as("part " + number + ": " + put.body()).isEqualTo(200);
                parts.addObject().put("partNumber", number).put("etag", put.headers().firstValue("ETag").orElseThrow());
            }
            String complete = URI.create(server.baseUri() + "/api/uploads").resolve(multipart.path("complete").asText()).getPath();
            var completed = send("POST", complete, uploaderToken, Json.mapper().writeValueAsString(completion));
            assertThat(completed.statusCode()).as(completed.body()).isEqualTo(202);
            return videoId;
        }
        var put = http.send(HttpRequest.newBuilder(URI.create(plan.path("upload").path("url").asText()))
                .header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofByteArray(file)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        return videoId;
    }

    /** Polls the owner's list until the video leaves AWAITING_UPLOAD and PROCESSING; fails after {@code limit}. */
    JsonNode awaitSettled(String ownerToken, String videoId, Duration limit) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        while (true) {
            var mine = send("GET", "/api/videos?owner=me", ownerToken, null);
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
}
