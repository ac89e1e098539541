package io.reel.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.domain.Role;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStatus;
import io.reel.core.port.AlreadyExistsException;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** core's Users adapter against DynamoDB Local (it lives here because core cannot depend on local-aws). */
@ExtendWith(LocalAwsExtension.class)
class DynamoDbUserStoreIT {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private DynamoDbUserStore store;

    @BeforeEach
    void store(AwsTestResources aws) {
        store = new DynamoDbUserStore(aws.dynamoDb(), aws.table("UsersTable"));
    }

    @Test
    void create_thenFind_roundTripsEveryField() {
        User user = new User("u-" + UUID.randomUUID(), "ana-" + UUID.randomUUID(), "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
                Set.of(Role.VIEWER, Role.ADMIN), UserStatus.ACTIVE, 3, 1, T0, "envelope", T0);

        store.create(user);

        assertThat(store.findByUsername(user.username())).contains(user);
        assertThat(store.findByUsername("nobody-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void findStanding_readsOnlyIdStatusAndTokenVersion_andFollowsChanges() {
        User user = user();
        store.create(user);

        assertThat(store.findStanding(user.username())).contains(new io.reel.core.domain.UserStanding(user.userId(),
                UserStatus.ACTIVE, 0));
        store.bumpTokenVersion(user.username());
        store.setStatus(user.username(), UserStatus.DISABLED);
        var standing = store.findStanding(user.username()).orElseThrow();
        assertThat(standing.status()).isEqualTo(UserStatus.DISABLED);
        assertThat(standing.tokenVersion()).as("bumped, then bumped again by disabling").isEqualTo(2);
        assertThat(standing.admits(user.userId(), 2)).as("disabled").isFalse();
        assertThat(store.findStanding("nobody-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void create_whenUsernameTaken_failsWithoutOverwriting() {
        User first = user();
        store.create(first);
        User second = new User("other-id", first.username(), "hash2", Set.of(), UserStatus.ACTIVE, 0, 0, null, null, T0);

        assertThatThrownBy(() -> store.create(second)).isInstanceOf(AlreadyExistsException.class).hasMessageContaining(first.username());
        assertThat(store.findByUsername(first.username()).orElseThrow().userId()).isEqualTo(first.userId());
    }

    @Test
    void recordFailedLogin_countsEveryConcurrentFailure() throws Exception {
        User user = user();
        store.create(user);
        try (var pool = Executors.newFixedThreadPool(10)) {
            List<Future<Integer>> counts = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                counts.add(pool.submit(() -> store.recordFailedLogin(user.username(), T0)));
            }
            List<Integer> seen = new java.util.ArrayList<>();
            for (Future<Integer> count : counts) {
                seen.add(count.get());
            }
            assertThat(seen).doesNotHaveDuplicates().hasSize(50).contains(1, 50);
        }

        assertThat(store.findByUsername(user.username()).orElseThrow().failedLogins()).isEqualTo(50);
        store.resetFailedLogins(user.username());
        User reset = store.findByUsername(user.username()).orElseThrow();
        assertThat(reset.failedLogins()).isZero();
        assertThat(reset.lastFailedLoginAt()).isNull();
    }

    @Test
    void disable_bumpsTheTokenVersion_andEnableDoesNot() {
        User user = user();
        store.create(user);

        store.setStatus(user.username(), UserStatus.DISABLED);
        User disabled = store.findByUsername(user.username()).orElseThrow();
        store.setStatus(user.username(), UserStatus.ACTIVE);
        User enabled = store.findByUsername(user.username()).orElseThrow();

        assertThat(disabled.status()).isEqualTo(UserStatus.DISABLED);
        assertThat(disabled.tokenVersion()).isEqualTo(1);
        assertThat(enabled.isActive()).isTrue();
        assertThat(enabled.tokenVersion()).isEqualTo(1);
        assertThat(store.bumpTokenVersion(user.username())).isEqualTo(2);
    }

    @Test
    void updates_ofAnUnknownUser_failWithoutCreatingIt() {
        String ghost = "ghost-" + UUID.randomUUID();

        assertThatThrownBy(() -> store.recordFailedLogin(ghost, T0)).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> store.setStatus(ghost, UserStatus.DISABLED)).isInstanceOf(NoSuchElementException.class);
        assertThat(store.findByUsername(ghost)).isEmpty();
    }

    @Test
    void updatePasswordHash_replacesOnlyTheHash() {
        User user = user();
        store.create(user);

        store.updatePasswordHash(user.username(), "new-hash");

        assertThat(store.findByUsername(user.username()).orElseThrow())
                .satisfies(u -> assertThat(u.passwordHash()).isEqualTo("new-hash"))
                .satisfies(u -> assertThat(u.roles()).isEqualTo(user.roles()));
        assertThat(store.list()).extracting(User::username).contains(user.username());
    }

    private static User user() {
        return new User("u-" + UUID.randomUUID(), "user-" + UUID.randomUUID(), "hash", Set.of(Role.VIEWER), UserStatus.ACTIVE,
                0, 0, null, null, T0);
    }
}
