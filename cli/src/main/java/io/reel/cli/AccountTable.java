package io.reel.cli;

import io.reel.core.users.UserAdmin.Account;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The {@code users list} table: USERNAME, ROLES, STATUS, CREATED, USER ID, in columns padded to fit. */
final class AccountTable {
    private static final List<String> HEADER = List.of("USERNAME", "ROLES", "STATUS", "CREATED", "USER ID");

    private AccountTable() {
    }

    /** The table, one line per account; a sentence instead when there is none. */
    static String format(List<Account> accounts) {
        if (accounts.isEmpty()) {
            return "No accounts yet: add one with reel users add <username> --role admin" + System.lineSeparator();
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        accounts.forEach(account -> rows.add(List.of(Messages.printable(account.username()), Roles.names(account.roles()),
                account.status().name().toLowerCase(Locale.ROOT), created(account.createdAt()),
                Messages.printable(account.userId()))));
        int[] widths = new int[HEADER.size()];
        rows.forEach(row -> {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).codePointCount(0, row.get(i).length()));
            }
        });
        StringBuilder table = new StringBuilder();
        rows.forEach(row -> {
            for (int i = 0; i < widths.length; i++) {
                String cell = row.get(i);
                table.append(cell);
                if (i < widths.length - 1) {
                    table.append(" ".repeat(widths[i] - cell.codePointCount(0, cell.length()) + 2));
                }
            }
            table.append(System.lineSeparator());
        });
        return table.toString();
    }

    /** To the second: the fraction is noise to an operator and makes the column ragged. */
    private static String created(String createdAt) {
        try {
            return Instant.parse(createdAt).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return Messages.printable(createdAt);
        }
    }
}
