package io.reel.cli;

import io.reel.core.domain.UserStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reel users enable}: lets a disabled account sign in again. */
@Command(name = "enable", description = "Let a disabled account sign in again.")
final class UsersEnableCommand implements Callable<Integer> {
    @ParentCommand
    private UsersCommand users;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<username>")
    private String username;

    @Override
    public Integer call() {
        try (Backend backend = users.reel().openBackend()) {
            var account = backend.users().setStatus(username, UserStatus.ACTIVE);
            spec.commandLine().getOut().printf("Enabled %s.%n", account.username());
        }
        return 0;
    }
}
