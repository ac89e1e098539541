package io.reel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonValuesReadTest {
    private static Object read(String json) {
        return JsonValues.read(json.getBytes(StandardCharsets.UTF_8), 4);
    }

    @Test
    void read_givesPlainValues_inOrder() {
        Object value = read("{\"b\":1,\"a\":[true,null,\"x\",2.5,-9223372036854775808,92233720368547758070],\"c\":{}}");

        assertThat(value).isInstanceOf(Map.class);
        assertThat(List.copyOf(((Map<?, ?>) value).keySet())).isEqualTo(List.of("b", "a", "c"));
        assertThat(((Map<?, ?>) value).get("b")).isEqualTo(1L);
        assertThat(((Map<?, ?>) value).get("a")).isEqualTo(Arrays.asList(true, null, "x", 2.5, Long.MIN_VALUE,
                new BigInteger("92233720368547758070")));
        assertThat(((Map<?, ?>) value).get("c")).isEqualTo(Map.of());
    }

    @Test
    void read_agreesWithDataBinding_onWhatItReads() throws Exception {
        String json = "{\"title\":\"Caf\\u00e9 \\ud83c\\udfac\",\"n\":[1,{\"k\":\"v\"}],\"t\":false}";

        assertThat(JsonValues.toText(read(json))).isEqualTo(Json.mapper().writeValueAsString(Json.mapper().readTree(json)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{\"a\":1,\"a\":2}", "{} {}", "[1,", "{\"a\":}", "'a'", "[[[[[1]]]]]", "{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}",
            "NaN", "{a:1}", "[1,]"})
    void read_refusesWhatIsNotOneStrictJsonValue(String json) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void read_refusesMalformedUtf8() {
        byte[] bytes = Arrays.copyOf("\"ab\"".getBytes(StandardCharsets.US_ASCII), 4);
        bytes[1] = (byte) 0xc3; // a lead byte followed by an ASCII letter

        assertThatThrownBy(() -> JsonValues.read(bytes, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON");
    }

    @Test
    void read_acceptsNestingUpToTheLimit() {
        assertThat(read("[[[[1]]]]")).isEqualTo(List.of(List.of(List.of(List.of(1L)))));
    }
}
