package io.reel.core.metrics;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Metrics as CloudWatch Embedded Metric Format lines on standard output: Lambda ships the line to CloudWatch Logs
 * and CloudWatch turns it into a metric, with no API call on the request path. Namespace {@code Reel}, one
 * dimension {@code Function}.
 */
public final class EmfMetrics implements Metrics {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");
    private static final Set<String> UNITS = Set.of("Seconds", "Milliseconds", "Bytes", "Count");

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
        write(metric, "1", "Count");
    }

    @Override
    public void record(String metric, double value, String unit) {
        if (!UNITS.contains(unit)) {
            throw new IllegalArgumentException("A unit is one of " + UNITS + ": " + unit);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("A metric value is a finite number: " + value);
        }
        write(metric, BigDecimal.valueOf(value).stripTrailingZeros().toPlainString(), unit);
    }

    private void write(String metric, String value, String unit) {
        if (!NAME.matcher(metric).matches()) {
            throw new IllegalArgumentException("A metric name is letters and digits: " + metric);
        }
        // Names and units are checked, values are plain numbers: the line needs no JSON library on the hot path.
        out.println("{\"_aws\":{\"Timestamp\":" + clock.millis() + ",\"CloudWatchMetrics\":[{\"Namespace\":\"Reel\","
                + "\"Dimensions\":[[\"Function\"]],\"Metrics\":[{\"Name\":\"" + metric + "\",\"Unit\":\"" + unit + "\"}]}]},"
                + "\"Function\":\"" + function + "\",\"" + metric + "\":" + value + "}");
    }
}
