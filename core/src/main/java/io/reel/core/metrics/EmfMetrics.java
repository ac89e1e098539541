package io.reel.core.metrics;

import java.io.PrintStream;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Metrics as CloudWatch Embedded Metric Format lines on standard output: Lambda ships the line to CloudWatch Logs
 * and CloudWatch turns it into a metric, with no API call on the request path. Namespace {@code Reel}, one
 * dimension {@code Function}.
 */
public final class EmfMetrics implements Metrics {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");

    private final String function;
    private final PrintStream out;
    private final Clock clock;

    public EmfMetrics(String function, PrintStream out, Clock clock) {
        if (!NAME.matcher(function).matches()) {
            throw new IllegalArgumentException("A function dimension is letters and digits: " + function);
        }
        this.function = function;
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void count(String metric) {
        if (!NAME.matcher(metric).matches()) {
            throw new IllegalArgumentException("A metric name is letters and digits: " + metric);
        }
        // Names are checked above, so the line can be written without a JSON library on the hot path.
        out.println("{\"_aws\":{\"Timestamp\":" + clock.millis() + ",\"CloudWatchMetrics\":[{\"Namespace\":\"Reel\","
                + "\"Dimensions\":[[\"Function\"]],\"Metrics\":[{\"Name\":\"" + metric + "\",\"Unit\":\"Count\"}]}]},"
                + "\"Function\":\"" + function + "\",\"" + metric + "\":1}");
    }
}
