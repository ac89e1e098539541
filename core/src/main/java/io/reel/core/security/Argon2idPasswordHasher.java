package io.reel.core.security;

import io.reel.core.port.PasswordHasher;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes as PHC strings, at OWASP's minimum cost by default, that also verifies the bcrypt
 * hashes of migrated users (and asks for them to be re-hashed).
 *
 * <p>Passwords are turned into bytes as UTF-8 after Unicode NFKC normalisation, so that one password typed on
 * different keyboards, input methods or operating systems (composed "é" or "e" + combining accent, full-width
 * or half-width forms) gives the same bytes and matches. The byte arrays that hold a password are zeroed after
 * use; Java's {@link Normalizer} can only return a {@code String}, so when a password is not already in NFKC
 * its normalised form stays on the heap until collected.
 *
 * <p>Thread-safe: one instance can serve every request of a container.
 */
public final class Argon2idPasswordHasher implements PasswordHasher {

    /** Argon2id cost: memory in KiB, passes over that memory, and lanes. */
    public record Parameters(int memoryKiB, int iterations, int parallelism) {

        /** OWASP Password Storage Cheat Sheet's minimum for Argon2id: 19 MiB, 2 iterations, 1 lane. */
        public static final Parameters DEFAULT = new Parameters(19_456, 2, 1);

        public Parameters {
            if (!allowed(memoryKiB, iterations, parallelism)) {
                throw new IllegalArgumentException("Argon2 parameters out of range: got memoryKiB=" + memoryKiB
                        + ", iterations=" + iterations + ", parallelism=" + parallelism + "; expected parallelism 1 to "
                        + MAX_PARALLELISM + ", iterations 1 to " + MAX_ITERATIONS + ", memoryKiB from 8 × parallelism to "
                        + MAX_MEMORY_KIB + ".");
            }
        }

        private static boolean allowed(long memoryKiB, long iterations, long parallelism) {
            return parallelism >= 1 && parallelism <= MAX_PARALLELISM
                    && iterations >= 1 && iterations <= MAX_ITERATIONS
                    && memoryKiB >= 8 * parallelism && memoryKiB <= MAX_MEMORY_KIB;
        }
    }

    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    private static final int VERSION = Argon2Parameters.ARGON2_VERSION_13;

    // Bounds on what a stored hash may ask of verify(): a corrupted or planted hash must not make a login
    // allocate gigabytes or run until the function times out. Our own hashes sit far inside them.
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 16;
    private static final int MAX_BCRYPT_COST = 16;
    private static final int MAX_ENCODED_LENGTH = 256;
    // RFC 9106 allows tags down to 4 bytes, but a short tag is too easy to hit by guessing to count as proof.
    private static final int MIN_TAG_BYTES = 16;
    private static final int MAX_TAG_BYTES = 64;
    private static final int MIN_SALT_BYTES = 8;
    private static final int MAX_SALT_BYTES = 64;

    private static final String NUMBER = "([1-9][0-9]{0,7})";
    private static final Pattern PHC = Pattern.compile("\\$(argon2id|argon2i|argon2d)\\$v=" + NUMBER
            + "\\$m=" + NUMBER + ",t=" + NUMBER + ",p=" + NUMBER + "\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$([0-9]{2})\\$[./A-Za-z0-9]{53}");
    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

    private final Parameters parameters;
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash;

    public Argon2idPasswordHasher(Parameters parameters) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.dummyHash = parameters.equals(Parameters.DEFAULT) ? DEFAULT_DUMMY_HASH : hashOfRandomPassword();
    }

    /**
     * The dummy hash at the default cost: of 32 random bytes made once and thrown away (2026-12-03). Made at start, it
     * was one Argon2id run in every cold start (~0.15 s under Lambda's C1-only JIT); a constant serves as well, since it
     * only gives unknown users the same verification cost, and an unknown user is refused whatever it verifies.
     */
    static final String DEFAULT_DUMMY_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$P5TzJ4aEw2CKwGEIc+sTtw$H3Dt5KX4E8i37FCBcqEZV+iI0VJrerWAFmxczG7JUL8";

    /** A hasher at OWASP's minimum cost ({@link Parameters#DEFAULT}). */
    public static Argon2idPasswordHasher create() {
        return new Argon2idPasswordHasher(Parameters.DEFAULT);
    }

    /** Hashes {@code password} with a fresh 16-byte salt, as {@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}. */
    @Override
    public String hash(char[] password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, parameters, HASH_BYTES);
        return "$argon2id$v=19$m=" + parameters.memoryKiB() + ",t=" + parameters.iterations()
                + ",p=" + parameters.parallelism() + "$" + BASE64.encodeToString(salt) + "$" + BASE64.encodeToString(hash);
    }

    /**
     * True when {@code password} matches: an Argon2id PHC string is recomputed with the parameters it names, a
     * bcrypt hash ({@code $2a$}, {@code $2b$}, {@code $2y$}) is checked as such. A null password and a malformed,
     * truncated or unknown hash give false, never an exception.
     */
    @Override
    public boolean verify(char[] password, String encodedHash) {
        if (password == null || encodedHash == null || encodedHash.length() > MAX_ENCODED_LENGTH) {
            return false;
        }
        if (encodedHash.startsWith("$2")) {
            return verifyBcrypt(password, encodedHash);
        }
        return parse(encodedHash)
                .filter(stored -> stored.variant().equals("argon2id") && stored.version() == VERSION)
                .map(stored -> MessageDigest.isEqual(
                        stored.hash(), derive(password, stored.salt(), stored.parameters(), stored.hash().length)))
                .orElse(false);
    }

    /**
     * True unless the hash is Argon2id, version 19, with exactly this hasher's parameters, salt and hash lengths:
     * bcrypt, argon2i/argon2d, other parameters (weaker or not) and anything unparseable all ask for a re-hash.
     */
    @Override
    public boolean needsRehash(String encodedHash) {
        if (encodedHash == null || encodedHash.length() > MAX_ENCODED_LENGTH) {
            return true;
        }
        return parse(encodedHash)
                .map(stored -> !(stored.variant().equals("argon2id")
                        && stored.version() == VERSION
                        && stored.parameters().equals(parameters)
                        && stored.salt().length == SALT_BYTES
                        && stored.hash().length == HASH_BYTES))
                .orElse(true);
    }

    /**
     * The hash of a random password nobody knows, at this hasher's cost (made at construction, or {@link
     * #DEFAULT_DUMMY_HASH} at the default cost). Verifying an unknown user's login against it costs what verifying a
     * real user's does, so response times do not tell which accounts exist.
     */
    public String dummyHash() {
        return dummyHash;
    }

    /** Raw Argon2id (version 0x13) through Bouncy Castle, as {@link #hash} uses it; secret and associated data may be null. */
    static byte[] argon2id(byte[] password, byte[] salt, byte[] secret, byte[] associatedData,
                           Parameters parameters, int tagBytes) {
        Argon2Parameters.Builder builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(VERSION)
                .withMemoryAsKB(parameters.memoryKiB())
                .withIterations(parameters.iterations())
                .withParallelism(parameters.parallelism())
                .withSalt(salt);
        if (secret != null) {
            builder.withSecret(secret);
        }
        if (associatedData != null) {
            builder.withAdditional(associatedData);
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(builder.build());
        byte[] tag = new byte[tagBytes];
        generator.generateBytes(password, tag);
        return tag;
    }

    private static byte[] derive(char[] password, byte[] salt, Parameters parameters, int tagBytes) {
        byte[] bytes = normalisedUtf8(password);
        try {
            return argon2id(bytes, salt, null, null, parameters, tagBytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static boolean verifyBcrypt(char[] password, String encodedHash) {
        Matcher matcher = BCRYPT.matcher(encodedHash);
        if (!matcher.matches()) {
            return false;
        }
        int cost = Integer.parseInt(matcher.group(1));
        if (cost < 4 || cost > MAX_BCRYPT_COST) {
            return false;
        }
        byte[] normalised = normalisedUtf8(password);
        byte[] raw = utf8(CharBuffer.wrap(password));
        try {
            if (OpenBSDBCrypt.checkPassword(encodedHash, normalised)) {
                return true;
            }
            // The system these hashes come from did not normalise: a user who types a decomposed or
            // full-width password must still get in once, after which the Argon2id re-hash normalises it.
            return !Arrays.equals(normalised, raw) && OpenBSDBCrypt.checkPassword(encodedHash, raw);
        } catch (IllegalArgumentException | DataLengthException e) {
            // The pattern above rules out every malformed string we know Bouncy Castle rejects; this is the backstop.
            return false;
        } finally {
            Arrays.fill(normalised, (byte) 0);
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static Optional<StoredArgon2> parse(String encodedHash) {
        Matcher matcher = PHC.matcher(encodedHash);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int version = Integer.parseInt(matcher.group(2));
        int memoryKiB = Integer.parseInt(matcher.group(3));
        int iterations = Integer.parseInt(matcher.group(4));
        int parallelism = Integer.parseInt(matcher.group(5));
        if (!Parameters.allowed(memoryKiB, iterations, parallelism)) {
            return Optional.empty();
        }
        return decode(matcher.group(6), MIN_SALT_BYTES, MAX_SALT_BYTES)
                .flatMap(salt -> decode(matcher.group(7), MIN_TAG_BYTES, MAX_TAG_BYTES)
                        .map(hash -> new StoredArgon2(matcher.group(1), version,
                                new Parameters(memoryKiB, iterations, parallelism), salt, hash)));
    }

    /** Unpadded standard base64, in its one canonical spelling (Java's decoder would also take padding and stray low bits). */
    private static Optional<byte[]> decode(String text, int minBytes, int maxBytes) {
        if (text.length() > 4 * maxBytes / 3 + 1) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        boolean canonical = BASE64.encodeToString(bytes).equals(text);
        return canonical && bytes.length >= minBytes && bytes.length <= maxBytes ? Optional.of(bytes) : Optional.empty();
    }

    private static byte[] normalisedUtf8(char[] password) {
        CharBuffer chars = CharBuffer.wrap(password);
        // Most passwords are already NFKC; checking first avoids a String copy of the password we could not clear.
        return Normalizer.isNormalized(chars, Normalizer.Form.NFKC)
                ? utf8(chars)
                : utf8(Normalizer.normalize(chars, Normalizer.Form.NFKC));
    }

    /** UTF-8 bytes of {@code text}; an unpaired surrogate becomes '?', as {@link String#getBytes} would make it. */
    private static byte[] utf8(CharSequence text) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(text));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }

    private String hashOfRandomPassword() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return hash(Base64.getEncoder().encodeToString(secret).toCharArray());
    }

    private record StoredArgon2(String variant, int version, Parameters parameters, byte[] salt, byte[] hash) {
    }
}
