package io.reel.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class VideoIdsTest {
    private static final Pattern FORMAT = Pattern.compile("[a-z2-7]{26}");
    private static final String VALID = "abcdefghijklmnopqrstuvwxy4";

    @Test
    void newId_isUniqueOverTenThousandIds_andAlwaysOfTheFormat() {
        Set<String> ids = new HashSet<>();
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = VideoIds.newId();
            assertThat(id).matches(FORMAT);
            assertThat(VideoIds.isValid(id)).as(id).isTrue();
            // 128 bits fill 25 characters and 3 bits of the 26th, whose last 2 bits are the zero padding.
            assertThat("aeimquy4").as("last character of %s", id).contains(id.substring(25));
            ids.add(id);
            id.substring(0, 25).chars().forEach(c -> seen.add((char) c));
        }
        assertThat(ids).hasSize(10_000);
        assertThat(seen).as("every base32 character turns up").hasSize(32);
    }

    @ParameterizedTest
    @CsvSource({"'',''", "f,my", "fo,mzxq", "foo,mzxw6", "foob,mzxw6yq", "fooba,mzxw6ytb", "foobar,mzxw6ytboi"})
    void base32_matchesTheRfc4648Vectors_inLowerCaseWithoutPadding(String input, String expected) {
        assertThat(VideoIds.base32(input.getBytes(StandardCharsets.US_ASCII))).isEqualTo(expected);
    }

    @Test
    void base32_ofTheExtremes() {
        byte[] ones = new byte[16];
        Arrays.fill(ones, (byte) 0xff);
        assertThat(VideoIds.base32(new byte[16])).isEqualTo("a".repeat(26));
        assertThat(VideoIds.base32(ones)).isEqualTo("7".repeat(25) + "4");
    }

    @Test
    void isValid_acceptsExactlyTwentySixCharactersOfTheAlphabet() {
        assertThat(VideoIds.isValid(VALID)).isTrue();
        assertThat(VideoIds.isValid("a".repeat(26))).isTrue();
        assertThat(VideoIds.isValid("234567" + "z".repeat(20))).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @MethodSource("hostile")
    void isValid_refusesAnythingElse(String id) {
        assertThat(VideoIds.isValid(id)).isFalse();
        assertThatThrownBy(() -> VideoIds.mediaPrefix(id)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<String> hostile() {
        return Stream.of(
                "../",
                "../" + "a".repeat(23),
                "%2e%2e",
                "%2e%2e" + "a".repeat(20),
                "a".repeat(23) + "%2f",
                "a".repeat(2048),
                "a".repeat(25),
                "a".repeat(27),
                VALID.toUpperCase(java.util.Locale.ROOT),
                "A" + VALID.substring(1),
                "\u0430" + VALID.substring(1), // Cyrillic a
                "\u0435" + VALID.substring(1), // Cyrillic e
                "\uff41" + VALID.substring(1), // full-width a
                "\uff12" + VALID.substring(1), // full-width 2
                "\ud835\udc1a".repeat(13), // 13 mathematical bold a: 26 UTF-16 chars
                "0" + VALID.substring(1),
                "1" + VALID.substring(1),
                "8" + VALID.substring(1),
                "9" + VALID.substring(1),
                " " + VALID.substring(1),
                VALID.substring(1) + "\n",
                VALID.substring(1) + "\u0000",
                VALID.substring(1) + "/",
                VALID.substring(1) + ".",
                VALID.substring(0, 13) + "\\" + VALID.substring(14));
    }

    @Test
    void mediaPrefix_isTheVideosFolder() {
        assertThat(VideoIds.mediaPrefix(VALID)).isEqualTo("videos/" + VALID + "/");
        String id = VideoIds.newId();
        assertThat(VideoIds.mediaPrefix(id)).isEqualTo("videos/" + id + "/");
    }
}
