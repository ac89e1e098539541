package io.reel.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reel users list}: every account as a table, never a hash or an email. */
@Command(name = "list", description = "List every account: username, roles, status, creation time and user id.")
final class UsersListCommand implements Callable<Integer> {
    @ParentCommand
    private UsersCommand users;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        try (Backend backend = users.reel().openBackend()) {
            spec.commandLine().getOut().print(AccountTable.format(backend.users().list()));
        }
        return 0;
    }
}
