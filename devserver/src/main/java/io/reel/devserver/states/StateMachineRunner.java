package io.reel.devserver.states;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reel.core.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs executions of one state machine, each on its own virtual thread, as StartExecution / DescribeExecution /
 * StopExecution would for a STANDARD workflow.
 *
 * <p>Names follow StartExecution's rules: while an execution is open, starting it again with the same input returns
 * it (idempotent); with a different input, or once it has closed, {@link ExecutionAlreadyExistsException}. Names
 * are remembered for the runner's life (AWS: 90 days).
 *
 * <p>Concurrency: Map iterations and Parallel branches run on virtual threads; a Map's MaxConcurrency bounds its
 * iterations, and {@code taskSlots} (default {@value #DEFAULT_TASK_SLOTS}) bounds the Task invocations running at
 * once across all executions of this runner, so a Map with MaxConcurrency 0 (no limit) over many items cannot
 * start more functions than that at a time. (Bounding tasks rather than iterations cannot deadlock when Maps nest.)
 */
public final class StateMachineRunner implements AutoCloseable {
    public static final int DEFAULT_TASK_SLOTS = 40;
    private static final Pattern NAME = Pattern.compile("[^\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]{1,80}");

    private final StateMachine machine;
    private final String stateMachineArn;
    private final TaskInvoker invoker;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Semaphore taskSlots;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Execution> executions = new LinkedHashMap<>();

    public StateMachineRunner(StateMachine machine, String stateMachineArn, TaskInvoker invoker) {
        this(machine, stateMachineArn, invoker, Sleeper.SYSTEM, Clock.systemUTC(), DEFAULT_TASK_SLOTS);
    }

    /**
     * @param stateMachineArn {@code arn:aws:states:REGION:ACCOUNT:stateMachine:NAME}; execution ARNs and the
     *                        context object's ids derive from it
     */
    public StateMachineRunner(StateMachine machine, String stateMachineArn, TaskInvoker invoker, Sleeper sleeper,
            Clock clock, int taskSlots) {
        if (!stateMachineArn.contains(":stateMachine:")) {
            throw new IllegalArgumentException("Not a state machine ARN: " + stateMachineArn);
        }
        this.machine = machine;
        this.stateMachineArn = stateMachineArn;
        this.invoker = invoker;
        this.sleeper = sleeper;
        this.clock = clock;
        this.taskSlots = new Semaphore(taskSlots);
    }

    /** StartExecution with input as JSON text. */
    public Execution start(String name, String inputJson) {
        try {
            return start(name, Json.mapper().readTree(inputJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("InvalidExecutionInput: the input is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** StartExecution: runs asynchronously; the handle reports progress. */
    public Execution start(String name, JsonNode input) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("InvalidName: '" + name + "' is not a valid execution name (1 to 80 "
                    + "characters, no whitespace, brackets, wildcards or special characters).");
        }
        String arn = stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
        Execution execution;
        synchronized (executions) {
            Execution existing = executions.get(name);
            if (existing != null) {
                if (existing.status() == ExecutionStatus.RUNNING && existing.input().equals(input)) {
                    return existing;
                }
                throw new ExecutionAlreadyExistsException(arn);
            }
            execution = new Execution(name, arn, input, clock);
            executions.put(name, execution);
        }
        execution.record("ExecutionStarted", null, JsonNodeFactory.instance.objectNode().set("input", input));
        execution.attach(threads.submit(() -> run(execution)));
        return execution;
    }

    public Optional<Execution> execution(String name) {
        synchronized (executions) {
            return Optional.ofNullable(executions.get(name));
        }
    }

    /** Every execution started, oldest first (ListExecutions). */
    public java.util.List<Execution> executions() {
        synchronized (executions) {
            return java.util.List.copyOf(executions.values());
        }
    }

    /** StopExecution: aborts a running execution; false if there is none by that name or it has closed. */
    public boolean stop(String name) {
        return stop(name, null, null);
    }

    /** StopExecution with the optional error and cause the caller gives, which DescribeExecution then reports. */
    public boolean stop(String name, String error, String cause) {
        return execution(name).map(e -> e.stop(error, cause)).orElse(false);
    }

    private void run(Execution execution) {
        Interpreter interpreter = new Interpreter(execution, context(execution), invoker, sleeper, clock, threads,
                taskSlots);
        try {
            JsonNode output;
            if (machine.timeoutSeconds().isPresent()) {
                Future<JsonNode> body = threads.submit(() -> interpreter.run(machine.graph(), execution.input()));
                try {
                    output = sleeper.await(body, Duration.ofSeconds(machine.timeoutSeconds().get()));
                } catch (TimeoutException e) {
                    body.cancel(true);
                    execution.finish(ExecutionStatus.TIMED_OUT, null, StatesError.TIMEOUT, "The execution ran longer "
                            + "than the state machine's TimeoutSeconds (" + machine.timeoutSeconds().get() + " s).");
                    return;
                } catch (ExecutionException e) {
                    throw e.getCause();
                } finally {
                    body.cancel(true);
                }
            } else {
                output = interpreter.run(machine.graph(), execution.input());
            }
            execution.finish(ExecutionStatus.SUCCEEDED, output, null, null);
        } catch (StatesError e) {
            execution.finish(ExecutionStatus.FAILED, null, e.error(), e.cause());
        } catch (InterruptedException e) {
            // stopped: stop() has already closed the execution as ABORTED
            execution.finish(ExecutionStatus.ABORTED, null, null, null);
        } catch (Throwable e) {
            execution.finish(ExecutionStatus.FAILED, null, StatesError.RUNTIME, "The interpreter failed: " + e);
        }
    }

    /** What {@code $$.Execution} and {@code $$.StateMachine} hold for the whole execution. */
    private ObjectNode context(Execution execution) {
        ObjectNode context = JsonNodeFactory.instance.objectNode();
        ObjectNode ex = context.putObject("Execution");
        ex.put("Id", execution.executionArn());
        ex.set("Input", execution.input());
        ex.put("Name", execution.name());
        ex.put("StartTime", execution.startDate().truncatedTo(ChronoUnit.MILLIS).toString());
        String machineName = stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1);
        context.putObject("StateMachine").put("Id", stateMachineArn).put("Name", machineName);
        return context;
    }

    /** Stops every running execution and the threads. */
    @Override
    public void close() {
        synchronized (executions) {
            executions.values().forEach(e -> e.stop(null, null));
        }
        threads.shutdownNow();
    }
}
