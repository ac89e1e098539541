package io.reel.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.ConfigurationException;
import io.reel.core.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The auth function's settings as read from its environment. */
class AuthSettingsTest {
    @Test
    void refreshReuseGrace_defaultsTo15s_andZeroTurnsItOff() {
        assertThat(AuthSettings.from(Env.of(Map.of())).refreshReuseGrace()).isEqualTo(Duration.ofSeconds(15));
        assertThat(AuthSettings.from(Env.of(Map.of("REFRESH_REUSE_GRACE", "0s"))).refreshReuseGrace()).isZero();
        assertThat(AuthSettings.from(Env.of(Map.of("REFRESH_REUSE_GRACE", "1m"))).refreshReuseGrace()).isEqualTo(Duration.ofMinutes(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"61s", "2m", "1h"})
    void refreshReuseGrace_longerThanAMinute_isRefusedAtStart(String grace) {
        assertThatThrownBy(() -> AuthSettings.from(Env.of(Map.of("REFRESH_REUSE_GRACE", grace))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REFRESH_REUSE_GRACE").hasMessageContaining("'" + grace + "'").hasMessageContaining("1m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-5s", "15"})
    void refreshReuseGrace_malformed_isRefusedAtStart(String grace) {
        assertThatThrownBy(() -> AuthSettings.from(Env.of(Map.of("REFRESH_REUSE_GRACE", grace))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("REFRESH_REUSE_GRACE");
    }
}
