package io.reel.transcode.probe;

/**
 * What {@link MediaProbe#probe} decided: a {@link Description} of a video Reel can process, a {@link Refused refusal},
 * or {@link TimedOut} when FFmpeg did not finish within the budget.
 */
public sealed interface ProbeResult permits Description, ProbeResult.Refused, ProbeResult.TimedOut {

    /**
     * The file cannot become a video.
     *
     * @param message the sentence for the person who uploaded the file: plain words, and what to do next
     * @param detail  technical detail for logs (FFmpeg's error, the numbers that failed a limit); never shown to users
     */
    record Refused(Reason reason, String message, String detail) implements ProbeResult {
    }

    /**
     * FFmpeg did not finish within {@link ProbeLimits#budget()}.
     *
     * <p>{@code processTainted}: FFmpeg is still running on an abandoned thread, because JavaCV offers no way to stop
     * it (nothing interrupts {@code avformat_find_stream_info} or a decode). It may go on using CPU and memory or
     * never end, so the process should answer the current request and then exit, for Lambda to start a clean one.
     * When false, FFmpeg stopped itself at the deadline and the process is fine.
     *
     * @param message the sentence for the uploader
     * @param detail  for logs
     */
    record TimedOut(String message, String detail, boolean processTainted) implements ProbeResult {
    }

    /** Why a file was refused. */
    enum Reason {
        /** A FIFO, device, directory or symbolic link: never handed to FFmpeg. */
        NOT_A_REGULAR_FILE,
        EMPTY_FILE,
        FILE_TOO_LARGE,
        /** The first bytes are not MP4/MOV or Matroska/WebM. */
        UNSUPPORTED_FORMAT,
        /** FFmpeg could not read the container. */
        UNREADABLE,
        /** No video stream, or only a still cover picture. */
        NO_VIDEO_STREAM,
        UNDECODABLE_CODEC,
        /** Neither the header nor the packet timestamps tell the duration. */
        UNKNOWN_DURATION,
        TOO_LONG,
        DIMENSIONS_TOO_LARGE,
        /** The header is fine but the first picture does not decode (typically a truncated upload). */
        FIRST_FRAME_NOT_DECODABLE
    }
}
