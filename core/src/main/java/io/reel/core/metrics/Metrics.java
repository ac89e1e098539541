package io.reel.core.metrics;

/** Counts things that happened, and measures some, for dashboards and alarms (CloudWatch in AWS). */
@FunctionalInterface
public interface Metrics {
    void count(String metric);

    /**
     * Records a measured value, e.g. a transcode's duration in {@code Seconds}. A metrics sink that only counts (test
     * doubles written as a lambda) leaves values out; {@link EmfMetrics} writes them.
     *
     * @param unit a CloudWatch unit: {@code Seconds}, {@code Milliseconds}, {@code Bytes} or {@code Count}
     */
    default void record(String metric, double value, String unit) {
        // Counting-only sinks measure nothing.
    }

    /** Counts nothing: for tools and tests that do not care. */
    static Metrics none() {
        return metric -> { };
    }
}
