package io.reel.core.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The public keys access tokens may be signed with, by {@code kid} (the key's thumbprint): the current signing
 * key and the retired ones still inside their grace period. One source for the JWKS route and the authorizer.
 * Locally the key files under {@code REEL_LOCAL_KEYS_DIR} ({@code signing-key.pem}, {@code retired-*.pem}); in AWS
 * the KMS keys {@code SIGNING_KEY_ID} and {@code RETIRED_SIGNING_KEY_IDS} (comma-separated), each read once.
 */
public final class VerificationKeys {
    private VerificationKeys() {
    }

    /** The retired keys in a local key folder, oldest name first. */
    public static Map<String, RSAPublicKey> localRetired(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return byKeyId(files.filter(f -> f.getFileName().toString().matches("retired-.*\\.pem")).sorted()
                    .map(f -> (RSAPublicKey) RsaKeys.read(f).getPublic()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the local keys in " + dir, e);
        }
    }

    /** The current local signing key (created if absent, as the signer would) and the retired ones. */
    public static Map<String, RSAPublicKey> local(Path dir) {
        Map<String, RSAPublicKey> keys = new LinkedHashMap<>(byKeyId(Stream.of(
                (RSAPublicKey) RsaKeys.loadOrCreate(dir.resolve("signing-key.pem")).getPublic())));
        keys.putAll(localRetired(dir));
        return Map.copyOf(keys);
    }

    /**
     * KMS keys by id, each public key (DER) fetched with {@code publicKeyDer} (a KMS {@code GetPublicKey} call).
     * {@code keyIds} is a comma-separated list; blanks are skipped.
     */
    public static Map<String, RSAPublicKey> kms(Function<String, byte[]> publicKeyDer, String keyIds) {
        return byKeyId(Arrays.stream(keyIds.split(",")).map(String::strip).filter(id -> !id.isEmpty())
                .map(id -> RsaKeys.publicKeyFromDer(publicKeyDer.apply(id))));
    }

    private static Map<String, RSAPublicKey> byKeyId(Stream<RSAPublicKey> keys) {
        Map<String, RSAPublicKey> byId = new LinkedHashMap<>();
        keys.forEach(key -> byId.put(RsaKeys.keyId(key), key));
        return byId;
    }
}
