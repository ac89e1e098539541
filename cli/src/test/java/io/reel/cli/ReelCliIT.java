package io.reel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.core.aws.DynamoDbSessionStore;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.security.Argon2idPasswordHasher;
import io.reel.core.security.EnvelopeFieldCipher;
import io.reel.core.security.LocalDataKeys;
import io.reel.core.security.PasswordPolicy;
import io.reel.core.users.UserAdmin;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The reel CLI end to end against DynamoDB Local: what an operator types, sees and gets as an exit code. */
@ExtendWith(LocalAwsExtension.class)
class ReelCliIT {
    private static final String PASSWORD = "correct horse battery staple";
    private static final Argon2idPasswordHasher CHEAP_HASHER =
            new Argon2idPasswordHasher(new Argon2idPasswordHasher.Parameters(64, 1, 1));

    @TempDir
    private Path keys;

    private AwsTestResources aws;
    private Backend.Factory backends;
    private String username;

    @BeforeEach
    void setUp(AwsTestResources aws) {
        this.aws = aws;
        var cipher = new EnvelopeFieldCipher(LocalDataKeys.fromFile(keys.resolve("pii.key")), Duration.ofMinutes(5),
                Clock.systemUTC());
        var admin = new UserAdmin(new DynamoDbUserStore(aws.dynamoDb(), aws.table("UsersTable")),
                new DynamoDbSessionStore(aws.dynamoDb(), aws.table("SessionsTable")), CHEAP_HASHER, PasswordPolicy.create(),
                cipher, Clock.systemUTC());
        backends = (local, dataDirectory) -> () -> admin;
        username = "ana-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void add_withPasswordStdin_createsAnAccountThatListShowsWithoutHashOrEmail() {
        Result added = reel(PASSWORD + "\n", "users", "add", username, "--role", "uploader", "--role", "viewer",
                "--email", "ana@example.com", "--password-stdin");
        Result list = reel("", "users", "list");

        assertThat(added.exitCode()).isZero();
        assertThat(added.out()).startsWith("Created " + username + " (u-").contains("with roles viewer,uploader.");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out().lines().findFirst()).hasValueSatisfying(header ->
                assertThat(header).matches("USERNAME +ROLES +STATUS +CREATED +USER ID"));
        assertThat(lineOf(list, username)).matches(username + " +viewer,uploader +active +\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}Z +u-[0-9a-f-]{36}");
        assertThat(list.out()).doesNotContain("$argon2id", "ana@example.com", "v1.");
        assertThat(storedItem(username).get("encryptedEmail").s()).startsWith("v1.").doesNotContain("example");
    }

    @Test
    void add_whenPasswordTooShort_exitsTwoWithThePolicysSentence() {
        Result result = reel("abc123\n", "users", "add", username, "--role", "viewer", "--password-stdin");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("reel: Use at least 12 characters.\n");
        assertThat(reel("", "users", "list").out()).doesNotContain(username);
    }

    @ParameterizedTest
    @ValueSource(strings = {"o'brien", "ana\"x", "ana\u0007bell", "ana\u001b[31mred", "two\nlines"})
    void add_whenUsernameHasAQuoteOrControlCharacter_exitsTwo(String badName) {
        Result result = reel(PASSWORD + "\n", "users", "add", badName, "--role", "viewer", "--password-stdin");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("reel: A username is 3 to 64 letters, digits, '.', '_' or '-'.\n");
    }

    @Test
    void add_whenUsernameTaken_exitsOne() {
        reel(PASSWORD + "\n", "users", "add", username, "--role", "viewer", "--password-stdin");

        Result again = reel("another long password\n", "users", "add", username.toUpperCase(Locale.ROOT), "--role", "admin",
                "--password-stdin");

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("reel: A user named " + username + " already exists\n");
        assertThat(lineOf(reel("", "users", "list"), username)).contains(" viewer ").doesNotContain("admin");
    }

    @Test
    void disableThenEnable_changeTheStatusThatListShows() {
        reel(PASSWORD + "\n", "users", "add", username, "--role", "viewer", "--password-stdin");

        Result disabled = reel("", "users", "disable", username);
        String whileDisabled = lineOf(reel("", "users", "list"), username);
        Result enabled = reel("", "users", "enable", username);
        String afterEnabling = lineOf(reel("", "users", "list"), username);

        assertThat(disabled.exitCode()).isZero();
        assertThat(disabled.out()).startsWith("Disabled " + username);
        assertThat(whileDisabled).contains(" disabled ");
        assertThat(enabled.exitCode()).isZero();
        assertThat(enabled.out()).isEqualTo("Enabled " + username + ".\n");
        assertThat(afterEnabling).contains(" active ");
    }

    @Test
    void resetPassword_withPasswordStdin_replacesTheStoredHash() {
        reel(PASSWORD + "\n", "users", "add", username, "--role", "viewer", "--password-stdin");
        String before = storedItem(username).get("passwordHash").s();

        Result result = reel("a new and longer passphrase\n", "users", "reset-password", username, "--password-stdin");

        String after = storedItem(username).get("passwordHash").s();
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Set a new password for " + username);
        assertThat(after).isNotEqualTo(before);
        assertThat(CHEAP_HASHER.verify("a new and longer passphrase".toCharArray(), after)).isTrue();
        assertThat(CHEAP_HASHER.verify(PASSWORD.toCharArray(), after)).isFalse();
    }

    @Test
    void resetPassword_whenUserUnknown_exitsOneNamingIt() {
        Result reset = reel(PASSWORD + "\n", "users", "reset-password", "nobody-" + username, "--password-stdin");
        Result disable = reel("", "users", "disable", "nobody-" + username);

        assertThat(reset.exitCode()).isEqualTo(1);
        assertThat(reset.err()).isEqualTo("reel: No account named nobody-" + username + "\n");
        assertThat(disable.exitCode()).isEqualTo(1);
        assertThat(disable.err()).isEqualTo("reel: No account named nobody-" + username + "\n");
    }

    @Test
    void add_withoutTerminalOrPasswordStdin_exitsTwoWithTheHint() {
        Result result = reel(Terminal.none(), PASSWORD + "\n", "users", "add", username, "--role", "viewer");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("reel: There is no terminal").contains("--password-stdin").hasLineCount(1);
        assertThat(reel("", "users", "list").out()).doesNotContain(username);
    }

    @Test
    void add_onATerminal_asksTwiceAndZeroesWhatWasTyped() {
        FakeTerminal terminal = new FakeTerminal(PASSWORD, PASSWORD);

        Result result = reel(terminal, "", "users", "add", username, "--role", "admin");

        assertThat(result.exitCode()).isZero();
        assertThat(terminal.prompts).containsExactly("Password: ", "Repeat the password: ");
        assertThat(terminal.typed).hasSize(2).allSatisfy(typed -> assertThat(typed).containsOnly('\0'));
        assertThat(lineOf(reel("", "users", "list"), username)).contains(" admin ");
    }

    @Test
    void resetPassword_onATerminalWhenTheTwoDiffer_exitsTwoAndKeepsTheOldHash() {
        reel(PASSWORD + "\n", "users", "add", username, "--role", "viewer", "--password-stdin");
        String before = storedItem(username).get("passwordHash").s();
        FakeTerminal terminal = new FakeTerminal("a new and longer passphrase", "a new and longer passphrasf");

        Result result = reel(terminal, "", "users", "reset-password", username);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("reel: The two passwords typed differ; nothing was changed.\n");
        assertThat(storedItem(username).get("passwordHash").s()).isEqualTo(before);
    }

    @Test
    void local_whenDataDirectoryHasNoDevserver_exitsOneSayingHowToStartIt(@TempDir Path emptyData) {
        backends = Backends.standard();

        Result before = reel("", "--local", "--data", emptyData.toString(), "users", "list");
        Result after = reel("", "users", "list", "--local", "--data", emptyData.toString());

        assertThat(before.exitCode()).isEqualTo(1);
        assertThat(before.err()).isEqualTo("reel: No devserver is running with data in " + emptyData.toAbsolutePath()
                + " (no devserver.json): start it with ./run.sh\n");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void add_whenPasswordGivenAsAnArgument_refusesItWithoutEchoingIt() {
        Result result = reel("", "users", "add", username, "--role", "viewer", PASSWORD);
        Result asOption = reel("", "users", "add", username, "--role", "viewer", "--password", PASSWORD);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--password-stdin").doesNotContain(PASSWORD).hasLineCount(1);
        assertThat(asOption.exitCode()).isEqualTo(2);
        assertThat(asOption.err()).doesNotContain(PASSWORD);
        assertThat(reel("", "users", "list").out()).doesNotContain(username);
    }

    private Result reel(String stdin, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exitCode = ReelCli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), backends);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result reel(Terminal terminal, String stdin, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exitCode = ReelCli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), backends,
                terminal);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String lineOf(Result list, String username) {
        return list.out().lines().filter(line -> line.startsWith(username + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(username + " is not listed in:\n" + list.out()));
    }

    private Map<String, AttributeValue> storedItem(String username) {
        return aws.dynamoDb().getItem(r -> r.tableName(aws.table("UsersTable"))
                .key(Map.of("username", AttributeValue.fromS(username))).consistentRead(true)).item();
    }

    private record Result(int exitCode, String out, String err) {
    }

    /** A terminal on which the person types the given lines in turn; keeps what it handed out, to check it was zeroed. */
    private static final class FakeTerminal implements Terminal {
        private final List<String> lines;
        private final List<String> prompts = new ArrayList<>();
        private final List<char[]> typed = new ArrayList<>();

        FakeTerminal(String... lines) {
            this.lines = new ArrayList<>(List.of(lines));
        }

        @Override
        public boolean isPresent() {
            return true;
        }

        @Override
        public char[] readPassword(String prompt) {
            prompts.add(prompt);
            if (lines.isEmpty()) {
                return null;
            }
            char[] chars = lines.removeFirst().toCharArray();
            typed.add(chars);
            return chars;
        }
    }
}
