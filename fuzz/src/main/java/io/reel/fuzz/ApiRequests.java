package io.reel.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The parts of an {@link ApiRequest} every API's fuzz test generates alike: headers (Content-Type variants, cookies,
 * origins, fetch metadata, huge and hostile values), query strings, bodies with the base64 flag on or off, and the
 * routes themselves - each route of the API most of the time, a method or resource it does not have sometimes.
 */
public final class ApiRequests {
    /**
     * A route of the API and how its bodies look.
     *
     * @param pathParameters the resource's parameters and the values to try for each (valid ones and hostile ones)
     * @param body           the body's fields; null for a route that takes no body (it still gets one sometimes)
     * @param query          query parameters the route reads, and values for each
     */
    public record Route(String method, String resource, Map<String, Arbitrary<String>> pathParameters,
                        List<JsonText.Field> body, Map<String, Arbitrary<String>> query) {
    }

    private ApiRequests() {
    }

    /** Content-Type values: JSON as clients send it, other types a browser form or a script sends, and junk. */
    public static Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of("application/json")),
                Tuple.of(4, Arbitraries.of("application/json; charset=utf-8", "Application/JSON", "application/problem+json",
                        "application/merge-patch+json", "application/vnd.reel+json;v=1", " application/json ")),
                Tuple.of(3, Arbitraries.of("text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=----x", "application/xml", "application/octet-stream", "application/jsonx",
                        "json", "application/", "+json", "application/+json", "", ";", "*/*")),
                Tuple.of(1, Hostile.headerValues()));
    }

    /** Headers: a Content-Type (or none), maybe a cookie, an origin, fetch metadata, others; names in any case. */
    public static Arbitrary<Map<String, String>> headers(Arbitrary<String> cookies) {
        Arbitrary<List<Map.Entry<String, String>>> parts = Combinators.combine(
                optional(5, Combinators.combine(Arbitraries.of("Content-Type", "content-type", "CONTENT-TYPE"), contentTypes())
                        .as(Map::entry), 2),
                optional(2, cookies.map(v -> Map.entry("Cookie", v)), 3),
                optional(1, Arbitraries.of("null", "https://reel.example", "https://evil.example", "http://localhost:8080", "")
                        .map(v -> Map.entry("Origin", v)), 4),
                optional(1, Arbitraries.of("same-origin", "cross-site", "same-site", "none", "CROSS-SITE", "")
                        .map(v -> Map.entry("Sec-Fetch-Site", v)), 4),
                optional(1, Combinators.combine(Arbitraries.of("Authorization", "Accept", "User-Agent", "X-Forwarded-For",
                        "Accept-Language", "If-None-Match", "Range", "X-Amz-Date"), Hostile.headerValues()).as(Map::entry), 2))
                .as((a, b, c, d, e) -> java.util.Arrays.asList(a, b, c, d, e)).map(list -> list.stream().filter(x -> x != null).toList());
        return Arbitraries.frequencyOf(Tuple.of(12, parts.map(ApiRequests::toMap)),
                Tuple.of(1, Arbitraries.just((Map<String, String>) null)));
    }

    private static <T> Arbitrary<T> optional(int present, Arbitrary<T> value, int absent) {
        return Arbitraries.frequencyOf(Tuple.of(present, value), Tuple.of(absent, Arbitraries.just((T) null)));
    }

    private static Map<String, String> toMap(List<Map.Entry<String, String>> entries) {
        Map<String, String> map = new LinkedHashMap<>();
        entries.forEach(e -> map.putIfAbsent(e.getKey(), e.getValue()));
        return map;
    }

    /** A query string: the route's own parameters (most with plausible values), maybe others, or none at all. */
    public static Arbitrary<Map<String, String>> query(Map<String, Arbitrary<String>> known) {
        List<Arbitrary<Map.Entry<String, String>>> parts = new ArrayList<>();
        known.forEach((name, values) -> parts.add(optional(2, values.map(v -> Map.entry(name, v)), 1)));
        parts.add(optional(1, Combinators.combine(Hostile.strings(), Hostile.strings()).as(Map::entry), 6));
        Arbitrary<Map<String, String>> present = Combinators.combine(parts).as(list -> {
            Map<String, String> map = new LinkedHashMap<>();
            list.stream().filter(e -> e != null).forEach(e -> map.putIfAbsent(e.getKey(), e.getValue()));
            return map.isEmpty() ? null : map; // API Gateway sends null, not {}, for no query string
        });
        return Arbitraries.frequencyOf(Tuple.of(6, present), Tuple.of(1, Arbitraries.just((Map<String, String>) null)));
    }

    /**
     * A body for this route and its base64 flag: for a route with a body, mostly an object of its shape; for one without,
     * mostly none. With the flag on, the body is base64 of the text (as API Gateway sends a binary type) or, sometimes,
     * the text itself, which is not base64.
     */
    public static Arbitrary<Tuple.Tuple2<String, Boolean>> bodies(List<JsonText.Field> fields) {
        Arbitrary<String> text = fields == null
                ? Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just((String) null)), Tuple.of(1, JsonText.bodies(List.of())))
                : Arbitraries.frequencyOf(Tuple.of(12, JsonText.bodies(fields)), Tuple.of(1, Arbitraries.just((String) null)));
        Arbitrary<Boolean> flag = Arbitraries.frequency(Tuple.of(8, false), Tuple.of(3, (Boolean) null), Tuple.of(2, true));
        return Combinators.combine(text, flag, Arbitraries.of(true, true, false)).as((body, base64, encode) ->
                Tuple.of(body != null && Boolean.TRUE.equals(base64) && encode ? ApiRequest.placeholder("base64") + body : body, base64));
    }

    /** Requests for these routes, with a caller from {@code callers}; other methods and resources now and then. */
    public static Arbitrary<ApiRequest> requests(List<Route> routes, Arbitrary<Map<String, Object>> callers,
                                                 Arbitrary<String> cookies) {
        List<Arbitrary<ApiRequest>> perRoute = new ArrayList<>();
        for (Route route : routes) {
            perRoute.add(Combinators.combine(pathParameters(route.pathParameters()), query(route.query()), headers(cookies),
                            bodies(route.body()), callers)
                    .as((path, query, headers, body, caller) -> new ApiRequest(route.method(), route.resource(), path, query,
                            headers, body.get1(), body.get2(), caller)));
        }
        Arbitrary<ApiRequest> known = Arbitraries.oneOf(perRoute);
        Arbitrary<ApiRequest> unknown = Combinators.combine(
                        Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "TRACE", ""),
                        Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(routes).map(Route::resource)),
                                Tuple.of(1, Arbitraries.of("/", "", "/unknown", "/videos/{id}/unknown", "/../admin/users")),
                                Tuple.of(1, Hostile.strings())),
                        headers(cookies), bodies(List.of()), callers)
                .as((method, resource, headers, body, caller) -> new ApiRequest(method, resource, null, null, headers, body.get1(),
                        body.get2(), caller));
        return Arbitraries.frequencyOf(Tuple.of(12, known), Tuple.of(1, unknown));
    }

    private static Arbitrary<Map<String, String>> pathParameters(Map<String, Arbitrary<String>> parameters) {
        if (parameters.isEmpty()) {
            return Arbitraries.just(null);
        }
        List<String> names = List.copyOf(parameters.keySet());
        return Combinators.combine(names.stream().map(parameters::get).toList()).as(values -> {
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                map.put(names.get(i), values.get(i));
            }
            return map;
        });
    }
}
