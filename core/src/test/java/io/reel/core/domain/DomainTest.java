package io.reel.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DomainTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void scopesOf_unionsTheRolesScopes() {
        assertThat(Role.scopesOf(Set.of(Role.VIEWER))).containsExactly(Scope.VIDEOS_READ);
        assertThat(Role.scopesOf(Set.of(Role.VIEWER, Role.UPLOADER)))
                .containsExactlyInAnyOrder(Scope.VIDEOS_READ, Scope.VIDEOS_UPLOAD);
        assertThat(Role.scopesOf(Set.of(Role.ADMIN))).containsExactlyInAnyOrder(Scope.values());
    }

    @Test
    void scope_roundTripsItsTokenSpelling() {
        for (Scope scope : Scope.values()) {
            assertThat(Scope.fromValue(scope.value())).contains(scope);
        }
        assertThat(Scope.fromValue("VIDEOS_READ")).isEmpty();
    }

    @Test
    void session_isUsableOnlyBeforeBothExpiriesAndUnrevoked() {
        Session session = Session.issued("s", "u", "ana", "h", "f", T0, T0.plusSeconds(60), T0.plusSeconds(120), 0);

        assertThat(session.isUsableAt(T0.plusSeconds(59))).isTrue();
        assertThat(session.isUsableAt(T0.plusSeconds(60))).isFalse();
        var capped = Session.issued("s", "u", "ana", "h", "f", T0, T0.plusSeconds(600), T0.plusSeconds(120), 0);
        assertThat(capped.isUsableAt(T0.plusSeconds(121))).isFalse();
        var revoked = new Session("s", "u", "ana", "h", "f", T0, T0.plusSeconds(60), T0.plusSeconds(120), true, false, null,
                null, 0L);
        var rotated = new Session("s", "u", "ana", "h", "f", T0, T0.plusSeconds(60), T0.plusSeconds(120), false, true,
                T0.plusSeconds(1), "s2", 0L);
        assertThat(rotated.isUsableAt(T0)).isFalse();
        assertThat(revoked.isUsableAt(T0)).isFalse();
    }

    @Test
    void records_copyTheirCollections() {
        Set<Role> roles = new HashSet<>(EnumSet.of(Role.VIEWER));
        User user = new User("id", "ana", "$argon2id$...", roles, UserStatus.ACTIVE, 0, 0, null, null, T0);
        roles.add(Role.ADMIN);

        assertThat(user.roles()).containsExactly(Role.VIEWER);
        assertThatThrownBy(() -> user.roles().add(Role.ADMIN)).isInstanceOf(UnsupportedOperationException.class);
        Video video = new Video("v", "o", "t", null, VideoStatus.PROCESSING, null, null, 0, 0, null, null, null, T0, T0);
        assertThat(video.renditions()).isEqualTo(List.of());
        assertThat(video.isReady()).isFalse();
    }

    @Test
    void records_refuseMissingKeys() {
        assertThatThrownBy(() -> new Rendition(null, Rendition.Kind.MP4, 1, 1, 1, "k"))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
    }
}
