package io.reel.core.metrics;

/** Counts things that happened, for dashboards and alarms (CloudWatch in AWS). */
@FunctionalInterface
public interface Metrics {
    void count(String metric);

    /** Counts nothing: for tools and tests that do not care. */
    static Metrics none() {
        return metric -> { };
    }
}
