package io.reel.devserver;

import io.reel.devserver.gateway.ApiGateway;
import io.reel.devserver.gateway.GatewayRequest;
import io.reel.devserver.gateway.GatewayResponse;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The devserver's one origin, as CloudFront is in AWS: {@code /api/*} goes to API Gateway, everything else to the
 * static site.
 */
final class HttpFront extends Handler.Abstract {
    static final String API_PREFIX = "/api";
    private static final long DRAIN_LIMIT = 4L * ApiGateway.MAX_BODY_BYTES;

    private final Optional<ApiGateway> gateway;
    private final StaticSite site;
    private final Map<String, String> siteHeaders;

    HttpFront(Optional<ApiGateway> gateway, StaticSite site, Map<String, String> siteHeaders) {
        this.gateway = gateway;
        this.site = site;
        this.siteHeaders = Map.copyOf(siteHeaders);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (path == null) {
            path = "/";
        }
        if (path.equals(API_PREFIX) || path.startsWith(API_PREFIX + "/")) {
            api(request, response, callback, path.substring(API_PREFIX.length()));
        } else {
            site(request, response, callback, path);
        }
        return true;
    }

    private void api(Request request, Response response, Callback callback, String apiPath) throws Exception {
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = request.getLength() > ApiGateway.MAX_BODY_BYTES ? null : in.readNBytes(ApiGateway.MAX_BODY_BYTES + 1);
            if (body == null || body.length > ApiGateway.MAX_BODY_BYTES) {
                // Read (and drop) a moderately oversized body so the client, still sending, gets to see the 413.
                in.skip(DRAIN_LIMIT);
                write(response, callback, gateway.map(g -> g.tooLarge(java.util.UUID.randomUUID().toString()))
                        .orElseGet(HttpFront::tooLarge));
                return;
            }
        }
        if (gateway.isEmpty()) {
            write(response, callback, new GatewayResponse(403, List.of(Map.entry("Content-Type", "application/json")),
                    "{\"message\":\"Missing Authentication Token\"}".getBytes(StandardCharsets.UTF_8)));
            return;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            headers.add(Map.entry(field.getName(), field.getValue()));
        }
        GatewayRequest gatewayRequest = new GatewayRequest(request.getMethod(), apiPath.isEmpty() ? "/" : apiPath,
                request.getHttpURI().getQuery(), headers, body, Request.getRemoteAddr(request),
                request.getConnectionMetaData().getProtocol());
        write(response, callback, gateway.get().handle(gatewayRequest));
    }

    private static GatewayResponse tooLarge() {
        return new GatewayResponse(413, List.of(Map.entry("Content-Type", "application/json")),
                "{\"message\":\"Request Too Long\"}".getBytes(StandardCharsets.UTF_8));
    }

    private void site(Request request, Response response, Callback callback, String rawPath) throws Exception {
        siteHeaders.forEach((name, value) -> response.getHeaders().put(name, value));
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, 405);
            return;
        }
        if (!site.isBuilt()) {
            // A devserver started without ./run.sh (which builds the page): say how to get one, not a bare 404.
            response.setStatus(503);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, ByteBuffer.wrap(("The web page is not built: there is no index.html in " + site.root()
                    + ".\nBuild it with ./run.sh, or: npm --prefix frontend ci && npm --prefix frontend run build\n"
                    + "The API answers under /api meanwhile.\n").getBytes(StandardCharsets.UTF_8)), callback);
            return;
        }
        String decoded;
        try {
            decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            Response.writeError(request, response, callback, 400, "Malformed path");
            return;
        }
        Optional<StaticSite.Asset> asset = site.find(decoded);
        if (asset.isEmpty()) {
            Response.writeError(request, response, callback, 404, "Not found: " + decoded);
            return;
        }
        StaticSite.Asset file = asset.get();
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, file.cacheControl());
        response.getHeaders().put(HttpHeader.ETAG, file.etag());
        if (file.compressible()) {
            response.getHeaders().put(HttpHeader.VARY, "Accept-Encoding");
        }
        if (file.etag().equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
            response.setStatus(304);
            callback.succeeded();
            return;
        }
        String encodings = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
        boolean gzip = file.compressible() && encodings != null && encodings.toLowerCase(java.util.Locale.ROOT).contains("gzip");
        byte[] body = gzip ? site.gzip(file) : file.read();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.contentType());
        if (gzip) {
            response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.setStatus(200);
        response.write(true, method.equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    }

    private static void write(Response response, Callback callback, GatewayResponse answer) {
        response.setStatus(answer.status());
        answer.headers().forEach(h -> response.getHeaders().add(h.getKey(), h.getValue()));
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }
}
