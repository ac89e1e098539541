package io.reel.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator's HTTP/1.1 client against the JDK's own server, and against one that misbehaves. */
class Http1Test {
    private HttpServer server;
    private URI base;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger remotePorts = new AtomicInteger();
    private final List<Integer> ports = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] request = exchange.getRequestBody().readAllBytes();
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth="
                    + exchange.getRequestHeaders().getFirst("Authorization") + " body=" + new String(request, StandardCharsets.UTF_8));
            if (!ports.contains(exchange.getRemoteAddress().getPort())) {
                ports.add(exchange.getRemoteAddress().getPort());
                remotePorts.incrementAndGet();
            }
            byte[] answer = ("you said " + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            switch (exchange.getRequestURI().getPath()) {
                case "/chunked" -> { // length 0: the JDK server sends it chunked
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer);
                        out.flush();
                        out.write("!".repeat(20_000).getBytes(StandardCharsets.UTF_8));
                    }
                }
                case "/nothing" -> exchange.sendResponseHeaders(204, -1);
                default -> {
                    exchange.sendResponseHeaders(201, answer.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer);
                    }
                }
            }
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sendsTheRequestAsGiven_andReadsSizedChunkedAndEmptyBodies_overOneConnection() throws IOException {
        try (Http1 http = new Http1(Duration.ofSeconds(5))) {
            var sized = http.send("PUT", base.resolve("/videos/a/progress?x=1%202"), "{\"p\":1}".getBytes(StandardCharsets.UTF_8),
                    "Authorization", "Bearer t0k", "Content-Type", "application/json");
            assertThat(sized.status()).isEqualTo(201);
            assertThat(new String(sized.body(), StandardCharsets.UTF_8)).isEqualTo("you said {\"p\":1}");

            var chunked = http.send("GET", base.resolve("/chunked"), null);
            assertThat(chunked.status()).isEqualTo(200);
            assertThat(new String(chunked.body(), StandardCharsets.UTF_8)).startsWith("you said ").endsWith("!").hasSize(9 + 20_000);

            var empty = http.send("DELETE", base.resolve("/nothing"), null);
            assertThat(empty.status()).isEqualTo(204);
            assertThat(empty.body()).isEmpty();
        }
        assertThat(seen).containsExactly("PUT /videos/a/progress?x=1%202 auth=Bearer t0k body={\"p\":1}",
                "GET /chunked auth=null body=", "DELETE /nothing auth=null body=");
        assertThat(remotePorts).as("one keep-alive connection").hasValue(1);
    }

    @Test
    void aKeptConnectionTheServerClosed_isReplacedOnce() throws Exception {
        // A server that answers one request per connection and then closes without saying so.
        try (ServerSocket once = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Http1 http = new Http1(Duration.ofSeconds(5))) {
            AtomicInteger accepted = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (!once.isClosed()) {
                    try (Socket socket = once.accept()) {
                        accepted.incrementAndGet();
                        InputStream in = socket.getInputStream();
                        byte[] buffer = new byte[4096];
                        in.read(buffer);
                        socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            URI uri = URI.create("http://127.0.0.1:" + once.getLocalPort() + "/");
            for (int i = 0; i < 3; i++) {
                assertThat(http.send("GET", uri, null).body()).asString(StandardCharsets.US_ASCII).isEqualTo("ok");
            }
            assertThat(accepted).hasValue(3);
        }
    }

    @Test
    void anAnswerCutShort_isAnError_notABody() throws Exception {
        try (ServerSocket cut = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Http1 http = new Http1(Duration.ofSeconds(5))) {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = cut.accept()) {
                    socket.getInputStream().read(new byte[4096]);
                    socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the test fails on its own
                }
            });
            assertThatThrownBy(() -> http.send("GET", URI.create("http://127.0.0.1:" + cut.getLocalPort() + "/"), null))
                    .isInstanceOf(IOException.class).hasMessageContaining("3 of 10 bytes");
            assertThatThrownBy(() -> http.send("GET", URI.create("https://127.0.0.1/"), null))
                    .isInstanceOf(IOException.class).hasMessageContaining("only http://");
        }
    }
}
