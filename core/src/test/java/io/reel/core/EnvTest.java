package io.reel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvTest {

    @Test
    void string_whenMissing_namesTheVariable() {
        Env env = Env.of(Map.of());

        assertThatThrownBy(() -> env.string("USERS_TABLE"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("USERS_TABLE")
                .hasMessageContaining("missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t"})
    void string_whenBlank_isTreatedAsMissing(String blank) {
        Env env = Env.of(Map.of("USERS_TABLE", blank));

        assertThatThrownBy(() -> env.string("USERS_TABLE"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("USERS_TABLE");
        assertThat(env.optional("USERS_TABLE")).isEmpty();
        assertThat(env.string("USERS_TABLE", "fallback")).isEqualTo("fallback");
    }

    @Test
    void string_whenPresent_isStripped() {
        assertThat(Env.of(Map.of("A", "  users \n")).string("A")).isEqualTo("users");
    }

    @ParameterizedTest
    @ValueSource(strings = {"thirty", "3.5", "99999999999", "0x10"})
    void integer_whenMalformed_namesTheVariableAndTheValue(String raw) {
        Env env = Env.of(Map.of("PAGE_LIMIT", raw));

        assertThatThrownBy(() -> env.integer("PAGE_LIMIT", 10))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("PAGE_LIMIT")
                .hasMessageContaining("malformed")
                .hasMessageContaining(raw);
    }

    @Test
    void integer_whenAbsent_usesTheDefault() {
        assertThat(Env.of(Map.of()).integer("PAGE_LIMIT", 25)).isEqualTo(25);
        assertThat(Env.of(Map.of("PAGE_LIMIT", "40")).integer("PAGE_LIMIT", 25)).isEqualTo(40);
    }

    @Test
    void malformedSecret_isNeverEchoed() {
        Env env = Env.of(Map.of("SIGNING_KEY", "super-secret-value"));

        assertThatThrownBy(() -> env.integer("SIGNING_KEY"))
                .hasMessageContaining("SIGNING_KEY")
                .hasMessageNotContaining("super-secret-value");
    }

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "30s,PT30S", "15m,PT15M", "2h,PT2H", "30d,PT720H", "PT15M,PT15M", "pt1h,PT1H"})
    void duration_acceptsUnitsAndIso8601(String raw, String expected) {
        assertThat(Env.of(Map.of("TTL", raw)).duration("TTL")).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"15", "15 minutes", "m", "-5s", "PT-5M", "1.5h"})
    void duration_whenMalformed_namesTheVariable(String raw) {
        Env env = Env.of(Map.of("TOKEN_TTL", raw));

        assertThatThrownBy(() -> env.duration("TOKEN_TTL", Duration.ofMinutes(15)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("TOKEN_TTL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:4566", "ftp://host/x", "not a url", "/relative"})
    void uri_whenNotAbsoluteHttp_namesTheVariable(String raw) {
        Env env = Env.of(Map.of("AWS_ENDPOINT_URL_S3", raw));

        assertThatThrownBy(() -> env.uri("AWS_ENDPOINT_URL_S3"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("AWS_ENDPOINT_URL_S3");
    }

    @Test
    void uri_whenValid_isParsed() {
        assertThat(Env.of(Map.of("E", "http://127.0.0.1:4566")).uri("E")).contains(URI.create("http://127.0.0.1:4566"));
    }

    @Test
    void bool_acceptsCommonSpellingsAndRejectsOthers() {
        assertThat(Env.of(Map.of("F", "yes")).bool("F", false)).isTrue();
        assertThat(Env.of(Map.of("F", "OFF")).bool("F", true)).isFalse();
        assertThatThrownBy(() -> Env.of(Map.of("F", "maybe")).bool("F", true))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("F");
    }

    @Test
    void controlCharactersInAValue_areNotPrinted() {
        Env env = Env.of(Map.of("N", "12\u001b[31m"));

        assertThatThrownBy(() -> env.integer("N")).message().doesNotContain("\u001b");
    }

    @Test
    void with_overridesWithoutChangingTheOriginal() {
        Env base = Env.of(Map.of("A", "1", "B", "2"));

        Env derived = base.with(Map.of("B", "3"));

        assertThat(derived.string("B")).isEqualTo("3");
        assertThat(base.string("B")).isEqualTo("2");
        assertThat(derived.string("A")).isEqualTo("1");
    }
}
