package io.reel.devserver.gateway;

import io.reel.devserver.app.ApiRoute;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API Gateway's route selection for a REST API: literal segments beat {@code {param}} segments, which beat a
 * greedy {@code {proxy+}}; a route for the exact method beats {@code ANY}. Path parameters are percent-decoded;
 * one trailing slash is ignored.
 */
public final class RouteTable {
    private final List<CompiledRoute> routes;

    public RouteTable(List<ApiRoute> routes) {
        this.routes = routes.stream().map(CompiledRoute::new).sorted(CompiledRoute.SPECIFIC_FIRST).toList();
    }

    /** The route for a request, with its decoded path parameters. */
    public Optional<Match> match(String method, String rawPath) {
        List<String> segments = segments(rawPath);
        for (CompiledRoute route : routes) {
            if (!route.route.method().equals("ANY") && !route.route.method().equals(method)) {
                continue;
            }
            Map<String, String> params = route.match(segments);
            if (params != null) {
                return Optional.of(new Match(route.route, params));
            }
        }
        return Optional.empty();
    }

    public List<ApiRoute> routes() {
        return routes.stream().map(r -> r.route).toList();
    }

    /** A matched route and its path parameters. */
    public record Match(ApiRoute route, Map<String, String> pathParameters) {
    }

    static List<String> segments(String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        List<String> segments = new ArrayList<>();
        for (String part : trimmed.split("/", -1)) {
            if (!part.isEmpty()) {
                segments.add(part);
            }
        }
        return segments;
    }

    static String decode(String segment) {
        // URLDecoder would turn '+' into a space; in a path '+' is itself. A malformed escape passes through as sent.
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return segment;
        }
    }

    private static final class CompiledRoute {
        static final Comparator<CompiledRoute> SPECIFIC_FIRST = (a, b) -> {
            int n = Math.max(a.kinds.size(), b.kinds.size());
            for (int i = 0; i < n; i++) {
                int ka = i < a.kinds.size() ? a.kinds.get(i) : -1;
                int kb = i < b.kinds.size() ? b.kinds.get(i) : -1;
                if (ka != kb) {
                    return Integer.compare(kb, ka);
                }
            }
            return Boolean.compare(a.route.method().equals("ANY"), b.route.method().equals("ANY"));
        };
        private static final int GREEDY = 0;
        private static final int PARAM = 1;
        private static final int LITERAL = 2;

        final ApiRoute route;
        final List<String> parts;
        final List<Integer> kinds = new ArrayList<>();

        CompiledRoute(ApiRoute route) {
            this.route = route;
            this.parts = segments(route.path());
            for (String part : parts) {
                kinds.add(part.endsWith("+}") ? GREEDY : part.startsWith("{") ? PARAM : LITERAL);
            }
        }

        Map<String, String> match(List<String> segments) {
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < parts.size(); i++) {
                String part = parts.get(i);
                int kind = kinds.get(i);
                if (kind == GREEDY) {
                    if (i >= segments.size()) {
                        return null;
                    }
                    List<String> rest = segments.subList(i, segments.size()).stream().map(RouteTable::decode).toList();
                    params.put(part.substring(1, part.length() - 2), String.join("/", rest));
                    return params;
                }
                if (i >= segments.size()) {
                    return null;
                }
                if (kind == PARAM) {
                    params.put(part.substring(1, part.length() - 1), decode(segments.get(i)));
                } else if (!part.equals(segments.get(i))) {
                    return null;
                }
            }
            return parts.size() == segments.size() ? params : null;
        }
    }
}
