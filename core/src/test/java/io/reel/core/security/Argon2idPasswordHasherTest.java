package io.reel.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.security.Argon2idPasswordHasher.Parameters;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Argon2idPasswordHasherTest {

    private static final Parameters CHEAP = new Parameters(64, 1, 1);
    private static final Argon2idPasswordHasher HASHER = new Argon2idPasswordHasher(CHEAP);
    private static final String VALID_SALT = "c29tZXNhbHRzb21lc2FsdA";
    private static final String VALID_HASH = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    @Test
    void argon2id_whenGivenRfc9106Vector_producesItsTag() {
        byte[] password = filled(32, 0x01);
        byte[] salt = filled(16, 0x02);
        byte[] secret = filled(8, 0x03);
        byte[] associatedData = filled(12, 0x04);

        byte[] tag = Argon2idPasswordHasher.argon2id(password, salt, secret, associatedData, new Parameters(32, 3, 4), 32);

        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void hash_withDefaultParameters_writesOwaspPhcStringThatVerifies() {
        Argon2idPasswordHasher hasher = Argon2idPasswordHasher.create();

        String hash = hasher.hash("correct horse battery staple".toCharArray());

        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify("correct horse battery staple".toCharArray(), hash)).isTrue();
        assertThat(hasher.needsRehash(hash)).isFalse();
    }

    @Test
    void verify_whenSamePassword_isTrue() {
        String hash = HASHER.hash("tq8-vark-mez-lorn".toCharArray());

        assertThat(HASHER.verify("tq8-vark-mez-lorn".toCharArray(), hash)).isTrue();
        assertThat(HASHER.needsRehash(hash)).isFalse();
    }

    @Test
    void verify_whenWrongPassword_isFalse() {
        String hash = HASHER.hash("tq8-vark-mez-lorn".toCharArray());

        assertThat(HASHER.verify("tq8-vark-mez-lorN".toCharArray(), hash)).isFalse();
        assertThat(HASHER.verify(new char[0], hash)).isFalse();
    }

    @Test
    void verify_whenPasswordIsNull_isFalse() {
        assertThat(HASHER.verify(null, HASHER.hash("tq8-vark-mez-lorn".toCharArray()))).isFalse();
    }

    @Test
    void hash_whenCalledTwice_differsBySalt() {
        String first = HASHER.hash("tq8-vark-mez-lorn".toCharArray());
        String second = HASHER.hash("tq8-vark-mez-lorn".toCharArray());

        assertThat(first).isNotEqualTo(second);
        assertThat(first.split("\\$")[4]).isNotEqualTo(second.split("\\$")[4]);
        assertThat(HASHER.verify("tq8-vark-mez-lorn".toCharArray(), second)).isTrue();
    }

    @Test
    void verify_whenHashUsesOtherParameters_isTrueButNeedsRehash() {
        String cheap = HASHER.hash("tq8-vark-mez-lorn".toCharArray());
        Argon2idPasswordHasher owasp = Argon2idPasswordHasher.create();

        assertThat(owasp.verify("tq8-vark-mez-lorn".toCharArray(), cheap)).isTrue();
        assertThat(owasp.needsRehash(cheap)).isTrue();
    }

    @Test
    void needsRehash_whenHashIsStrongerThanOurs_isTrue() {
        Argon2idPasswordHasher stronger = new Argon2idPasswordHasher(new Parameters(128, 2, 2));

        String hash = stronger.hash("tq8-vark-mez-lorn".toCharArray());

        assertThat(HASHER.verify("tq8-vark-mez-lorn".toCharArray(), hash)).isTrue();
        assertThat(HASHER.needsRehash(hash)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2a", "2b", "2y"})
    void verify_whenBcryptHash_isTrueAndNeedsRehash(String version) {
        String bcrypt = OpenBSDBCrypt.generate(version, "tq8-vark-mez-lorn".toCharArray(), filled(16, 0x2a), 4);

        assertThat(bcrypt).startsWith("$" + version + "$04$");
        assertThat(HASHER.verify("tq8-vark-mez-lorn".toCharArray(), bcrypt)).isTrue();
        assertThat(HASHER.verify("tq8-vark-mez-lorN".toCharArray(), bcrypt)).isFalse();
        assertThat(HASHER.needsRehash(bcrypt)).isTrue();
    }

    @Test
    void verify_whenBcryptHashOfUnnormalisedPassword_isTrue() {
        String typed = Normalizer.normalize("pässwörd ünïcödé 🔒", Normalizer.Form.NFD);
        String bcrypt = OpenBSDBCrypt.generate("2b", typed.getBytes(StandardCharsets.UTF_8), filled(16, 0x2a), 4);

        assertThat(HASHER.verify(typed.toCharArray(), bcrypt)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("malformedHashes")
    void verify_whenHashIsMalformed_isFalseWithoutThrowing(String encodedHash) {
        assertThat(HASHER.verify("tq8-vark-mez-lorn".toCharArray(), encodedHash)).isFalse();
        assertThat(HASHER.needsRehash(encodedHash)).isTrue();
    }

    static Stream<String> malformedHashes() {
        return Stream.of(
                null,
                "",
                " ",
                "garbage",
                "$",
                "$$$$$",
                "tq8-vark-mez-lorn",
                "$argon2id$",
                "$argon2id$v=19$m=64,t=1,p=1$",
                "$argon2id$v=19$m=64,t=1,p=1$" + VALID_SALT,
                "$argon2id$v=19$m=64,t=1,p=1$" + VALID_SALT + "$",
                "$argon2id$v=16$m=64,t=1,p=1$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2id$m=64,t=1,p=1$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2id$v=19$t=1,m=64,p=1$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2id$v=19$m=064,t=1,p=1$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2id$v=19$m=-64,t=1,p=1$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2id$v=19$m=4,t=1,p=1$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2id$v=19$m=64,t=0,p=1$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2id$v=19$m=64,t=1,p=0$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2id$v=19$m=99999999,t=1,p=1$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2id$v=19$m=64,t=99999999,p=1$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2id$v=19$m=64,t=1,p=99999999$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2id$v=19$m=9999999999999,t=1,p=1$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2id$v=19$m=64,t=1,p=1,keyid=x$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2id$v=19$m=64,t=1,p=1$" + VALID_SALT + "==$" + VALID_HASH,
                "$argon2id$v=19$m=64,t=1,p=1$" + VALID_SALT + "$" + VALID_HASH + "=",
                "$argon2id$v=19$m=64,t=1,p=1$" + VALID_SALT.replace('c', '-') + "$" + VALID_HASH,
                "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + VALID_HASH,
                "$argon2id$v=19$m=64,t=1,p=1$" + VALID_SALT + "$AAAAAAAA",
                "$argon2id$v=19$m=64,t=1,p=1$" + VALID_SALT + "$" + VALID_HASH + "$",
                "$argon2id$v=19$m=64,t=1,p=1$" + VALID_SALT + "$" + "A".repeat(10_000),
                "$argon2i$v=19$m=64,t=1,p=1$" + VALID_SALT + "$" + VALID_HASH,
                "$argon2d$v=19$m=64,t=1,p=1$" + VALID_SALT + "$" + VALID_HASH,
                "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E",
                "$2b$",
                "$2b$04$abc",
                "$2x$04$......................SZFhVdUK5wGKY4lx/QrgUMHG0XsWjbi",
                "$2b$32$......................SZFhVdUK5wGKY4lx/QrgUMHG0XsWjbi",
                "$2b$31$......................SZFhVdUK5wGKY4lx/QrgUMHG0XsWjbi",
                "$2b$04$......................SZFhVdUK5wGKY4lx/QrgUMHG0XsWjb",
                "$2b$04$!!!!!!!!!!!!!!!!!!!!!!SZFhVdUK5wGKY4lx/QrgUMHG0XsWjbi",
                "$2b$04$" + "z".repeat(53));
    }

    @Test
    void verify_whenRealHashIsTruncatedAnywhere_isFalseWithoutThrowing() {
        String argon2 = HASHER.hash("tq8-vark-mez-lorn".toCharArray());
        String bcrypt = OpenBSDBCrypt.generate("2b", "tq8-vark-mez-lorn".toCharArray(), filled(16, 0x2a), 4);

        for (String hash : new String[] {argon2, bcrypt}) {
            IntStream.range(0, hash.length()).mapToObj(end -> hash.substring(0, end)).forEach(truncated -> {
                assertThat(HASHER.verify("tq8-vark-mez-lorn".toCharArray(), truncated)).as(truncated).isFalse();
                assertThat(HASHER.needsRehash(truncated)).as(truncated).isTrue();
            });
        }
    }

    @Test
    void verify_whenUnicodeTypedInNfcOrNfd_matchesBothWays() {
        char[] nfc = Normalizer.normalize("pässwörd ünïcödé 🔒", Normalizer.Form.NFC).toCharArray();
        char[] nfd = Normalizer.normalize("pässwörd ünïcödé 🔒", Normalizer.Form.NFD).toCharArray();
        assertThat(nfc).isNotEqualTo(nfd);

        String fromNfc = HASHER.hash(nfc);
        String fromNfd = HASHER.hash(nfd);

        assertThat(HASHER.verify(nfd, fromNfc)).isTrue();
        assertThat(HASHER.verify(nfc, fromNfd)).isTrue();
        assertThat(HASHER.verify("passwörd ünïcödé 🔒".toCharArray(), fromNfc)).isFalse();
    }

    @Test
    void verify_whenTypedInFullWidthForms_matchesHalfWidth() {
        String hash = HASHER.hash("Tq8VarkMez42".toCharArray());

        assertThat(HASHER.verify("Ｔｑ８ＶａｒｋＭｅｚ４２".toCharArray(), hash)).isTrue();
    }

    @Test
    void verify_whenPasswordIsLong_usesEveryCharacter() {
        char[] password = "x".repeat(500).toCharArray();
        String hash = HASHER.hash(password);
        char[] lastDiffers = Arrays.copyOf(password, password.length);
        lastDiffers[499] = 'y';

        assertThat(HASHER.verify(password, hash)).isTrue();
        assertThat(HASHER.verify(lastDiffers, hash)).isFalse();
    }

    @Test
    void dummyHash_whenVerified_matchesNothingButParses() {
        String dummy = HASHER.dummyHash();

        assertThat(dummy).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(HASHER.needsRehash(dummy)).isFalse();
        assertThat(HASHER.verify(new char[0], dummy)).isFalse();
        assertThat(HASHER.verify("tq8-vark-mez-lorn".toCharArray(), dummy)).isFalse();
        assertThat(HASHER.dummyHash()).isEqualTo(dummy);
    }

    @Test
    void theDefaultCostsDummyHash_isAConstantOfTheDefaultCost_thatMatchesNothing() {
        var hasher = Argon2idPasswordHasher.create();
        String dummy = hasher.dummyHash();

        assertThat(dummy).isEqualTo(Argon2idPasswordHasher.DEFAULT_DUMMY_HASH)
                .startsWith("$argon2id$v=19$m=" + Parameters.DEFAULT.memoryKiB() + ",t=" + Parameters.DEFAULT.iterations()
                        + ",p=" + Parameters.DEFAULT.parallelism() + "$");
        assertThat(hasher.needsRehash(dummy)).as("the cost a real hash has").isFalse();
        assertThat(hasher.verify("correct horse battery staple".toCharArray(), dummy)).isFalse();
    }

    @Test
    void constructor_whenParametersOutOfRange_throwsNamingThem() {
        assertThatThrownBy(() -> new Parameters(7, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memoryKiB=7");
        assertThatThrownBy(() -> new Parameters(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Parameters(64, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Parameters(Integer.MAX_VALUE, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parameters_default_isOwaspMinimum() {
        assertThat(Parameters.DEFAULT).isEqualTo(new Parameters(19_456, 2, 1));
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
