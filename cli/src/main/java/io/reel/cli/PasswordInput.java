package io.reel.cli;

import io.reel.core.users.UserAdmin.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a new password comes from: typed twice on the terminal without echo, or one line of standard input
 * ({@code --password-stdin}). Never from an argument, which other users of the machine see in the process list
 * and which shells keep in their history. The password stays a char[] that the caller zeroes after use.
 */
final class PasswordInput {
    // Far above any password the policy accepts; only bounds what a runaway pipe can make us hold.
    private static final int MAX_LINE_CHARS = 4096;

    private final Terminal terminal;
    private final InputStream stdin;

    PasswordInput(Terminal terminal, InputStream stdin) {
        this.terminal = terminal;
        this.stdin = stdin;
    }

    /** A new password; the caller zeroes it. Throws {@link InvalidRequestException} when none can be had. */
    char[] readNew(boolean fromStdin) {
        if (fromStdin) {
            return readLine();
        }
        if (!terminal.isPresent()) {
            throw new InvalidRequestException("There is no terminal to type the password on: "
                    + "pass it as one line of standard input with --password-stdin.");
        }
        char[] first = terminal.readPassword("Password: ");
        if (first == null) {
            throw new InvalidRequestException("No password was typed; nothing was changed.");
        }
        char[] second = terminal.readPassword("Repeat the password: ");
        try {
            if (second == null || !Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw new InvalidRequestException("The two passwords typed differ; nothing was changed.");
            }
            return first;
        } finally {
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    private char[] readLine() {
        // Not a BufferedReader: readLine() would make the password an immutable String that cannot be zeroed.
        Reader reader = new InputStreamReader(stdin, StandardCharsets.UTF_8);
        char[] buffer = new char[MAX_LINE_CHARS];
        int length = 0;
        try {
            int c = reader.read();
            if (c == -1) {
                throw new InvalidRequestException("--password-stdin was given but standard input is empty: "
                        + "pass the password as one line.");
            }
            while (c != -1 && c != '\n') {
                if (length == buffer.length) {
                    throw new InvalidRequestException("The line on standard input is too long to be a password.");
                }
                buffer[length++] = (char) c;
                c = reader.read();
            }
            if (length > 0 && buffer[length - 1] == '\r') {
                length--;
            }
            return Arrays.copyOf(buffer, length);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the password from standard input", e);
        } finally {
            Arrays.fill(buffer, '\0');
        }
    }
}
