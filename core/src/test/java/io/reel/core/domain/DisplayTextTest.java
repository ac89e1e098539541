package io.reel.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DisplayTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"Holiday in Åre", "東京 2026", "نزهة", "Family 👨\u200D👩\u200D👧", "Wales 🏴\uDB40\uDC67\uDB40\uDC62\uDB40\uDC77\uDB40\uDC6C\uDB40\uDC73\uDB40\uDC7F",
            "می\u200Cخواهم", "👍🏽 done"})
    void anyScriptAndEmojiSequences_areShown(String title) {
        assertThat(DisplayText.problem(title, false)).as(title).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\nb", "a\u0007", "evil\u202Egnp.exe", "x\u2066y\u2069", "a\u200Bb", "\uFEFFbom", "a\u200Fb",
            "lone \uD800", "\uDC00 first"})
    void controlsDirectionOverridesInvisiblesAndBrokenText_areRefused(String title) {
        assertThat(DisplayText.problem(title, false)).as(title).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"line one\nline two", "tab\there", "windows\r\nline"})
    void aDescriptionMayBreakLines(String description) {
        assertThat(DisplayText.problem(description, true)).isEmpty();
        assertThat(DisplayText.problem(description, false)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "x\u202Dy", "a\u000Bb"})
    void aDescriptionStillRefusesOtherControls(String description) {
        assertThat(DisplayText.problem(description, true)).isPresent();
    }
}
