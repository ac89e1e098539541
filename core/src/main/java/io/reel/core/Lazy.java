package io.reel.core;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value made on first use and kept: for what a function needs on some routes only (an S3 client a catalogue read
 * never touches), so its cold start does not pay for building it. Thread-safe; {@code make} runs at most once unless it
 * throws, and then runs again on the next {@link #get()}.
 */
public final class Lazy<T> implements Supplier<T> {
    private final Supplier<? extends T> make;
    private volatile T value;

    private Lazy(Supplier<? extends T> make) {
        this.make = Objects.requireNonNull(make, "make");
    }

    public static <T> Lazy<T> of(Supplier<? extends T> make) {
        return new Lazy<>(make);
    }

    @Override
    public T get() {
        T current = value;
        if (current == null) {
            synchronized (this) {
                current = value;
                if (current == null) {
                    current = Objects.requireNonNull(make.get(), "a Lazy's value may not be null");
                    value = current;
                }
            }
        }
        return current;
    }

    /** Whether the value has been made yet. */
    public boolean isMade() {
        return value != null;
    }
}
