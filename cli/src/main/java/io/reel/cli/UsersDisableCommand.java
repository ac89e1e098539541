package io.reel.cli;

import io.reel.core.domain.UserStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reel users disable}: stops an account signing in and signs it out everywhere. */
@Command(name = "disable", description = "Stop an account from signing in, and sign it out everywhere.")
final class UsersDisableCommand implements Callable<Integer> {
    @ParentCommand
    private UsersCommand users;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<username>")
    private String username;

    @Override
    public Integer call() {
        try (Backend backend = users.reel().openBackend()) {
            var account = backend.users().setStatus(username, UserStatus.DISABLED);
            spec.commandLine().getOut().printf("Disabled %s: it cannot sign in, and its sessions are ended.%n", account.username());
        }
        return 0;
    }
}
