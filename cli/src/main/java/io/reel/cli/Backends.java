package io.reel.cli;

import io.reel.core.AwsClients;
import io.reel.core.ConfigurationException;
import io.reel.core.Env;
import io.reel.core.aws.DynamoDbSessionStore;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.local.LocalPlatformFile;
import io.reel.core.security.Argon2idPasswordHasher;
import io.reel.core.security.EnvelopeFieldCipher;
import io.reel.core.security.KmsDataKeys;
import io.reel.core.security.LocalDataKeys;
import io.reel.core.security.PasswordPolicy;
import io.reel.core.users.UserAdmin;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/** The real backends: the devserver's emulators and key file ({@code --local}), or AWS with KMS, from the environment. */
final class Backends {
    private static final Duration DATA_KEY_REUSE = Duration.ofMinutes(5);

    private Backends() {
    }

    static Backend.Factory standard() {
        return (local, dataDirectory) -> local ? local(dataDirectory) : aws(Env.system());
    }

    /** The devserver that keeps its data in {@code dataDirectory}, found through the devserver.json it writes at start. */
    static Backend local(Path dataDirectory) {
        LocalPlatformFile file = LocalPlatformFile.read(dataDirectory).orElseThrow(() -> new CommandFailedException(
                "No devserver is running with data in " + dataDirectory.toAbsolutePath().normalize() + " (no "
                        + LocalPlatformFile.FILE_NAME + "): start it with ./run.sh"));
        String usersTable = localTable(file, "UsersTable", dataDirectory);
        String sessionsTable = localTable(file, "SessionsTable", dataDirectory);
        Path piiKey = Path.of(file.keysDirectory()).resolve("pii.key");
        return open(file.env(), usersTable, sessionsTable, (clients, closers) -> LocalDataKeys.fromFile(piiKey));
    }

    /** AWS as the environment describes it; every variable is read before any client is made. */
    static Backend aws(Env env) {
        String usersTable = required(env, "USERS_TABLE", "the Users table's name (stack output UsersTableName)");
        String sessionsTable = required(env, "SESSIONS_TABLE", "the Sessions table's name (stack output SessionsTableName)");
        String piiKeyId = required(env, "PII_KEY_ID", "the id or ARN of the KMS key that encrypts personal data");
        required(env, "AWS_REGION", "the stack's region, such as eu-west-1");
        return open(env, usersTable, sessionsTable, (clients, closers) -> {
            KmsClient kms = clients.kms();
            closers.push(kms::close);
            return new KmsDataKeys(kms, piiKeyId);
        });
    }

    private static Backend open(Env env, String usersTable, String sessionsTable, DataKeysFactory dataKeys) {
        Deque<Runnable> closers = new ArrayDeque<>();
        try {
            AwsClients clients = AwsClients.create(env);
            closers.push(clients::close);
            DynamoDbClient dynamoDb = clients.dynamoDb();
            closers.push(dynamoDb::close);
            var cipher = new EnvelopeFieldCipher(dataKeys.open(clients, closers), DATA_KEY_REUSE, Clock.systemUTC());
            UserAdmin users = new UserAdmin(new DynamoDbUserStore(dynamoDb, usersTable),
                    new DynamoDbSessionStore(dynamoDb, sessionsTable), Argon2idPasswordHasher.create(), PasswordPolicy.create(),
                    cipher, Clock.systemUTC());
            return new Opened(users, List.copyOf(closers));
        } catch (RuntimeException e) {
            // Nothing else will close what was opened so far once the exception leaves here.
            closers.forEach(Runnable::run);
            throw e;
        }
    }

    private static String localTable(LocalPlatformFile file, String logicalId, Path dataDirectory) {
        String table = file.tables().get(logicalId);
        if (table == null || table.isBlank()) {
            throw new CommandFailedException("The devserver's " + LocalPlatformFile.FILE_NAME + " in "
                    + dataDirectory.toAbsolutePath().normalize() + " names no " + logicalId + ": restart it with ./run.sh");
        }
        return table;
    }

    private static String required(Env env, String name, String what) {
        return env.optional(name).orElseThrow(() -> new ConfigurationException("Environment variable " + name
                + " is missing or empty: set it to " + what + ", or use --local for the devserver."));
    }

    /** Where the PII cipher's data keys come from; a client it opens goes on {@code closers}. */
    @FunctionalInterface
    private interface DataKeysFactory {
        EnvelopeFieldCipher.DataKeySource open(AwsClients clients, Deque<Runnable> closers);
    }

    /** A backend whose clients this CLI made; {@code closers} runs newest first. */
    private record Opened(UserAdmin users, List<Runnable> closers) implements Backend {
        @Override
        public void close() {
            closers.forEach(Runnable::run);
        }
    }
}
