package io.reel.transcode.probe;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link MediaProbe} accepts, and how long it may take to decide.
 *
 * @param maxFileBytes the largest file probed at all; larger ones are refused before FFmpeg opens them
 * @param maxDuration  the longest video accepted
 * @param maxWidth     the widest coded picture accepted, in pixels
 * @param maxHeight    the tallest coded picture accepted, in pixels
 * @param budget       wall-clock time for the FFmpeg part of one probe (open, header, first frame, timestamps)
 */
public record ProbeLimits(long maxFileBytes, Duration maxDuration, int maxWidth, int maxHeight, Duration budget) {

    public ProbeLimits {
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(budget, "budget");
        if (maxFileBytes <= 0 || maxWidth <= 0 || maxHeight <= 0 || !maxDuration.isPositive() || !budget.isPositive()) {
            throw new IllegalArgumentException("Every probe limit must be positive: " + maxFileBytes + " bytes, "
                    + maxDuration + ", " + maxWidth + "x" + maxHeight + ", budget " + budget);
        }
    }

    /** 5 GiB, 2 hours, 4096×4096 (4K DCI), 10 seconds. */
    public static ProbeLimits defaults() {
        return new ProbeLimits(5L << 30, Duration.ofHours(2), 4096, 4096, Duration.ofSeconds(10));
    }

    public ProbeLimits withMaxFileBytes(long bytes) {
        return new ProbeLimits(bytes, maxDuration, maxWidth, maxHeight, budget);
    }

    public ProbeLimits withBudget(Duration newBudget) {
        return new ProbeLimits(maxFileBytes, maxDuration, maxWidth, maxHeight, newBudget);
    }
}
