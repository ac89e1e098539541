package io.reel.core.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which new passwords to accept, after NIST SP 800-63B and OWASP: 12 to 128 characters, any characters, no
 * composition rules, no truncation, and none from a list of commonly used passwords.
 *
 * <p>Characters are Unicode code points counted after NFKC normalisation, the form the password is hashed in,
 * so an emoji counts as one and a password's length does not depend on the keyboard it was typed on.
 */
public final class PasswordPolicy {
    public static final int MIN_CODE_POINTS = 12;
    public static final int MAX_CODE_POINTS = 128;

    // Over this many UTF-16 chars the password cannot come back within the limit (a code point takes at most
    // two chars, and NFKC composing combining marks seldom folds more), so it is refused before the cost of
    // normalising it: a 10,000-character "password" is an attack on the server, not a choice of a person.
    private static final int MAX_RAW_CHARS = 4 * MAX_CODE_POINTS;
    private static final String RESOURCE = "common-passwords.txt";

    private static final String TOO_SHORT = "Use at least " + MIN_CODE_POINTS + " characters.";
    private static final String TOO_LONG = "Use at most " + MAX_CODE_POINTS + " characters.";
    private static final String TOO_COMMON = "This password is too common; choose another.";

    private final Set<String> commonPasswords;

    PasswordPolicy(Collection<String> commonPasswords) {
        this.commonPasswords = commonPasswords.stream()
                .map(PasswordPolicy::comparable)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The policy with the bundled common-password list (zxcvbn's, from Xato's corpus), read once per JVM. */
    public static PasswordPolicy create() {
        return new PasswordPolicy(BundledList.PASSWORDS);
    }

    /** Why {@code password} is not acceptable, as a sentence to show the person choosing it; empty when it is acceptable. */
    public Optional<String> problem(char[] password) {
        Objects.requireNonNull(password, "password");
        if (password.length > MAX_RAW_CHARS) {
            return Optional.of(TOO_LONG);
        }
        String normalised = Normalizer.normalize(CharBuffer.wrap(password), Normalizer.Form.NFKC);
        int length = normalised.codePointCount(0, normalised.length());
        if (length < MIN_CODE_POINTS) {
            return Optional.of(TOO_SHORT);
        }
        if (length > MAX_CODE_POINTS) {
            return Optional.of(TOO_LONG);
        }
        if (commonPasswords.contains(normalised.toLowerCase(Locale.ROOT))) {
            return Optional.of(TOO_COMMON);
        }
        return Optional.empty();
    }

    private static String comparable(String password) {
        return Normalizer.normalize(password, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /** Loaded on first use of {@link #create()}, so a JVM that never checks a password never reads the list. */
    private static final class BundledList {
        static final Set<String> PASSWORDS = load();

        private static Set<String> load() {
            try (InputStream in = PasswordPolicy.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("Classpath resource io/reel/core/security/" + RESOURCE
                            + " is missing: build reel-core with its resources (src/main/resources).");
                }
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    return reader.lines()
                            .map(String::strip)
                            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                            .collect(Collectors.toUnmodifiableSet());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read classpath resource io/reel/core/security/" + RESOURCE + ".", e);
            }
        }
    }
}
