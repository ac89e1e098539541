package io.reel.devserver.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.reel.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local Step Functions endpoint, on its own port beside DynamoDB Local and S3Proxy, given to functions as
 * {@code AWS_ENDPOINT_URL_SFN}: AWS JSON 1.0, {@code POST /} with {@code X-Amz-Target: AWSStepFunctions.<Operation>}.
 * It listens before the functions are made (their environment needs its URL) and serves once {@link #serve} is given
 * the service, which needs the functions.
 */
public final class StepFunctionsEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StepFunctionsEndpoint.class);
    private static final String TARGET_PREFIX = "AWSStepFunctions.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    private final Server server;
    private final URI uri;
    private final AtomicReference<StepFunctionsService> service = new AtomicReference<>();

    private StepFunctionsEndpoint(Server server, URI uri) {
        this.server = server;
        this.uri = uri;
    }

    /** Listens on {@code bindAddress:port} (0: any free port). */
    public static StepFunctionsEndpoint start(String bindAddress, int port) {
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("devserver-sfn");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(bindAddress);
        connector.setPort(port);
        server.addConnector(connector);
        StepFunctionsEndpoint[] self = new StepFunctionsEndpoint[1];
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                self[0].handle(request, response, callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // not started
            }
            throw new IllegalStateException("The local Step Functions endpoint could not listen on " + bindAddress + ":"
                    + port + ": " + e.getMessage(), e);
        }
        String host = "0.0.0.0".equals(bindAddress) || "127.0.0.1".equals(bindAddress) ? "127.0.0.1" : bindAddress;
        self[0] = new StepFunctionsEndpoint(server, URI.create("http://" + host + ":" + connector.getLocalPort()));
        return self[0];
    }

    /** What functions get as {@code AWS_ENDPOINT_URL_SFN}. */
    public URI uri() {
        return uri;
    }

    public void serve(StepFunctionsService service) {
        this.service.set(service);
    }

    private void handle(Request request, Response response, Callback callback) {
        String requestId = UUID.randomUUID().toString();
        String target = request.getHeaders().get("X-Amz-Target");
        StepFunctionsService current = service.get();
        try {
            if (!"POST".equals(request.getMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                throw new AwsJsonError("UnknownOperationException", "The Step Functions API takes POST / with "
                        + "X-Amz-Target: AWSStepFunctions.<Operation> (AWS JSON 1.0)");
            }
            if (current == null) {
                write(response, callback, 503, requestId, error("ServiceUnavailable", "The devserver is starting"));
                return;
            }
            JsonNode body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                byte[] bytes = in.readAllBytes();
                body = bytes.length == 0 ? JsonNodeFactory.instance.objectNode() : Json.mapper().readTree(bytes);
            } catch (IOException e) {
                throw new AwsJsonError("SerializationException", "The request body is not JSON: " + e.getMessage());
            }
            String operation = target.substring(TARGET_PREFIX.length());
            JsonNode answer = current.call(operation, body);
            LOG.debug("sfn {} ok", operation);
            write(response, callback, 200, requestId, answer);
        } catch (AwsJsonError e) {
            LOG.info("sfn {} failed: {} {}", target, e.code(), e.getMessage());
            write(response, callback, 400, requestId, error(e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("sfn {} failed", target, e);
            write(response, callback, 500, requestId, error("InternalFailure", String.valueOf(e)));
        }
    }

    private static JsonNode error(String code, String message) {
        return JsonNodeFactory.instance.objectNode().put("__type", code).put("message", message);
    }

    private static void write(Response response, Callback callback, int status, String requestId, JsonNode body) {
        byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put("Content-Type", CONTENT_TYPE);
        response.getHeaders().put("x-amzn-RequestId", requestId);
        response.getHeaders().put("Content-Length", bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** Stops listening, then every running execution. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("the Step Functions endpoint did not stop cleanly", e);
        }
        StepFunctionsService current = service.getAndSet(null);
        if (current != null) {
            current.close();
        }
    }
}
