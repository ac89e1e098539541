package io.reel.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsernamesTest {

    @ParameterizedTest
    @CsvSource({"Ana,ana", "' ÁNA ',ána", "Ａｎａ,ana", "ﬁona,fiona", "li.wei_2-x,li.wei_2-x", "Ωμέγα,ωμέγα"})
    void normalise_appliesNfkcAndLowerCase(String raw, String expected) {
        assertThat(Usernames.normalise(raw)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "a b c", "ana\"", "ana'", "ana\u0000", "an\na", "an\u0007a", "<script>", "ana@example.com", "a;b;c"})
    void normalise_refusesWhatCanNeverBeAUsername(String raw) {
        assertThat(Usernames.normalise(raw)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {65, 300, 10_000})
    void normalise_refusesOverlongNames(int length) {
        assertThat(Usernames.normalise("a".repeat(length))).isEmpty();
    }
}
