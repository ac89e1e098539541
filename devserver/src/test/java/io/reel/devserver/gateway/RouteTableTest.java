package io.reel.devserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.devserver.app.ApiRoute;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private final RouteTable table = new RouteTable(List.of(
            route("ANY", "/files/{proxy+}"),
            route("GET", "/videos/{id}"),
            route("GET", "/videos/{id}/hls/{playlist}"),
            route("GET", "/videos/featured"),
            route("ANY", "/videos"),
            route("GET", "/videos"),
            route("GET", "/")));

    @Test
    void match_prefersLiteralOverParameter() {
        assertThat(table.match("GET", "/videos/featured")).get().extracting(m -> m.route().path()).isEqualTo("/videos/featured");
        assertThat(table.match("GET", "/videos/abc")).get().extracting(m -> m.route().path()).isEqualTo("/videos/{id}");
    }

    @Test
    void match_prefersExactMethodOverAny() {
        assertThat(table.match("GET", "/videos").orElseThrow().route().method()).isEqualTo("GET");
        assertThat(table.match("DELETE", "/videos").orElseThrow().route().method()).isEqualTo("ANY");
    }

    @Test
    void match_decodesPathParameters() {
        var match = table.match("GET", "/videos/a%20b%2Fc%C3%A9+d").orElseThrow();

        assertThat(match.pathParameters()).isEqualTo(Map.of("id", "a b/cé+d"));
    }

    @Test
    void match_greedyProxyTakesTheRest() {
        var match = table.match("PUT", "/files/a/b%20c/d.txt").orElseThrow();

        assertThat(match.route().path()).isEqualTo("/files/{proxy+}");
        assertThat(match.pathParameters()).isEqualTo(Map.of("proxy", "a/b c/d.txt"));
        assertThat(table.match("GET", "/files")).isEmpty();
    }

    @Test
    void match_ignoresOneTrailingSlash() {
        assertThat(table.match("GET", "/videos/abc/").orElseThrow().pathParameters()).containsEntry("id", "abc");
        assertThat(table.match("GET", "/").orElseThrow().route().path()).isEqualTo("/");
    }

    @Test
    void match_whenNothingFits_isEmpty() {
        assertThat(table.match("GET", "/nope")).isEmpty();
        assertThat(table.match("POST", "/videos/abc")).isEmpty();
        assertThat(table.match("GET", "/videos/abc/hls")).isEmpty();
    }

    @Test
    void match_whenEscapeIsMalformed_passesItThrough() {
        assertThat(table.match("GET", "/videos/%zz").orElseThrow().pathParameters()).containsEntry("id", "%zz");
    }

    private static ApiRoute route(String method, String path) {
        return new ApiRoute("Fn", method, path, Optional.empty());
    }
}
