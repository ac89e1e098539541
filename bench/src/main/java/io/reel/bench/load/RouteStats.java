package io.reel.bench.load;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one route's requests did in one phase: a latency histogram (microseconds, 1 µs to 2 min, 3 significant
 * digits), the count of each HTTP status, and the errors by kind with how often each came. Not thread-safe: each
 * virtual user keeps its own and they are merged when the phase ends.
 */
final class RouteStats {
    /** At most this many kinds of error are kept per route; the rest are counted under "(other)". */
    private static final int MAX_ERROR_KINDS = 20;
    private static final long HIGHEST_MICROS = 120_000_000L;

    final Histogram latencyMicros = new Histogram(1, HIGHEST_MICROS, 3);
    final Map<Integer, Long> statuses = new TreeMap<>();
    final Map<String, Long> errors = new TreeMap<>();
    /** The first answer (or exception message) seen of each kind of error, to reproduce it by. */
    final Map<String, String> samples = new TreeMap<>();
    long errorCount;

    /**
     * One answered request, or one that failed with an exception ({@code status} 0). {@code errorKind} is null when
     * the answer is what the client expected; otherwise it names the kind (such as "HTTP 500") and {@code sample} shows
     * this instance of it.
     */
    void record(long micros, int status, String errorKind, String sample) {
        latencyMicros.recordValue(Math.max(1, Math.min(micros, HIGHEST_MICROS)));
        if (status > 0) {
            statuses.merge(status, 1L, Long::sum);
        }
        if (errorKind != null) {
            error(errorKind, sample);
        }
    }

    /** An error that is not a request of its own (an answer with the right status and the wrong content). */
    void error(String kind, String sample) {
        errorCount++;
        String key = errors.size() < MAX_ERROR_KINDS || errors.containsKey(kind) ? kind : "(other)";
        errors.merge(key, 1L, Long::sum);
        if (sample != null) {
            samples.putIfAbsent(key, sample);
        }
    }

    void add(RouteStats other) {
        latencyMicros.add(other.latencyMicros);
        other.statuses.forEach((status, count) -> statuses.merge(status, count, Long::sum));
        other.errors.forEach((kind, count) -> {
            String key = errors.size() < MAX_ERROR_KINDS || errors.containsKey(kind) ? kind : "(other)";
            errors.merge(key, count, Long::sum);
            String sample = other.samples.get(kind);
            if (sample != null) {
                samples.putIfAbsent(key, sample);
            }
        });
        errorCount += other.errorCount;
    }

    long count() {
        return latencyMicros.getTotalCount();
    }

    double percentileMs(double percentile) {
        return count() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMs() {
        return count() == 0 ? 0 : latencyMicros.getMaxValue() / 1000.0;
    }

    double meanMs() {
        return count() == 0 ? 0 : latencyMicros.getMean() / 1000.0;
    }
}
