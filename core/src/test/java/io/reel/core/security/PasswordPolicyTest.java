package io.reel.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {

    private static final PasswordPolicy POLICY = PasswordPolicy.create();
    private static final String TOO_SHORT = "Use at least 12 characters.";
    private static final String TOO_LONG = "Use at most 128 characters.";
    private static final String TOO_COMMON = "This password is too common; choose another.";

    @Test
    void problem_whenEmpty_asksForTwelveCharacters() {
        assertThat(POLICY.problem(new char[0])).contains(TOO_SHORT);
    }

    @Test
    void problem_whenElevenCharacters_asksForTwelve() {
        assertThat(POLICY.problem("tq8-vark-me".toCharArray())).contains(TOO_SHORT);
    }

    @Test
    void problem_whenTwelveCharacters_isEmpty() {
        assertThat(POLICY.problem("tq8-vark-mez".toCharArray())).isEmpty();
    }

    @Test
    void problem_when128Characters_isEmpty() {
        assertThat(POLICY.problem(repeatTo("tq8-vark-mez ", 128))).isEmpty();
    }

    @Test
    void problem_when129Characters_asksForAtMost128() {
        assertThat(POLICY.problem(repeatTo("tq8-vark-mez ", 129))).contains(TOO_LONG);
    }

    @Test
    void problem_whenTenThousandCharacters_asksForAtMost128() {
        assertThat(POLICY.problem(repeatTo("tq8-vark-mez ", 10_000))).contains(TOO_LONG);
    }

    @Test
    void problem_whenEmoji_countsEachAsOneCharacter() {
        assertThat(POLICY.problem("🔒".repeat(11).toCharArray())).contains(TOO_SHORT);
        assertThat(POLICY.problem("🔒".repeat(12).toCharArray())).isEmpty();
        assertThat(POLICY.problem("🔒".repeat(128).toCharArray())).isEmpty();
        assertThat(POLICY.problem("🔒".repeat(129).toCharArray())).contains(TOO_LONG);
    }

    @Test
    void problem_whenCompatibilityCharacters_countsThemAfterNormalisation() {
        // Each "ﬁ" ligature is one character as typed and two ("fi") once normalised, which is what gets hashed.
        assertThat(POLICY.problem("ﬁ".repeat(6).toCharArray())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"password1234", "PASSWORD1234", "Password1234", "pAsSwOrD1234", "123456789012",
            "qwertyuiopas", "IloveYou1234", "123qweasdzxc", "1qaz2wsx3edc", "ｐａｓｓｗｏｒｄ１２３４"})
    void problem_whenCommonPasswordInAnyCase_asksForAnother(String common) {
        assertThat(POLICY.problem(common.toCharArray())).contains(TOO_COMMON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"violet tractor swims under nine moons", "Zq7#mP2v!xL9wR4t", "pässwörd ünïcödé 🔒",
            "Correct Horse Battery Staple, but mine"})
    void problem_whenLongUncommonPassphrase_isEmpty(String passphrase) {
        assertThat(POLICY.problem(passphrase.toCharArray())).isEmpty();
    }

    @Test
    void problem_withOwnList_comparesCaseInsensitively() {
        PasswordPolicy policy = new PasswordPolicy(List.of("Our-Company-2025"));

        assertThat(policy.problem("our-company-2025".toCharArray())).contains(TOO_COMMON);
        assertThat(policy.problem("OUR-COMPANY-2025".toCharArray())).contains(TOO_COMMON);
        assertThat(policy.problem("password1234".toCharArray())).isEmpty();
    }

    private static char[] repeatTo(String unit, int length) {
        return unit.repeat(length / unit.length() + 1).substring(0, length).toCharArray();
    }
}
