package io.reel.media;

import io.reel.core.ConfigurationException;
import io.reel.core.security.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Function;

/**
 * The media function's secrets, each read once at start (SnapStart then keeps them in the encrypted snapshot): the
 * playback-token key and, with CloudFront, the private key URLs are signed with. In AWS they are Secrets Manager
 * secrets named by ARN; on the local platform the playback-token key is a file the first start writes.
 */
final class StartupSecrets {
    static final String LOCAL_PLAYBACK_KEY_FILE = "playback-token.key";

    private final Function<String, String> secretValue;

    /** @param secretValue a secret's string value by ARN (Secrets Manager's GetSecretValue in production) */
    StartupSecrets(Function<String, String> secretValue) {
        this.secretValue = secretValue;
    }

    /** The key of {@link PlaybackTokens}: the local key file if there is a local keys folder, else the secret. */
    byte[] playbackTokenKey(java.util.Optional<Path> localKeysDir, java.util.Optional<String> secretArn) {
        if (localKeysDir.isPresent()) {
            Path file = localKeysDir.get().resolve(LOCAL_PLAYBACK_KEY_FILE);
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            SecretFiles.createIfAbsent(file, Base64.getEncoder().encode(fresh));
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the playback-token key " + file, e);
            }
        }
        String arn = secretArn.orElseThrow(() -> new ConfigurationException(
                "Environment variable PLAYBACK_TOKEN_SECRET_ARN is missing or empty (or set REEL_LOCAL_KEYS_DIR locally)"));
        byte[] key = read(arn, "PLAYBACK_TOKEN_SECRET_ARN").getBytes(StandardCharsets.UTF_8);
        if (key.length < PlaybackTokens.MIN_KEY_BYTES) {
            throw new ConfigurationException("The secret named by PLAYBACK_TOKEN_SECRET_ARN has " + key.length
                    + " bytes; a playback-token key needs at least " + PlaybackTokens.MIN_KEY_BYTES);
        }
        return key;
    }

    /** The PEM of CloudFront's signing key. */
    String cloudFrontPrivateKey(String arn) {
        return read(arn, "CLOUDFRONT_PRIVATE_KEY_SECRET_ARN");
    }

    private String read(String arn, String variable) {
        String value;
        try {
            value = secretValue.apply(arn);
        } catch (RuntimeException e) {
            throw new ConfigurationException("Cannot read the secret named by " + variable + " (" + arn + "): "
                    + e.getClass().getSimpleName(), e);
        }
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("The secret named by " + variable + " (" + arn + ") has no string value");
        }
        return value;
    }
}
