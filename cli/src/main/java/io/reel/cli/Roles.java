package io.reel.cli;

import io.reel.core.domain.Role;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Roles as an operator writes them: viewer, uploader, admin. */
final class Roles {
    private Roles() {
    }

    static String name(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    /** In the enum's order, so a list reads the same whatever order the roles were given in. */
    static String names(Collection<Role> roles) {
        return roles.stream().sorted().map(Roles::name).collect(Collectors.joining(","));
    }

    /** Parses {@code --role}. */
    static final class Converter implements ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            return Arrays.stream(Role.values()).filter(role -> name(role).equals(value.strip().toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .orElseThrow(() -> new TypeConversionException("'" + Messages.printable(value)
                            + "' is not a role: use viewer, uploader or admin"));
        }
    }
}
