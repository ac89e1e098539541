package io.reel.transcode;

import io.reel.core.port.VideoStore.Outputs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.IntConsumer;

/** Turns a downloaded upload into a video's published outputs: probe, validate, encode, upload under videos/{id}/. */
interface MediaPipeline {
    /**
     * @param source   the downloaded upload (the only file FFmpeg may open)
     * @param workDir  an empty folder of this attempt's own, deleted afterwards whatever happens
     * @param deadline when to give up; past it the work stops with {@link RejectedInputException} ("took too long")
     * @param progress told how far the work has got, 0–99 %, now and then (for the uploader to see)
     * @return what the {@code Videos} item records on READY
     * @throws RejectedInputException the input cannot become a video (permanent)
     * @throws IOException            local or transfer failures (transient: retried)
     */
    Outputs process(String videoId, Path source, Path workDir, Instant deadline, IntConsumer progress)
            throws RejectedInputException, IOException;
}
