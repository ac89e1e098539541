package io.reel.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reel users}: the account subcommands. */
@Command(name = "users", synopsisSubcommandLabel = "COMMAND", description = "Manage accounts.",
        subcommands = {UsersAddCommand.class, UsersListCommand.class, UsersDisableCommand.class, UsersEnableCommand.class,
                UsersResetPasswordCommand.class})
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
}
