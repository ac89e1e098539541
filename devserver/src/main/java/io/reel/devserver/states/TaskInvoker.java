package io.reel.devserver.states;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs the work a Task state names. The interpreter only knows Lambda: the devserver implements this with its
 * in-process functions, tests with fakes. Called from many threads at once (Map and Parallel), so implementations
 * must be thread-safe.
 */
@FunctionalInterface
public interface TaskInvoker {
    /**
     * Invokes a function synchronously.
     *
     * @param function the function as the definition names it: a Lambda ARN from {@code Resource}
     *                 ({@code arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]}), or {@code FunctionName} of
     *                 an {@code arn:aws:states:::lambda:invoke} task (a name, partial or full ARN)
     * @param payload  the event
     * @return the function's result ({@code NullNode} for a function that returns nothing)
     * @throws TaskFailure when the function failed; its error name is what Retry and Catch see
     * @throws InterruptedException when the execution is stopped or the state is cancelled
     */
    JsonNode invoke(String function, JsonNode payload) throws TaskFailure, InterruptedException;
}
