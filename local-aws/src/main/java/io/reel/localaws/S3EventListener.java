package io.reel.localaws;

import com.amazonaws.services.lambda.runtime.events.S3Event;

/** Receives the S3 notifications of one bucket, as Lambda would. */
@FunctionalInterface
public interface S3EventListener {
    void onEvent(S3Event event);
}
