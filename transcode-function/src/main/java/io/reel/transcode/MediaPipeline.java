package io.reel.transcode;

import io.reel.core.port.VideoStore.Outputs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.IntConsumer;

/**
 * Turns a downloaded upload into a video's published outputs: probe, validate, encode, publish; or, for a long video,
 * hands it to the split-and-stitch state machine (issue #16), whose last task publishes and marks it READY.
 */
interface MediaPipeline {
    /** What became of the upload. */
    sealed interface Result permits Finished, HandedOver {
    }

    /** Encoded and published here: what the {@code Videos} item records on READY. */
    record Finished(Outputs outputs) implements Result {
    }

    /** A long video, started as the execution {@code execution} over {@code chunks} chunks; the claim stays taken. */
    record HandedOver(String execution, int chunks) implements Result {
    }

    /**
     * @param source   the downloaded upload (the only file FFmpeg may open)
     * @param workDir  an empty folder of this attempt's own, deleted afterwards whatever happens
     * @param deadline when to give up; past it the work stops with {@link RejectedInputException} ("took too long")
     * @param progress told how far the work has got, 0–99 %, now and then (for the uploader to see)
     * @param attempt  the claim's attempt number (a long video's execution is named after it)
     * @throws RejectedInputException the input cannot become a video (permanent)
     * @throws IOException            local or transfer failures (transient: retried)
     */
    Result process(UploadedObject upload, int attempt, Path source, Path workDir, Instant deadline, IntConsumer progress)
            throws RejectedInputException, IOException;
}
