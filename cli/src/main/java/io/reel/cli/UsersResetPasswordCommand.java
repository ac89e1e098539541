package io.reel.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reel users reset-password}: sets a new password and signs the account out everywhere. */
@Command(name = "reset-password", description = {"Set a new password for an account, and sign it out everywhere.",
        "The password is asked for twice on the terminal, or read as one line of standard input with --password-stdin."})
final class UsersResetPasswordCommand implements Callable<Integer> {
    @ParentCommand
    private UsersCommand users;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<username>")
    private String username;

    @Option(names = "--password-stdin", description = "Read the password from standard input (for scripts).")
    private boolean passwordStdin;

    @Override
    public Integer call() {
        try (Backend backend = users.reel().openBackend()) {
            char[] password = users.reel().passwords().readNew(passwordStdin);
            try {
                backend.users().resetPassword(username, password);
            } finally {
                Arrays.fill(password, '\0');
            }
            spec.commandLine().getOut().printf("Set a new password for %s; its sessions are ended.%n",
                    Messages.printable(username.strip()));
        }
        return 0;
    }
}
