package io.reel.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code reel}: the global options, and what every subcommand shares (the backend to open, where passwords come from). */
@Command(name = "reel", subcommands = UsersCommand.class, synopsisSubcommandLabel = "COMMAND",
        description = "Operates a Reel platform: accounts in AWS, or in the local devserver with --local.")
final class ReelCommand implements Callable<Integer> {
    // Inherited, so they may be written anywhere: `reel --local users list` and `reel users list --local` alike.
    @Option(names = "--local", scope = ScopeType.INHERIT,
            description = "Work on the running devserver (./run.sh) instead of AWS.")
    private boolean local;

    @Option(names = "--data", scope = ScopeType.INHERIT, paramLabel = "DIR", defaultValue = ".reel-data",
            description = "The devserver's data folder (default: ${DEFAULT-VALUE}).")
    private Path dataDirectory;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    private final Backend.Factory backends;
    private final PasswordInput passwords;

    ReelCommand(Backend.Factory backends, PasswordInput passwords) {
        this.backends = backends;
        this.passwords = passwords;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command");
    }

    Backend openBackend() {
        return backends.open(local, dataDirectory);
    }

    PasswordInput passwords() {
        return passwords;
    }
}
