package io.reel.core.domain;

/** Where a video is in its life: created, uploaded and being processed, playable, or failed with a reason. */
public enum VideoStatus {
    AWAITING_UPLOAD,
    PROCESSING,
    READY,
    FAILED
}
