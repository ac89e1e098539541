package io.reel.core.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.core.domain.Session;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** core's Sessions adapter against DynamoDB Local. */
@ExtendWith(LocalAwsExtension.class)
class DynamoDbSessionStoreIT {
    // Sessions must expire in the future: DynamoDB Local 3 deletes items whose TTL attribute has passed.
    private static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private DynamoDbSessionStore store;
    private AwsTestResources aws;

    @BeforeEach
    void store(AwsTestResources aws) {
        this.aws = aws;
        store = new DynamoDbSessionStore(aws.dynamoDb(), aws.table("SessionsTable"));
    }

    @Test
    void create_thenFind_roundTrips_andWritesTheTtlAttribute() {
        Session session = session("user-1", "family-1");

        store.create(session);

        assertThat(store.find(session.sessionId())).contains(session);
        var item = aws.dynamoDb().getItem(r -> r.tableName(aws.table("SessionsTable"))
                .key(java.util.Map.of("sessionId", AttributeValue.fromS(session.sessionId())))).item();
        assertThat(item.get("expiresAtEpoch").n()).isEqualTo(Long.toString(session.expiresAt().getEpochSecond()));
    }

    @Test
    void markRotated_succeedsOnceEvenUnderConcurrentUse() throws Exception {
        Session session = session("user-2", "family-2");
        store.create(session);

        List<Boolean> winners = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String successor = "next-" + i;
                attempts.add(pool.submit(() -> store.markRotated(session.sessionId(), session.refreshTokenHash(), T0, successor)));
            }
            for (Future<Boolean> attempt : attempts) {
                winners.add(attempt.get());
            }
        }

        assertThat(winners).containsOnlyOnce(true);
        Session rotated = store.find(session.sessionId()).orElseThrow();
        assertThat(rotated.rotated()).isTrue();
        assertThat(rotated.rotatedAt()).isEqualTo(T0);
        assertThat(rotated.rotatedTo()).as("the winner's successor").isEqualTo("next-" + winners.indexOf(true));
    }

    @Test
    void markRotated_recordsWhenAndToWhich_andARowFromBeforeThatReadsAsUnknown() {
        Session session = session("user-7", "family-7");
        store.create(session);
        Instant at = T0.plusMillis(1_234);

        assertThat(store.markRotated(session.sessionId(), session.refreshTokenHash(), at, "successor-7")).isTrue();

        Session rotated = store.find(session.sessionId()).orElseThrow();
        assertThat(rotated.rotatedAt()).isEqualTo(at);
        assertThat(rotated.rotatedTo()).isEqualTo("successor-7");
        assertThat(rotated.isUsableAt(T0)).isFalse();
        Session old = session("user-7", "family-7");
        var item = new java.util.HashMap<>(DynamoDbSessionStore.toItem(old));
        item.put("rotated", AttributeValue.fromBool(true));
        aws.dynamoDb().putItem(r -> r.tableName(aws.table("SessionsTable")).item(item));
        assertThat(store.find(old.sessionId()).orElseThrow())
                .satisfies(s -> assertThat(s.rotated()).isTrue())
                .satisfies(s -> assertThat(s.rotatedAt()).isNull())
                .satisfies(s -> assertThat(s.rotatedTo()).isNull());
    }

    @Test
    void markRotated_withTheWrongHashOrARevokedSession_fails() {
        Session session = session("user-3", "family-3");
        store.create(session);

        assertThat(store.markRotated(session.sessionId(), "other-hash", T0, "s")).isFalse();
        store.revoke(session.sessionId());
        assertThat(store.markRotated(session.sessionId(), session.refreshTokenHash(), T0, "s")).isFalse();
        assertThat(store.markRotated("no-such-session", "h", T0, "s")).isFalse();
        assertThat(store.find(session.sessionId()).orElseThrow().rotatedAt()).as("a refused rotation records nothing").isNull();
    }

    @Test
    void delete_removesTheRow_andToleratesAMissingOne() {
        Session session = session("user-6", "family-6");
        store.create(session);

        store.delete(session.sessionId());
        store.delete(session.sessionId());

        assertThat(store.find(session.sessionId())).isEmpty();
    }

    @Test
    void revokeFamily_revokesOnlyThatFamily() {
        Session a = session("user-4", "family-4");
        Session b = session("user-4", "family-4");
        Session other = session("user-4", "family-other");
        List.of(a, b, other).forEach(store::create);

        assertThat(store.isFamilyRevoked("family-4")).isFalse();

        assertThat(store.revokeFamily("family-4", T0.plusSeconds(7200))).isEqualTo(2);

        assertThat(store.find(a.sessionId()).orElseThrow().revoked()).isTrue();
        assertThat(store.find(b.sessionId()).orElseThrow().revoked()).isTrue();
        assertThat(store.find(other.sessionId()).orElseThrow().revoked()).isFalse();
        assertThat(store.isFamilyRevoked("family-4")).as("remembered for sessions the index has not listed yet").isTrue();
        assertThat(store.isFamilyRevoked("family-other")).isFalse();
    }

    @Test
    void theFamilyMarker_isInNoIndex_andCountsAsNoSession() {
        Session a = session("user-7", "family-7");
        store.create(a);
        store.revokeFamily("family-7", T0.plusSeconds(7200));

        assertThat(store.revokeAllForUser("user-7")).as("only the session, not the marker").isEqualTo(1);
        assertThat(store.revokeFamily("family-7", T0.plusSeconds(7200))).isEqualTo(1);
    }

    @Test
    void theTokenVersionASessionWasIssuedUnder_roundTrips() {
        Session a = Session.issued(UUID.randomUUID().toString(), "user-8", "name-user-8", "hash", "family-8", T0,
                T0.plusSeconds(3600), T0.plusSeconds(7200), 3);
        store.create(a);

        Session read = store.find(a.sessionId()).orElseThrow();
        assertThat(read.tokenVersion()).isEqualTo(3L);
        assertThat(read.predates(3)).isFalse();
        assertThat(read.predates(4)).isTrue();
    }

    @Test
    void revokeAllForUser_revokesEveryFamilyOfThatUser() {
        Session a = session("user-5", "family-5a");
        Session b = session("user-5", "family-5b");
        Session stranger = session("user-6", "family-6");
        List.of(a, b, stranger).forEach(store::create);

        assertThat(store.revokeAllForUser("user-5")).isEqualTo(2);

        assertThat(store.find(stranger.sessionId()).orElseThrow().isUsableAt(T0)).isTrue();
        assertThat(store.find(a.sessionId()).orElseThrow().isUsableAt(T0)).isFalse();
    }

    private static Session session(String userId, String familyId) {
        return Session.issued(UUID.randomUUID().toString(), userId, "name-" + userId, "hash-" + UUID.randomUUID(), familyId, T0,
                T0.plusSeconds(3600), T0.plusSeconds(7200), 0);
    }
}
