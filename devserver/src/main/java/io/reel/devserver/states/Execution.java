package io.reel.devserver.states;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A handle on one execution, what DescribeExecution and GetExecutionHistory would show: status, output or error
 * and cause, and the history so far. Thread-safe; the status changes once, from RUNNING to a final one.
 */
public final class Execution {
    private final String name;
    private final String executionArn;
    private final JsonNode input;
    private final Instant startDate;
    private final Clock clock;
    private final List<HistoryEvent> history = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private ExecutionStatus status = ExecutionStatus.RUNNING;
    private JsonNode output;
    private String error;
    private String cause;
    private Instant stopDate;
    private Future<?> work;

    Execution(String name, String executionArn, JsonNode input, Clock clock) {
        this.name = name;
        this.executionArn = executionArn;
        this.input = input;
        this.clock = clock;
        this.startDate = clock.instant();
    }

    public String name() {
        return name;
    }

    public String executionArn() {
        return executionArn;
    }

    public JsonNode input() {
        return input;
    }

    public Instant startDate() {
        return startDate;
    }

    public synchronized ExecutionStatus status() {
        return status;
    }

    /** The output of a SUCCEEDED execution. */
    public synchronized Optional<JsonNode> output() {
        return Optional.ofNullable(output);
    }

    /** The error name of a FAILED, TIMED_OUT or (when given) ABORTED execution. */
    public synchronized Optional<String> error() {
        return Optional.ofNullable(error);
    }

    public synchronized Optional<String> cause() {
        return Optional.ofNullable(cause);
    }

    /** When the execution closed; empty while RUNNING. */
    public synchronized Optional<Instant> stopDate() {
        return Optional.ofNullable(stopDate);
    }

    public synchronized List<HistoryEvent> history() {
        return List.copyOf(history);
    }

    /** Waits until the execution has closed; returns its status (RUNNING if {@code timeout} passed first). */
    public ExecutionStatus await(Duration timeout) throws InterruptedException {
        done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return status();
    }

    synchronized void record(String type, String stateName, JsonNode details) {
        history.add(new HistoryEvent(history.size() + 1, clock.instant(), type, stateName, details));
    }

    synchronized void attach(Future<?> work) {
        this.work = work;
    }

    /** Closes the execution unless it already is; the first final status wins. */
    boolean finish(ExecutionStatus finalStatus, JsonNode output, String error, String cause) {
        synchronized (this) {
            if (status != ExecutionStatus.RUNNING) {
                return false;
            }
            status = finalStatus;
            this.stopDate = clock.instant();
            this.output = output;
            this.error = error;
            this.cause = cause;
            ObjectNode details = JsonNodeFactory.instance.objectNode();
            if (output != null) {
                details.set("output", output);
            }
            if (error != null) {
                details.put("error", error);
            }
            if (cause != null) {
                details.put("cause", cause);
            }
            String type = switch (finalStatus) {
                case SUCCEEDED -> "ExecutionSucceeded";
                case FAILED -> "ExecutionFailed";
                case TIMED_OUT -> "ExecutionTimedOut";
                case ABORTED -> "ExecutionAborted";
                case RUNNING -> throw new IllegalArgumentException("RUNNING is not final");
            };
            record(type, null, details);
        }
        done.countDown();
        return true;
    }

    /** StopExecution: ABORTED, and every state still running is interrupted. */
    boolean stop(String error, String cause) {
        boolean stopped = finish(ExecutionStatus.ABORTED, null, error, cause);
        Future<?> running;
        synchronized (this) {
            running = work;
        }
        if (stopped && running != null) {
            running.cancel(true);
        }
        return stopped;
    }
}
