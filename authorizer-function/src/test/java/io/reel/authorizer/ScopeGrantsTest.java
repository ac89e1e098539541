package io.reel.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.core.domain.Role;
import io.reel.core.domain.Scope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The grant table against the API's contract (api/openapi.yaml): every authorised route is granted, and no more. */
class ScopeGrantsTest {
    private record Route(String method, String path, boolean isPublic) {
        /** The method ARN's tail for a concrete request on this route ({param} filled in). */
        String arnTail() {
            return method + path.replaceAll("\\{[^}]+}", "x1");
        }
    }

    @Test
    void everyAuthorisedRouteOfTheTemplate_isGrantedToSomeScope_andAdminRoutesOnlyToAdmins() {
        List<Route> routes = routes();
        assertThat(routes).as("the template has routes").hasSizeGreaterThan(5);
        for (Route route : routes) {
            if (route.isPublic()) {
                continue;
            }
            boolean admin = allows(Set.of(Scope.ADMIN, Scope.VIDEOS_READ, Scope.VIDEOS_UPLOAD), route);
            boolean viewer = allows(Role.VIEWER.scopes(), route);
            boolean uploader = allows(Role.UPLOADER.scopes(), route);
            assertThat(admin).as("an admin may call " + route).isTrue();
            if (route.path().startsWith("/admin/")) {
                assertThat(viewer || uploader).as("only admins may call " + route).isFalse();
            }
        }
    }

    @Test
    void theOnlyPublicRoutes_areSignInTheKeys_andThePlaybackTokenRoutes() {
        // The last two check a playback token (scoped to one video) themselves: HLS players cannot send headers.
        assertThat(routes().stream().filter(Route::isPublic).map(r -> r.method() + " " + r.path()))
                .containsExactlyInAnyOrder("POST /auth/login", "POST /auth/refresh", "POST /auth/logout", "GET /.well-known/jwks.json",
                        "GET /videos/{id}/hls/{playlist}", "GET /videos/{id}/storyboard.vtt");
    }

    @Test
    void everyGrantPattern_matchesSomeRouteOfTheTemplate() {
        List<Route> routes = routes();
        ScopeGrants.GRANTS.values().stream().flatMap(List::stream).distinct().forEach(pattern -> {
            boolean used = routes.stream().anyMatch(r -> glob(pattern).matcher(r.arnTail()).matches());
            assertThat(used).as(pattern + " grants a route that exists").isTrue();
        });
    }

    @Test
    void deniedPatterns_neverOverlapTheGrantedOnes() {
        for (Role role : Role.values()) {
            List<String> granted = ScopeGrants.granted(role.scopes());
            for (String denied : ScopeGrants.denied(role.scopes())) {
                for (Route route : routes()) {
                    boolean bothMatch = glob(denied).matcher(route.arnTail()).matches()
                            && granted.stream().anyMatch(g -> glob(g).matcher(route.arnTail()).matches());
                    assertThat(bothMatch).as(role + ": " + denied + " would deny a granted " + route).isFalse();
                }
            }
        }
        assertThat(ScopeGrants.denied(Set.of(Scope.ADMIN, Scope.VIDEOS_READ, Scope.VIDEOS_UPLOAD))).isEmpty();
        assertThat(ScopeGrants.denied(Role.VIEWER.scopes())).contains("GET/admin/*", "POST/uploads");
    }

    private static boolean allows(Set<Scope> scopes, Route route) {
        return ScopeGrants.granted(scopes).stream().anyMatch(p -> glob(p).matcher(route.arnTail()).matches())
                && ScopeGrants.denied(scopes).stream().noneMatch(p -> glob(p).matcher(route.arnTail()).matches());
    }

    /** IAM's resource wildcards: {@code *} any run of characters (slashes included), {@code ?} one character. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    /** Every operation of the API's contract (api/openapi.yaml); public when its security is {@code []}. */
    @SuppressWarnings("unchecked")
    private static List<Route> routes() {
        Map<String, Object> document;
        try (var reader = java.nio.file.Files.newBufferedReader(Path.of("../api/openapi.yaml"))) {
            document = (Map<String, Object>) new org.snakeyaml.engine.v2.api.Load(
                    org.snakeyaml.engine.v2.api.LoadSettings.builder().build()).loadFromReader(reader);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<Route> routes = new ArrayList<>();
        ((Map<String, Object>) document.get("paths")).forEach((path, item) -> ((Map<String, Object>) item).forEach((method, op) -> {
            if (Set.of("get", "put", "post", "delete", "patch").contains(method)) {
                boolean isPublic = List.of().equals(((Map<String, Object>) op).get("security"));
                routes.add(new Route(method.toUpperCase(Locale.ROOT), path, isPublic));
            }
        }));
        return routes;
    }
}
