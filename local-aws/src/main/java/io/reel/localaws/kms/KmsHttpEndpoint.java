package io.reel.localaws.kms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.reel.core.JsonValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * {@link FakeKms} over HTTP, in KMS's JSON protocol ({@code POST /}, {@code X-Amz-Target: TrentService.<Operation>},
 * {@code application/x-amz-json-1.1}), for code that talks to KMS without the KMS client: {@code GetPublicKey} only.
 * Requests are kept for tests to inspect (signatures are not checked here); scripted answers replace the next ones.
 */
public final class KmsHttpEndpoint implements AutoCloseable {
    /** A request as received: header names lower-case. */
    public record Request(String path, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null ? null : String.join(",", values);
        }
    }

    private record Scripted(int status, String body) {
    }

    private final FakeKms kms;
    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Scripted> scripted = new ConcurrentLinkedDeque<>();

    private KmsHttpEndpoint(FakeKms kms) {
        this.kms = kms;
        try {
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    public static KmsHttpEndpoint start(FakeKms kms) {
        return new KmsHttpEndpoint(kms);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The next request is answered with this status and body, whatever it asks. */
    public void answerNext(int status, String body) {
        scripted.add(new Scripted(status, body));
    }

    private void answer(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), List.copyOf(values)));
        Request request = new Request(exchange.getRequestURI().getRawPath(), headers, exchange.getRequestBody().readAllBytes());
        requests.add(request);
        Scripted next = scripted.poll();
        if (next != null) {
            send(exchange, next.status(), next.body());
        } else if (!"TrentService.GetPublicKey".equals(request.header("X-Amz-Target"))) {
            send(exchange, 400, error("UnknownOperationException", "only GetPublicKey is served here"));
        } else {
            Scripted answer = getPublicKey(request);
            send(exchange, answer.status(), answer.body());
        }
    }

    private Scripted getPublicKey(Request request) {
        Object keyId;
        try {
            keyId = JsonValues.read(request.body(), 4) instanceof Map<?, ?> json ? json.get("KeyId") : null;
        } catch (IllegalArgumentException e) {
            return new Scripted(400, error("SerializationException", e.getMessage()));
        }
        if (!(keyId instanceof String id)) {
            return new Scripted(400, error("ValidationException", "KeyId is required"));
        }
        try {
            GetPublicKeyResponse key = kms.getPublicKey(r -> r.keyId(id));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("KeyId", key.keyId());
            json.put("PublicKey", Base64.getEncoder().encodeToString(key.publicKey().asByteArray()));
            json.put("KeySpec", key.keySpecAsString());
            json.put("KeyUsage", key.keyUsageAsString());
            json.put("SigningAlgorithms", key.signingAlgorithmsAsStrings());
            return new Scripted(200, JsonValues.toText(json));
        } catch (KmsException e) {
            return new Scripted(400, error(e.getClass().getSimpleName(), e.getMessage()));
        }
    }

    private static String error(String type, String message) {
        return JsonValues.toText(Map.of("__type", type, "message", String.valueOf(message)));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
