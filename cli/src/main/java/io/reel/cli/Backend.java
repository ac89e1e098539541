package io.reel.cli;

import io.reel.core.users.UserAdmin;
import java.nio.file.Path;

/** What one command runs against: the account service, and whatever clients it holds until the command ends. */
@FunctionalInterface
public interface Backend extends AutoCloseable {
    UserAdmin users();

    /** Releases the clients behind {@link #users()}; nothing by default, for a backend the caller owns. */
    @Override
    default void close() {
    }

    /** Opens the backend the global options chose: the running devserver's with {@code --local}, AWS otherwise. */
    @FunctionalInterface
    interface Factory {
        Backend open(boolean local, Path dataDirectory);
    }
}
