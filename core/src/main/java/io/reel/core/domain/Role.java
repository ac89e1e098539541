package io.reel.core.domain;

import java.util.EnumSet;
import java.util.Set;

/** What a user is; each role grants a fixed set of scopes. */
public enum Role {
    VIEWER(EnumSet.of(Scope.VIDEOS_READ)),
    UPLOADER(EnumSet.of(Scope.VIDEOS_READ, Scope.VIDEOS_UPLOAD)),
    ADMIN(EnumSet.allOf(Scope.class));

    private final Set<Scope> scopes;

    Role(Set<Scope> scopes) {
        this.scopes = Set.copyOf(scopes);
    }

    public Set<Scope> scopes() {
        return scopes;
    }

    /** The union of the scopes of the given roles. */
    public static Set<Scope> scopesOf(Set<Role> roles) {
        EnumSet<Scope> all = EnumSet.noneOf(Scope.class);
        roles.forEach(role -> all.addAll(role.scopes));
        return Set.copyOf(all);
    }
}
