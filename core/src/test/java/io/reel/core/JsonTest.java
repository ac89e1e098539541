package io.reel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.Json.InvalidJsonException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    record Login(String username, String password) {
    }

    record Stamp(Instant at, String note) {
    }

    @Test
    void read_whenWellFormed_returnsTheRecord() {
        assertThat(Json.read("{\"username\":\"ana\",\"password\":\"pw\"}", Login.class))
                .isEqualTo(new Login("ana", "pw"));
    }

    @Test
    void read_whenTheBodyIsTheLiteralNull_refusesItAsNoObject() {
        assertThatThrownBy(() -> Json.read("null", Login.class)).isInstanceOf(Json.InvalidJsonException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> Json.read("  null \n", Login.class)).isInstanceOf(Json.InvalidJsonException.class);
    }

    @Test
    void read_whenFieldUnknown_namesTheField() {
        assertThatThrownBy(() -> Json.read("{\"username\":\"ana\",\"password\":\"pw\",\"admin\":true}", Login.class))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("'admin'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"username\":\"ana\",\"password\":123}", "{\"username\":\"ana\",\"password\":true}",
            "{\"username\":\"ana\",\"password\":{}}", "{\"username\":\"ana\",\"password\":[\"x\"]}"})
    void read_whenTextFieldHasAnotherType_namesTheField(String body) {
        assertThatThrownBy(() -> Json.read(body, Login.class))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("'password'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"username\":", "{} trailing", "[1,2]", "\"text\"", "{\"username\":\"a\",\"username\":\"b\"}"})
    void read_whenNotTheExpectedJson_failsWithAClientMessage(String body) {
        assertThatThrownBy(() -> Json.read(body, Login.class))
                .isInstanceOf(InvalidJsonException.class)
                .message().doesNotContain("com.fasterxml").doesNotContain("io.reel");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void read_whenEmpty_saysSo(String body) {
        assertThatThrownBy(() -> Json.read(body, Login.class)).hasMessageContaining("empty");
    }

    @Test
    void write_omitsNullsAndWritesInstantsAsText() {
        String json = Json.write(new Stamp(Instant.parse("2026-01-02T03:04:05Z"), null));

        assertThat(json).isEqualTo("{\"at\":\"2026-01-02T03:04:05Z\"}");
    }

    @Test
    void read_refusesUnpairedSurrogates_soDifferentPasswordsCannotBecomeOne() {
        // Issue #15, defect 7: "\ud800", "\udc00" and "\udfff" were each written out as '?', one password.
        for (String lone : new String[] {"\\ud800", "\\udc00", "\\udfff", "a\\ud83dz"}) {
            assertThatThrownBy(() -> Json.read("{\"username\":\"ana\",\"password\":\"pw" + lone + "\"}", Login.class))
                    .isInstanceOf(Json.InvalidJsonException.class).hasMessageContaining("'password'")
                    .hasMessageContaining("unpaired surrogate");
        }
        assertThat(Json.read("{\"username\":\"ana\",\"password\":\"pw\\ud83d\\ude00\"}", Login.class).password())
                .isEqualTo("pw\uD83D\uDE00");
        assertThat(Json.isWellFormed("ok \uD83D\uDE00")).isTrue();
        assertThat(Json.isWellFormed("\uDE00\uD83D")).isFalse();
    }
}
