package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PlaybackKeysTest {
    @Test
    void afterExpire_theNextUse_readsTheSourceAgain_evenWithinTheRefreshPeriod() {
        AtomicInteger reads = new AtomicInteger();
        byte[] first = new byte[32];
        byte[] second = new byte[32];
        second[0] = 1;
        var keys = new PlaybackKeys(() -> reads.incrementAndGet() == 1 ? first : second, Duration.ofMinutes(5),
                Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC));
        assertThat(keys.now().current().getEncoded()).isEqualTo(first);
        assertThat(reads).as("within the period: no read").hasValue(1);

        keys.expire();

        assertThat(keys.now().current().getEncoded()).as("a SnapStart restore re-reads").isEqualTo(second);
        assertThat(keys.now().previous().getEncoded()).isEqualTo(first);
        assertThat(reads).hasValue(2);
        keys.now();
        assertThat(reads).hasValue(2);
    }
}
