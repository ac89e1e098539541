package io.reel.transcode;

import io.reel.core.domain.Rendition;
import io.reel.transcode.probe.Description;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.IntConsumer;

/** Encodes a probed source into the files of a video: the HLS ladder, progressive MP4s, poster and storyboard. */
public interface LadderEncoding {
    /**
     * The files written under {@code outDir}, named by paths relative to it (they become keys under {@code videos/{id}/}).
     *
     * @param renditions   every HLS rung (key: its playlist) and MP4, with relative keys
     * @param poster       the poster JPEG, or null if none could be made
     * @param storyboard   the storyboard sprite JPEG, or null; its WebVTT cues are {@code storyboard.vtt}
     */
    record Encoded(List<Rendition> renditions, String poster, String storyboard) {
        public Encoded {
            renditions = List.copyOf(renditions);
        }
    }

    /**
     * @param progress told the share of the source decoded so far, 0–100 %, each time it grows by a whole percent
     * @throws RejectedInputException the source cannot be encoded after all (e.g. it runs past the deadline)
     * @throws IOException            writing the outputs failed
     */
    Encoded encode(Path source, Description probe, Path outDir, Instant deadline, IntConsumer progress)
            throws RejectedInputException, IOException;

    /** {@link #encode(Path, Description, Path, Instant, IntConsumer)} without progress reports. */
    default Encoded encode(Path source, Description probe, Path outDir, Instant deadline) throws RejectedInputException, IOException {
        return encode(source, probe, outDir, deadline, percent -> { });
    }
}
