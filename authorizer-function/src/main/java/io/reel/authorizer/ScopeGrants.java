package io.reel.authorizer;

import io.reel.core.domain.Scope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which API methods each scope grants, as {@code METHOD/path} patterns of execute-api method ARNs ({@code *}
 * matches any run of characters, as in IAM). Every route of {@code template.yaml} that uses the authorizer must be
 * granted by some scope here; a test checks it against the template.
 */
final class ScopeGrants {
    static final Map<Scope, List<String>> GRANTS = Map.of(
            // Anyone signed in: the catalogue, playback, resume positions, and ending their own sessions.
            Scope.VIDEOS_READ, List.of("GET/videos", "GET/videos/*", "PUT/videos/*/progress", "POST/auth/logout-all"),
            // Uploaders: uploads, and editing or deleting videos (the media function checks they own them).
            Scope.VIDEOS_UPLOAD, List.of("GET/uploads/limits", "POST/uploads", "POST/uploads/*/complete", "DELETE/uploads/*",
                    "PATCH/videos/*", "DELETE/videos/*"),
            // Admins: account administration, and editing or deleting anyone's video.
            Scope.ADMIN, List.of("GET/admin/*", "POST/admin/*", "PUT/admin/*",
                    "PATCH/videos/*", "DELETE/videos/*"));

    private ScopeGrants() {
    }

    /** The patterns these scopes grant, in a stable order. */
    static List<String> granted(Set<Scope> scopes) {
        Set<String> patterns = new LinkedHashSet<>();
        for (Scope scope : Scope.values()) {
            if (scopes.contains(scope)) {
                patterns.addAll(GRANTS.getOrDefault(scope, List.of()));
            }
        }
        return List.copyOf(patterns);
    }

    /** The patterns other scopes grant and these do not: explicitly denied, so a missing scope is a 403. */
    static List<String> denied(Set<Scope> scopes) {
        List<String> granted = granted(scopes);
        Set<String> denied = new LinkedHashSet<>();
        for (Scope scope : Scope.values()) {
            for (String pattern : GRANTS.getOrDefault(scope, List.of())) {
                if (!granted.contains(pattern)) {
                    denied.add(pattern);
                }
            }
        }
        return new ArrayList<>(denied);
    }
}
