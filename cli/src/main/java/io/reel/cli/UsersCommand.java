package io.reel.cli;

import io.reel.core.domain.UserStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reel users}: the account subcommands. */
@Command(name = "users", synopsisSubcommandLabel = "COMMAND", description = "Manage accounts.",
        subcommands = {UsersAddCommand.class, UsersListCommand.class, UsersResetPasswordCommand.class})
final class UsersCommand implements Callable<Integer> {
    @ParentCommand
    private ReelCommand reel;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command");
    }

    ReelCommand reel() {
        return reel;
    }

    @Command(name = "disable", description = "Stop an account from signing in, and sign it out everywhere.")
    int disable(@Parameters(index = "0", paramLabel = "<username>") String username) {
        String name = setStatus(username, UserStatus.DISABLED);
        spec.commandLine().getOut().printf("Disabled %s: it cannot sign in, and its sessions are ended.%n", name);
        return 0;
    }

    @Command(name = "enable", description = "Let a disabled account sign in again.")
    int enable(@Parameters(index = "0", paramLabel = "<username>") String username) {
        spec.commandLine().getOut().printf("Enabled %s.%n", setStatus(username, UserStatus.ACTIVE));
        return 0;
    }

    private String setStatus(String username, UserStatus status) {
        try (Backend backend = reel.openBackend()) {
            return backend.users().setStatus(username, status).username();
        }
    }
}
