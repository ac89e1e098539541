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

    @ParameterizedTest
    @ValueSource(strings = {"\u0430dmin", "p\u0430ypal", "\u0430\u0441\u0435", "\u03bf\u03c1\u03b1", "admin\u0455", "\u0441\u043e\u0441\u043e"})
    void newAccounts_mayNotTakeMixedScriptOrLookalikeNames(String name) {
        // Issue #15, defect 7: Cyrillic "а" in "аdmin" made a second admin-looking account.
        assertThat(Usernames.lookalikeProblem(Usernames.normalise(name).orElseThrow())).as(name).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "ana.maria", "\u043d\u0430\u0442\u0430\u0448\u0430", "\u03c9\u03bc\u03ad\u03b3\u03b1", "\u5c71\u7530\u305f\u308d\u3046",
            "kim\ubbfc\uc900", "\u0645\u062d\u0645\u062f", "user_42"})
    void newAccounts_mayTakeNamesOfAnyOneScript(String name) {
        assertThat(Usernames.lookalikeProblem(Usernames.normalise(name).orElseThrow())).as(name).isEmpty();
    }
}
