package io.reel.devserver.states;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One entry of an execution's history, named as GetExecutionHistory names its event types (TaskStateEntered,
 * LambdaFunctionSucceeded, MapIterationStarted, ...). {@code details} holds what the event is about (input,
 * output, error and cause, iteration index) in a simplified shape, not AWS's per-type detail objects.
 */
public record HistoryEvent(long id, Instant timestamp, String type, String stateName, JsonNode details) {
}
