package io.reel.cli;

import io.reel.core.domain.Role;
import io.reel.core.users.UserAdmin.Account;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reel users add}: creates an account. */
@Command(name = "add", description = {"Create an account.",
        "The password is asked for twice on the terminal, or read as one line of standard input with --password-stdin."})
final class UsersAddCommand implements Callable<Integer> {
    @ParentCommand
    private UsersCommand users;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<username>", description = "3 to 64 letters, digits, '.', '_' or '-'.")
    private String username;

    @Option(names = "--role", required = true, split = ",", paramLabel = "ROLE", converter = Roles.Converter.class,
            description = "viewer, uploader or admin; repeat the option (or separate with commas) for several.")
    private List<Role> roles;

    @Option(names = "--email", paramLabel = "E", description = "The account's email, stored encrypted.")
    private String email;

    @Option(names = "--password-stdin", description = "Read the password from standard input (for scripts).")
    private boolean passwordStdin;

    @Override
    public Integer call() {
        // Connect first, so a missing devserver or AWS setting fails before anyone types a password.
        try (Backend backend = users.reel().openBackend()) {
            char[] password = users.reel().passwords().readNew(passwordStdin);
            Account account;
            try {
                account = backend.users().create(username, password, EnumSet.copyOf(roles), email);
            } finally {
                Arrays.fill(password, '\0');
            }
            spec.commandLine().getOut().printf("Created %s (%s) with roles %s.%n", account.username(), account.userId(),
                    Roles.names(account.roles()));
        }
        return 0;
    }
}
