package io.reel.localaws.junit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a function writes to standard output as its own while something runs: its JSON lines (logs, EMF metrics). The
 * handler is made with standard output already captured, since its metrics keep the stream they were made with; what it
 * writes while being made is left out, and so is what the emulators in the same JVM log in their own format.
 */
public final class FunctionOutput {
    private FunctionOutput() {
    }

    /** The value made, and the JSON lines written while {@code action} ran on it. */
    public record Captured<T>(T value, List<String> jsonLines) {
    }

    public static <T> Captured<T> during(Supplier<T> make, Consumer<T> action) {
        PrintStream original = System.out;
        var captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        T value;
        int made;
        try {
            value = make.get();
            made = captured.size();
            action.accept(value);
        } finally {
            System.setOut(original);
        }
        String output = new String(captured.toByteArray(), made, captured.size() - made, StandardCharsets.UTF_8);
        return new Captured<>(value, output.lines().filter(line -> line.startsWith("{")).toList());
    }
}
