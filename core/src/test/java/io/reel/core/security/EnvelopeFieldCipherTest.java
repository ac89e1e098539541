package io.reel.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.security.EnvelopeFieldCipher.FieldCipherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvelopeFieldCipherTest {
    @TempDir
    Path dir;

    @Test
    void encrypt_thenDecrypt_withTheSameContext_roundTrips() {
        var cipher = cipher(LocalDataKeys.fromFile(dir.resolve("pii.key")), Clock.systemUTC());

        String envelope = cipher.encrypt("ana@example.com", "ana");

        assertThat(envelope).startsWith("v1.").doesNotContain("ana@example.com");
        assertThat(cipher.decrypt(envelope, "ana")).isEqualTo("ana@example.com");
        assertThat(cipher.encrypt("ana@example.com", "ana")).as("a fresh nonce each time").isNotEqualTo(envelope);
    }

    @Test
    void decrypt_withAnotherContext_orTampered_fails() {
        var cipher = cipher(LocalDataKeys.fromFile(dir.resolve("pii.key")), Clock.systemUTC());
        String envelope = cipher.encrypt("ana@example.com", "ana");
        // A character inside the tag (the last one may only carry padding bits that the decoder drops).
        int at = envelope.length() - 6;
        String tampered = envelope.substring(0, at) + (envelope.charAt(at) == 'A' ? 'B' : 'A') + envelope.substring(at + 1);

        assertThatThrownBy(() -> cipher.decrypt(envelope, "bo")).isInstanceOf(FieldCipherException.class)
                .message().doesNotContain("ana@example.com");
        assertThatThrownBy(() -> cipher.decrypt(tampered, "ana")).isInstanceOf(FieldCipherException.class);
        assertThatThrownBy(() -> cipher.decrypt("plain text", "ana")).isInstanceOf(FieldCipherException.class);
        assertThatThrownBy(() -> cipher.decrypt("v1.!!.!!.!!", "ana")).isInstanceOf(FieldCipherException.class);
    }

    @Test
    void decrypt_underAnotherMasterKey_fails() {
        String envelope = cipher(LocalDataKeys.fromFile(dir.resolve("a.key")), Clock.systemUTC()).encrypt("x@y.z", "ana");

        assertThatThrownBy(() -> cipher(LocalDataKeys.fromFile(dir.resolve("b.key")), Clock.systemUTC()).decrypt(envelope, "ana"))
                .isInstanceOf(FieldCipherException.class);
    }

    @Test
    void dataKeys_areReusedForAWhile_thenRenewed() {
        AtomicInteger issued = new AtomicInteger();
        LocalDataKeys local = LocalDataKeys.fromFile(dir.resolve("pii.key"));
        var counting = new EnvelopeFieldCipher.DataKeySource() {
            @Override
            public EnvelopeFieldCipher.DataKey newDataKey() {
                issued.incrementAndGet();
                return local.newDataKey();
            }

            @Override
            public byte[] unwrap(byte[] wrappedKey) {
                return local.unwrap(wrappedKey);
            }
        };
        MutableClock clock = new MutableClock();
        var cipher = cipher(counting, clock);

        cipher.encrypt("a", "u1");
        cipher.encrypt("b", "u2");
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        String later = cipher.encrypt("c", "u3");

        assertThat(issued).hasValue(2);
        assertThat(cipher.decrypt(later, "u3")).isEqualTo("c");
    }

    @Test
    void keyFile_isCreatedOnceAndPrivate() throws Exception {
        Path file = dir.resolve("keys/pii.key");
        String envelope = cipher(LocalDataKeys.fromFile(file), Clock.systemUTC()).encrypt("kept", "ana");

        assertThat(cipher(LocalDataKeys.fromFile(file), Clock.systemUTC()).decrypt(envelope, "ana")).isEqualTo("kept");
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    private static EnvelopeFieldCipher cipher(EnvelopeFieldCipher.DataKeySource keys, Clock clock) {
        return new EnvelopeFieldCipher(keys, Duration.ofMinutes(5), clock);
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
