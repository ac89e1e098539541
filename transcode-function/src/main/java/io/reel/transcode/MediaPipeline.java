package io.reel.transcode;

import io.reel.core.port.VideoStore.Outputs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/** Turns a downloaded upload into a video's published outputs: probe, validate, encode, upload under videos/{id}/. */
interface MediaPipeline {
    /**
     * @param source   the downloaded upload (the only file FFmpeg may open)
     * @param workDir  an empty folder of this attempt's own, deleted afterwards whatever happens
     * @param deadline when to give up; past it the work stops with {@link RejectedInputException} ("took too long")
     * @return what the {@code Videos} item records on READY
     * @throws RejectedInputException the input cannot become a video (permanent)
     * @throws IOException            local or transfer failures (transient: retried)
     */
    Outputs process(String videoId, Path source, Path workDir, Instant deadline) throws RejectedInputException, IOException;
}
