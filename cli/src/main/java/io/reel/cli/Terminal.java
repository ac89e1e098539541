package io.reel.cli;

import java.io.Console;

/** The terminal a person types a password on without echo; absent when the CLI runs in a pipe or a script. */
interface Terminal {
    boolean isPresent();

    /** What the person typed, or null at the end of input (Ctrl-D). */
    char[] readPassword(String prompt);

    /** This process's terminal, from {@link System#console()}. */
    static Terminal system() {
        Console console = System.console();
        return console == null ? none() : new Terminal() {
            @Override
            public boolean isPresent() {
                return true;
            }

            @Override
            public char[] readPassword(String prompt) {
                return console.readPassword("%s", prompt);
            }
        };
    }

    static Terminal none() {
        return new Terminal() {
            @Override
            public boolean isPresent() {
                return false;
            }

            @Override
            public char[] readPassword(String prompt) {
                throw new IllegalStateException("no terminal");
            }
        };
    }
}
