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

    /** The normalised username, or empty if it can never be a valid one. */
    public static Optional<String> normalise(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_RAW_LENGTH) {
            return Optional.empty();
        }
        String normalised = Normalizer.normalize(raw.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return ALLOWED.matcher(normalised).matches() ? Optional.of(normalised) : Optional.empty();
    }
}
