package io.reel.core.domain;

import java.util.Optional;

/**
 * What text shown to other people (a title, a description) may hold: any script and emoji, but no control characters
 * (a description may break lines and use tabs), no unpaired surrogates, and no invisible formatting that changes how
 * the text around it reads - direction overrides and isolates, marks, zero-width spaces and joiners other than the
 * ones scripts and emoji sequences need (ZWJ, ZWNJ, emoji tags).
 */
public final class DisplayText {
    private DisplayText() {
    }

    /** Why {@code text} cannot be shown as it is, as the end of a sentence ("must not …"); empty when it can. */
    public static Optional<String> problem(String text, boolean multiline) {
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1)))) {
                return Optional.of("must be valid Unicode text (it holds an unpaired surrogate).");
            }
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isISOControl(codePoint) && !(multiline && (codePoint == '\n' || codePoint == '\t' || codePoint == '\r'))) {
                return Optional.of(multiline ? "must not contain control characters other than line breaks and tabs."
                        : "must not contain control characters such as line breaks or NUL.");
            }
            if (isDirectionControl(codePoint)) {
                return Optional.of("must not contain invisible direction controls such as right-to-left overrides.");
            }
            if (Character.getType(codePoint) == Character.FORMAT && !isNeededFormat(codePoint)) {
                return Optional.of("must not contain invisible formatting characters such as zero-width spaces.");
            }
        }
        return Optional.empty();
    }

    /** ALM, LRM, RLM, the embeddings and overrides U+202A-U+202E, and the isolates U+2066-U+2069. */
    static boolean isDirectionControl(int codePoint) {
        return codePoint == 0x061C || codePoint == 0x200E || codePoint == 0x200F
                || (codePoint >= 0x202A && codePoint <= 0x202E) || (codePoint >= 0x2066 && codePoint <= 0x2069);
    }

    /** ZWNJ and ZWJ (Persian, Indic scripts, emoji sequences) and the tag characters of subdivision flags. */
    private static boolean isNeededFormat(int codePoint) {
        return codePoint == 0x200C || codePoint == 0x200D || (codePoint >= 0xE0020 && codePoint <= 0xE007F);
    }
}
