package io.reel.transcode;

/**
 * The upload cannot become a video, for a reason the uploader can read and act on ("no video stream found", "longer
 * than 2 hours"). Never retried: the video goes FAILED with this reason.
 */
public final class RejectedInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public RejectedInputException(String reason) {
        super(reason);
    }

    public RejectedInputException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** The sentence shown to the uploader. */
    public String reason() {
        return getMessage();
    }
}
