package io.reel.core.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one normalisation rule for usernames: Unicode NFKC, then lower case (root locale), then 3 to 64 characters
 * of letters and digits of any script plus {@code .}, {@code _} and {@code -}. So "Ána", "ÁNA" and the
 * full-width "Ａｎａ" are one user (surrounding white space is ignored), and quotes, inner spaces and control
 * characters never reach the table.
 */
public final class Usernames {
    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{Nd}._-]{3,64}");
    private static final int MAX_RAW_LENGTH = 256;

    private Usernames() {
    }

    /**
     * Why a new account may not take this (normalised) name, or empty: it must not be able to pass for another name.
     * Letters come from one script (or the Latin-Han-kana and Latin-Han-Hangul mixes of Japanese and Korean, as
     * Unicode's "highly restrictive" profile, UTS #39, allows), so Cyrillic {@code а} in {@code аdmin} is refused; and
     * a Cyrillic or Greek name made only of letters that look Latin ({@code асе}) would pass for a Latin one, so it is
     * refused too. Existing accounts keep signing in under {@link #normalise}.
     */
    public static Optional<String> lookalikeProblem(String normalised) {
        java.util.Set<Character.UnicodeScript> scripts = java.util.EnumSet.noneOf(Character.UnicodeScript.class);
        normalised.codePoints().filter(Character::isLetter).mapToObj(Character.UnicodeScript::of)
                .filter(script -> script != Character.UnicodeScript.COMMON && script != Character.UnicodeScript.INHERITED)
                .forEach(scripts::add);
        if (scripts.size() > 1 && ALLOWED_MIXES.stream().noneMatch(mix -> mix.containsAll(scripts))) {
            return Optional.of("A username must not mix alphabets (" + scripts.stream().map(Usernames::scriptName).sorted()
                    .collect(java.util.stream.Collectors.joining(" and ")) + "): mixed, it can look like someone else's.");
        }
        if (scripts.size() == 1 && (scripts.contains(Character.UnicodeScript.CYRILLIC) || scripts.contains(Character.UnicodeScript.GREEK))) {
            StringBuilder latin = new StringBuilder();
            for (int i = 0; i < normalised.length(); i++) {
                char c = normalised.charAt(i);
                int at = LOOK_LATIN_FROM.indexOf(c);
                if (Character.isLetter(c) && at < 0) {
                    return Optional.empty(); // at least one letter that looks like no Latin one
                }
                latin.append(at >= 0 ? LOOK_LATIN_TO.charAt(at) : c);
            }
            return Optional.of("That username looks exactly like the Latin name '" + latin + "'; choose one that does not.");
        }
        return Optional.empty();
    }

    private static final java.util.List<java.util.Set<Character.UnicodeScript>> ALLOWED_MIXES = java.util.List.of(
            java.util.EnumSet.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.HIRAGANA,
                    Character.UnicodeScript.KATAKANA),
            java.util.EnumSet.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.HANGUL),
            java.util.EnumSet.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.BOPOMOFO));
    /** Lower-case Cyrillic and Greek letters that look like Latin ones (from Unicode's confusables), and those. */
    private static final String LOOK_LATIN_FROM = "асеһіјкорԛѕԝхуԁүαοριυνχϲϳκτ";
    private static final String LOOK_LATIN_TO = "acehijkopqswxydyaopiuvxcjkt";

    private static String scriptName(Character.UnicodeScript script) {
        String name = script.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** The normalised username, or empty if it can never be a valid one. */
    public static Optional<String> normalise(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_RAW_LENGTH) {
            return Optional.empty();
        }
        String normalised = Normalizer.normalize(raw.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return ALLOWED.matcher(normalised).matches() ? Optional.of(normalised) : Optional.empty();
    }
}
