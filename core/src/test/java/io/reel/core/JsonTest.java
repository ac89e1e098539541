package io.reel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.Json.InvalidJsonException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    enum Kind { MP4, HLS }

    record Part(int partNumber, String url) {
    }

    record Body(String videoId, String title, String description, Kind kind, long size, double ratio, boolean ready,
                Instant createdAt, List<Part> parts, Map<String, List<String>> types, Set<Kind> kinds, Integer percent) {
    }

    record WithGetter(String name) {
        public String getLabel() {
            return "label " + name;
        }
    }

    record WithDuration(java.time.Duration lifetime) {
    }

    record Renamed(@com.fasterxml.jackson.annotation.JsonProperty("full_name") String name) {
    }

    static java.util.stream.Stream<Object> bodies() {
        Instant at = Instant.parse("2026-12-03T10:15:30.123456Z");
        Map<String, Object> withNull = new java.util.LinkedHashMap<>();
        withNull.put("a", null);
        withNull.put("b", List.of(1, 2L, "three", true));
        return java.util.stream.Stream.of(
                new Body("v1", "T\u00e9l\u00e9 \"quoted\" \u2028", null, Kind.HLS, 5_368_709_120L, 1.5, true, at,
                        List.of(new Part(1, "https://x/1?a=b&c"), new Part(2, null)), Map.of("video/mp4", List.of(".mp4")),
                        java.util.EnumSet.of(Kind.MP4), null),
                new Body(null, "", "", null, 0, -0.0, false, Instant.EPOCH, List.of(), Map.of(), Set.of(), 42),
                withNull, List.of(), Map.of("k", Map.of("nested", new Part(3, "u"))), "text", 7, true,
                new WithGetter("x"), new WithDuration(java.time.Duration.ofSeconds(90)), new Renamed("Ada"),
                new io.reel.core.http.Problem("about:blank", "Not Found", 404, "No such video."));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("bodies")
    void write_isWhatTheDataBindingMapperWrites_whetherOrNotItWritesThroughIt(Object body) throws Exception {
        assertThat(Json.write(body)).isEqualTo(Json.mapper().writeValueAsString(body));
    }

    @Test
    void bodies_ofPlainTypes_areWrittenWithoutDataBinding_othersAreLeftToIt() {
        assertThat(JsonValues.bodyText(new Part(1, "u"))).contains("{\"partNumber\":1,\"url\":\"u\"}");
        assertThat(JsonValues.bodyText(new WithGetter("x"))).as("a getter data binding would add").isEmpty();
        assertThat(JsonValues.bodyText(new WithDuration(java.time.Duration.ZERO))).as("durations").isEmpty();
        assertThat(JsonValues.bodyText(Map.of(1, "x"))).as("keys that are not text").isEmpty();
        assertThat(JsonValues.bodyText(new Renamed("Ada"))).as("Jackson's annotations").isEmpty();
    }
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
