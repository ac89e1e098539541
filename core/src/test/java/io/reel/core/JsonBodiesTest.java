package io.reel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link JsonBodies} against {@link Json#read}, the data-binding reader whose rules it keeps: same value or same refusal. */
class JsonBodiesTest {
    record Login(String username, String password, Boolean includeRefreshToken) {
    }

    record Part(Object partNumber, String etag) {
    }

    record Complete(String uploadId, List<Part> parts, List<String> roles, Double seconds, Long count, int tries) {
    }

    static Stream<String> bodies() {
        return Stream.of(
                "{\"username\":\"ana\",\"password\":\"pw\"}",
                "{\"username\":\"ana\",\"password\":\"pw\",\"includeRefreshToken\":true}",
                "{\"username\":null}",
                "{}",
                "{\"username\":\"Caf\\u00e9 \\ud83c\\udfac\"}",
                "{\"username\":\"\\ud800\"}",
                "{\"username\":\"a\",\"username\":\"b\"}",
                "{\"username\":\"a\",\"admin\":true}",
                "{\"username\":123}",
                "{\"username\":1.5}",
                "{\"username\":true}",
                "{\"username\":[\"a\"]}",
                "{\"username\":{\"a\":1}}",
                "{\"includeRefreshToken\":\"true\"}",
                "{\"includeRefreshToken\":[]}",
                "null",
                "[]",
                "\"text\"",
                "42",
                "{\"username\":\"a\"",
                "{'username':'a'}",
                "{\"username\":\"a\"} {}",
                "   ",
                "");
    }

    static Stream<String> uploads() {
        return Stream.of(
                "{\"uploadId\":\"u\",\"parts\":[{\"partNumber\":1,\"etag\":\"e\"},{\"partNumber\":\"2\",\"etag\":\"f\"}]}",
                "{\"parts\":[{\"partNumber\":1.5}],\"roles\":[\"viewer\",\"admin\"],\"seconds\":12,\"count\":7,\"tries\":3}",
                "{\"parts\":[{\"partNumber\":99999999999999999999999}]}",
                "{\"parts\":[{\"partNumber\":{\"a\":[1,null,true]}}]}",
                "{\"parts\":[{\"etag\":1}]}",
                "{\"parts\":[{\"etag\":\"e\",\"size\":1}]}",
                "{\"parts\":{\"etag\":\"e\"}}",
                "{\"parts\":[1]}",
                "{\"parts\":[null]}",
                "{\"roles\":[1]}",
                "{\"roles\":\"viewer\"}",
                "{\"seconds\":\"12\"}",
                "{\"seconds\":1e400}",
                "{\"seconds\":-0.25}",
                "{\"count\":\"7\"}",
                "{\"count\":true}",
                "{\"tries\":null}",
                "{\"tries\":3}");
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void aLoginBody_isReadAsDataBindingReadsIt(String body) {
        sameOutcome(body, Login.class);
    }

    @ParameterizedTest
    @MethodSource("uploads")
    void aNestedBody_isReadAsDataBindingReadsIt(String body) {
        sameOutcome(body, Complete.class);
    }

    @Test
    void aRawComponent_keepsTheJsonValue_forItsRuleToJudge() {
        Complete complete = JsonBodies.read("{\"tries\":0,\"parts\":[{\"partNumber\":1},{\"partNumber\":1.5},{\"partNumber\":\"3\"}]}",
                Complete.class);

        assertThat(complete.parts()).extracting(Part::partNumber).containsExactly(1L, 1.5, "3");
    }

    @Test
    void aNumberForABoolean_isRefused_whereDataBindingWouldReadOneAsTrue() {
        assertThatThrownBy(() -> JsonBodies.read("{\"includeRefreshToken\":1}", Login.class)).isInstanceOf(Json.InvalidJsonException.class)
                .hasMessage("Field 'includeRefreshToken' is missing or has the wrong type.");
        assertThat(Json.read("{\"includeRefreshToken\":1}", Login.class).includeRefreshToken()).isTrue();
    }

    @Test
    void aBodyNestedTooDeeply_isRefused() {
        assertThatThrownBy(() -> JsonBodies.read("{\"parts\":[{\"partNumber\":" + "[".repeat(100) + "]".repeat(100) + "}]}",
                Complete.class)).isInstanceOf(Json.InvalidJsonException.class).hasMessage("The request body is not valid JSON.");
    }

    private static <T extends Record> void sameOutcome(String body, Class<T> type) {
        Object expected;
        try {
            expected = Json.read(body, type);
        } catch (Json.InvalidJsonException e) {
            assertThatThrownBy(() -> JsonBodies.read(body, type)).as(body).isInstanceOf(Json.InvalidJsonException.class)
                    .satisfies(ours -> assertThat(((Json.InvalidJsonException) ours).status()).isEqualTo(e.status()))
                    .satisfies(ours -> {
                        if (!e.getMessage().contains("shape")) { // trailing content: data binding calls it the wrong shape
                            assertThat(ours.getMessage()).as(body).isEqualTo(e.getMessage());
                        }
                    });
            return;
        }
        Object ours = JsonBodies.read(body, type);
        assertThat(normalised(ours)).as(body).isEqualTo(normalised(expected));
    }

    /** Raw values compared as JSON text: data binding keeps 1 as an Integer, the streaming reader as a Long. */
    private static String normalised(Object value) {
        return Json.write(value);
    }
}
