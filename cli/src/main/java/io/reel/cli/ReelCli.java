package io.reel.cli;

import io.reel.core.ConfigurationException;
import io.reel.core.port.AlreadyExistsException;
import io.reel.core.users.UserAdmin.InvalidRequestException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The {@code reel} operator command. Exit codes: 0 done, 1 failed (unknown user, taken name, no devserver, missing
 * setting, AWS error), 2 the command line or its input is wrong (usage, username rule, password policy).
 */
public final class ReelCli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private ReelCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err, Backends.standard()));
    }

    /** Runs one command line with the process's terminal, if it has one, for typing passwords. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Backend.Factory backends) {
        return run(args, in, out, err, backends, Terminal.system());
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Backend.Factory backends,
                   Terminal terminal) {
        PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        CommandLine commandLine = new CommandLine(new ReelCommand(backends, new PasswordInput(terminal, in)))
                // "@file" would read arguments from a file: surprising for a username, and not needed here.
                .setExpandAtFiles(false)
                .setOut(outWriter)
                .setErr(errWriter)
                .setParameterExceptionHandler((e, arguments) -> usageError(e, errWriter))
                .setExecutionExceptionHandler((e, command, parseResult) -> failure(e, errWriter));
        try {
            return commandLine.execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    private static int usageError(ParameterException e, PrintWriter err) {
        String help = "'" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'";
        err.println("reel: " + describe(e) + " (see " + help + ")");
        return USAGE;
    }

    /** The parser's message, except that a stray argument is not echoed: it may well be a password typed in the wrong place. */
    private static String describe(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched) {
            var options = unmatched.getUnmatched().stream().filter(arg -> arg.startsWith("-"))
                    .map(arg -> arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg)
                    .map(Messages::printable).toList();
            if (options.size() == unmatched.getUnmatched().size()) {
                return "Unknown option " + String.join(", ", options);
            }
            return "Unexpected argument (not shown): a password is never given as an argument; "
                    + "type it when asked, or pass it on standard input with --password-stdin";
        }
        return Messages.printable(e.getMessage());
    }

    private static int failure(Exception e, PrintWriter err) {
        String message = switch (e) {
            case SdkException aws -> "AWS refused or could not be reached: " + aws.getMessage();
            case InvalidRequestException invalid -> invalid.getMessage();
            case AlreadyExistsException taken -> taken.getMessage();
            case NoSuchElementException unknown -> unknown.getMessage();
            case CommandFailedException failed -> failed.getMessage();
            case ConfigurationException configuration -> configuration.getMessage();
            case UncheckedIOException io -> io.getMessage();
            default -> "unexpected error: " + e;
        };
        err.println("reel: " + Messages.printable(message));
        return e instanceof InvalidRequestException ? USAGE : FAILED;
    }
}
