package io.reel.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.lifecycle.PropertyExecutionResult;

/**
 * The figures of one fuzz target's run: how many times the code under test was executed (every try, shrinking's
 * included), how many distinct inputs those were ({@link InputDigest}), the hangs, and what the property reported as
 * outcomes ({@link #outcome}: status codes, refusal reasons), written as {@code <report dir>/<target>.json} and one
 * line on standard output. The report folder is {@value #REPORT_PROPERTY} (the build sets {@code target/fuzz}).
 */
public final class FuzzStats {
    public static final String REPORT_PROPERTY = "reel.fuzz.report";
    private static final AtomicReference<FuzzStats> CURRENT = new AtomicReference<>();

    private final String target;
    private final String property;
    private final AtomicLong executions = new AtomicLong();
    private final Set<InputDigest> distinct = ConcurrentHashMap.newKeySet();
    private final AtomicInteger hangs = new AtomicInteger();
    private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();

    FuzzStats(String target, String property) {
        this.target = target;
        this.property = property;
        CURRENT.set(this);
    }

    /**
     * Counts an outcome of the current try under {@code label} ({@code "status 404"}, {@code "refused: EMPTY_FILE"}),
     * so the report shows what the inputs reached. Does nothing outside a fuzz target.
     */
    public static void outcome(String label) {
        FuzzStats stats = CURRENT.get();
        if (stats != null) {
            label = label.length() > 120 ? label.substring(0, 120) + "…" : label;
            stats.outcomes.computeIfAbsent(label, k -> new AtomicLong()).incrementAndGet();
        }
    }

    void executed(List<Object> parameters) {
        executions.incrementAndGet();
        distinct.add(InputDigest.of(parameters));
    }

    /** The slowest tries so far, slowest first: how long, and what the input was (abbreviated). */
    private final java.util.List<Map.Entry<Long, String>> slowest = new java.util.ArrayList<>();

    synchronized void took(List<Object> parameters, long nanos) {
        if (slowest.size() < 5 || nanos > slowest.get(slowest.size() - 1).getKey()) {
            String input = String.valueOf(parameters);
            slowest.add(Map.entry(nanos, input.length() > 240 ? input.substring(0, 240) + "…" : input));
            slowest.sort(Map.Entry.<Long, String>comparingByKey().reversed());
            if (slowest.size() > 5) {
                slowest.remove(5);
            }
        }
    }

    void hung() {
        hangs.incrementAndGet();
    }

    long executions() {
        return executions.get();
    }

    int distinctInputs() {
        return distinct.size();
    }

    void finish(int triesSetting, PropertyExecutionResult result, Duration took) {
        CURRENT.compareAndSet(this, null);
        String seed = result.seed().orElse("");
        Map<String, Long> counted = new TreeMap<>();
        outcomes.forEach((k, v) -> counted.put(k, v.get()));
        StringBuilder json = new StringBuilder(256);
        json.append("{\"target\":").append(quote(target))
                .append(",\"property\":").append(quote(property))
                .append(",\"status\":").append(quote(result.status().name()))
                .append(",\"triesSetting\":").append(triesSetting)
                .append(",\"tries\":").append(result.countTries())
                .append(",\"checks\":").append(result.countChecks())
                .append(",\"executions\":").append(executions.get())
                .append(",\"distinctInputs\":").append(distinct.size())
                .append(",\"hangs\":").append(hangs.get())
                .append(",\"millis\":").append(took.toMillis())
                .append(",\"seed\":").append(quote(seed))
                .append(",\"outcomes\":{");
        boolean first = true;
        for (Map.Entry<String, Long> entry : counted.entrySet()) {
            json.append(first ? "" : ",").append(quote(entry.getKey())).append(':').append(entry.getValue());
            first = false;
        }
        json.append("},\"slowest\":[");
        synchronized (this) {
            for (int i = 0; i < slowest.size(); i++) {
                json.append(i == 0 ? "" : ",").append("{\"millis\":").append(slowest.get(i).getKey() / 1_000_000)
                        .append(",\"input\":").append(quote(slowest.get(i).getValue())).append('}');
            }
        }
        json.append("]}\n");
        Path folder = Path.of(System.getProperty(REPORT_PROPERTY, "target/fuzz"));
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(target + ".json"), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the fuzz report of " + target, e);
        }
        System.out.printf(Locale.ROOT, "[fuzz] %s: %d executions, %d distinct inputs, %d hangs, %.1f s (tries %d, seed %s, %s)%n",
                target, executions.get(), distinct.size(), hangs.get(), took.toMillis() / 1000.0, triesSetting, seed,
                result.status());
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
