package io.reel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.Env;
import io.reel.core.users.UserAdmin.InvalidRequestException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The command line itself, with no AWS behind it: usage errors, missing settings, how a password is read. */
class ReelCliTest {
    private final AtomicInteger backendsOpened = new AtomicInteger();
    private Backend.Factory backends = (local, dataDirectory) -> {
        backendsOpened.incrementAndGet();
        throw new AssertionError("a usage error must fail before connecting");
    };

    @Test
    void run_whenNoCommand_exitsTwoPointingAtHelp() {
        Result result = reel();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("reel: Missing a command (see 'reel --help')\n");
    }

    @Test
    void run_withHelp_listsTheUserCommandsAndExitsZero() {
        Result result = reel("users", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("add", "list", "disable", "enable", "reset-password", "--local", "--data");
        assertThat(backendsOpened).hasValue(0);
    }

    @Test
    void add_withoutRole_exitsTwoBeforeConnecting() {
        Result result = reel("users", "add", "ana", "--password-stdin");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("reel: Missing required option: '--role=ROLE'")
                .endsWith("(see 'reel users add --help')\n");
        assertThat(backendsOpened).hasValue(0);
    }

    @Test
    void add_withUnknownRole_exitsTwoNamingTheRoles() {
        Result result = reel("users", "add", "ana", "--role", "viewer,superuser");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'superuser' is not a role: use viewer, uploader or admin");
    }

    @Test
    void add_withUnknownOption_namesTheOptionButNotItsValue() {
        Result result = reel("users", "add", "ana", "--role", "viewer", "--password=hunter2hunter2");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("reel: Unknown option --password").doesNotContain("hunter2");
    }

    @Test
    void aws_whenAVariableIsMissing_exitsOneNamingIt() {
        backends = (local, dataDirectory) -> Backends.aws(Env.of(Map.of("USERS_TABLE", "Users-prod")));

        Result result = reel("users", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("reel: Environment variable SESSIONS_TABLE is missing or empty: set it to")
                .hasLineCount(1);
    }

    @Test
    void readNew_whenTheLineEndsInCrLf_dropsTheCarriageReturn() {
        char[] password = stdin("correct horse battery staple\r\nnext line\n").readNew(true);

        assertThat(new String(password)).isEqualTo("correct horse battery staple");
    }

    @Test
    void readNew_whenStandardInputIsEmpty_saysSo() {
        assertThatThrownBy(() -> stdin("").readNew(true))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("standard input is empty");
    }

    @Test
    void format_whenNoAccounts_saysHowToAddOne() {
        assertThat(AccountTable.format(List.of())).startsWith("No accounts yet: add one with reel users add");
    }

    private static PasswordInput stdin(String text) {
        return new PasswordInput(Terminal.none(), new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private Result reel(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exitCode = ReelCli.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), backends, Terminal.none());
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String out, String err) {
    }
}
