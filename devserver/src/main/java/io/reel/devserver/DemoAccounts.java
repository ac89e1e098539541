package io.reel.devserver;

import io.reel.core.Json;
import io.reel.core.aws.DynamoDbSessionStore;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.domain.Role;
import io.reel.core.port.AlreadyExistsException;
import io.reel.core.security.Argon2idPasswordHasher;
import io.reel.core.security.EnvelopeFieldCipher;
import io.reel.core.security.LocalDataKeys;
import io.reel.core.security.PasswordPolicy;
import io.reel.core.security.SecretFiles;
import io.reel.core.users.UserAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The demo accounts a newcomer signs in with: a viewer and an admin with random passwords, made on the first start
 * and kept (owner-readable only) in {@code demo-credentials.json} beside the data, so every start prints the same.
 */
final class DemoAccounts {
    static final String FILE_NAME = "demo-credentials.json";
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    /** One demo sign-in. */
    record Credential(String username, String password, String role) {
    }

    /** What the devserver prints. */
    record Credentials(List<Credential> accounts) {
    }

    private DemoAccounts() {
    }

    static Credentials ensure(Path dataDirectory, Path keysDirectory, DynamoDbClient dynamoDb, String usersTable, String sessionsTable) {
        Path file = dataDirectory.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            try {
                return Json.read(Files.readString(file), Credentials.class);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
        var users = new DynamoDbUserStore(dynamoDb, usersTable);
        var admin = new UserAdmin(users, new DynamoDbSessionStore(dynamoDb, sessionsTable), Argon2idPasswordHasher.create(),
                PasswordPolicy.create(), new EnvelopeFieldCipher(LocalDataKeys.fromFile(keysDirectory.resolve("pii.key")),
                Duration.ofMinutes(5), Clock.systemUTC()), Clock.systemUTC());
        Credentials credentials = new Credentials(List.of(
                make(admin, "viewer", Role.VIEWER), make(admin, "uploader", Role.UPLOADER), make(admin, "admin", Role.ADMIN)));
        SecretFiles.createIfAbsent(file, Json.write(credentials).getBytes(StandardCharsets.UTF_8));
        return credentials;
    }

    private static Credential make(UserAdmin admin, String username, Role role) {
        char[] password = randomPassword();
        try {
            admin.create(username, password, Set.of(role), username + "@reel.local");
        } catch (AlreadyExistsException exists) {
            admin.resetPassword(username, password); // the file was deleted: give the account a password we can print
        }
        return new Credential(username, new String(password), role.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** 16 characters from an unambiguous alphabet, in groups of four: about 80 bits. */
    private static char[] randomPassword() {
        SecureRandom random = new SecureRandom();
        char[] password = new char[19];
        for (int i = 0; i < password.length; i++) {
            password[i] = (i + 1) % 5 == 0 ? '-' : ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return password;
    }
}
