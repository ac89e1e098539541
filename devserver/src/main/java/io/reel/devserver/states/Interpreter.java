package io.reel.devserver.states;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Runs one execution's states, following the developer guide's input and output processing (InputPath →
 * Parameters → task → ResultSelector → ResultPath → OutputPath), its Retry and Catch rules, and Map and Parallel
 * semantics (results in item or branch order; the first failure fails the state and cancels the other iterations
 * or branches). Errors travel as {@link StatesError}; a stop travels as {@link InterruptedException}.
 */
final class Interpreter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Execution execution;
    private final ObjectNode executionContext;
    private final TaskInvoker invoker;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ExecutorService threads;
    private final Semaphore taskSlots;

    Interpreter(Execution execution, ObjectNode executionContext, TaskInvoker invoker, Sleeper sleeper, Clock clock,
            ExecutorService threads, Semaphore taskSlots) {
        this.execution = execution;
        this.executionContext = executionContext;
        this.invoker = invoker;
        this.sleeper = sleeper;
        this.clock = clock;
        this.threads = threads;
        this.taskSlots = taskSlots;
    }

    /** Runs a graph from StartAt to a terminal state and returns its output. */
    JsonNode run(State.Graph graph, JsonNode input) throws InterruptedException {
        String current = graph.startAt();
        JsonNode data = input;
        while (true) {
            State state = graph.states().get(current);
            Step step = runState(state, data);
            if (step.next() == null) {
                return step.output();
            }
            current = step.next();
            data = step.output();
        }
    }

    private record Step(JsonNode output, String next) {
    }

    private Step runState(State state, JsonNode input) throws InterruptedException {
        execution.record(state.type() + "StateEntered", state.name(), details("input", input));
        Instant entered = clock.instant();
        Step step = switch (state) {
            case State.Task t -> withRetry(t, t.io(), t.retry(), t.catchers(), t.next(), input, entered);
            case State.Parallel p -> withRetry(p, p.io(), p.retry(), p.catchers(), p.next(), input, entered);
            case State.Map m -> withRetry(m, m.io(), m.retry(), m.catchers(), m.next(), input, entered);
            case State.Pass p -> pass(p, input, context(p, entered, 0));
            case State.Choice c -> choice(c, input);
            case State.Wait w -> waitState(w, input);
            case State.Succeed s -> new Step(outputPath(s.io(), inputPath(s.io(), input)), null);
            case State.Fail f -> throw fail(f, input);
        };
        execution.record(state.type() + "StateExited", state.name(), details("output", step.output()));
        return step;
    }

    /** Task, Parallel and Map: the attempt, then Retry ("the first retrier that matches"), then Catch. */
    private Step withRetry(State state, State.Io io, List<State.Retrier> retriers, List<State.Catcher> catchers,
            String next, JsonNode input, Instant entered) throws InterruptedException {
        int[] attempts = new int[retriers.size()];
        int retryCount = 0;
        while (true) {
            try {
                ObjectNode context = context(state, entered, retryCount);
                JsonNode result = attempt(state, io, input, context);
                return new Step(applyResult(io, input, result, context), next);
            } catch (StatesError e) {
                int r = firstMatch(retriers.stream().map(State.Retrier::errorEquals).toList(), e);
                if (r >= 0 && attempts[r] < retriers.get(r).maxAttempts()) {
                    Duration delay = retryDelay(retriers.get(r), attempts[r]);
                    attempts[r]++;
                    retryCount++;
                    sleeper.sleep(delay);
                    continue;
                }
                int c = firstMatch(catchers.stream().map(State.Catcher::errorEquals).toList(), e);
                if (c < 0) {
                    throw e;
                }
                State.Catcher catcher = catchers.get(c);
                ObjectNode errorOutput = NODES.objectNode().put("Error", e.error()).put("Cause", e.cause());
                JsonNode output = catcher.resultPath() == null ? input : catcher.resultPath().write(input, errorOutput);
                return new Step(output, catcher.next());
            }
        }
    }

    private static int firstMatch(List<List<String>> errorEquals, StatesError e) {
        for (int i = 0; i < errorEquals.size(); i++) {
            if (errorEquals.get(i).stream().anyMatch(e::matches)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * IntervalSeconds × BackoffRate^(retries so far), capped by MaxDelaySeconds; JitterStrategy FULL draws
     * uniformly between 0 and that ("a random number between 0 and the computed backoff").
     */
    static Duration retryDelay(State.Retrier retrier, int retriesSoFar) {
        double seconds = retrier.intervalSeconds() * Math.pow(retrier.backoffRate(), retriesSoFar);
        if (retrier.maxDelaySeconds() != null) {
            seconds = Math.min(seconds, retrier.maxDelaySeconds());
        }
        if (retrier.fullJitter()) {
            seconds = ThreadLocalRandom.current().nextDouble() * seconds;
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private JsonNode attempt(State state, State.Io io, JsonNode input, ObjectNode context)
            throws InterruptedException {
        return switch (state) {
            case State.Task t -> task(t, effectiveInput(io, input, context));
            case State.Parallel p -> parallel(p, effectiveInput(io, input, context));
            case State.Map m -> map(m, inputPath(io, input), context);
            default -> throw new IllegalStateException(state.type());
        };
    }

    // ---- Task

    private JsonNode task(State.Task task, JsonNode effective) throws InterruptedException {
        boolean invoke = task.integration() == State.Integration.LAMBDA_INVOKE;
        String prefix = invoke ? "Task" : "LambdaFunction";
        String function = task.resource();
        JsonNode payload = effective;
        if (invoke) {
            JsonNode name = effective.get("FunctionName");
            if (name == null || !name.isTextual()) {
                throw StatesError.runtime("The lambda:invoke Parameters of state '" + task.name()
                        + "' did not give FunctionName as a string.");
            }
            function = name.asText();
            if (effective.hasNonNull("Qualifier")) {
                function = function + ":" + effective.get("Qualifier").asText();
            }
            payload = effective.has("Payload") ? effective.get("Payload") : NODES.objectNode();
        }
        execution.record(prefix + "Scheduled", task.name(), details("input", payload));
        taskSlots.acquire();
        try {
            execution.record(prefix + "Started", task.name(), null);
            JsonNode result = call(task, function, payload);
            if (invoke) {
                result = lambdaInvokeResult(result);
            }
            execution.record(prefix + "Succeeded", task.name(), details("output", result));
            return result;
        } catch (StatesError e) {
            String type = e.error().equals(StatesError.TIMEOUT) ? "TimedOut" : "Failed";
            execution.record(prefix + type, task.name(), errorDetails(e));
            throw e;
        } finally {
            taskSlots.release();
        }
    }

    private JsonNode call(State.Task task, String function, JsonNode payload) throws InterruptedException {
        if (task.timeoutSeconds() == null) {
            return invoke(function, payload);
        }
        Future<JsonNode> call = threads.submit(() -> invoke(function, payload));
        try {
            return sleeper.await(call, Duration.ofSeconds(task.timeoutSeconds()));
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new StatesError(StatesError.TIMEOUT, "State '" + task.name() + "' ran longer than its "
                    + "TimeoutSeconds (" + task.timeoutSeconds() + " s).");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatesError error) {
                throw error;
            }
            throw unexpected(e.getCause());
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        }
    }

    private JsonNode invoke(String function, JsonNode payload) throws InterruptedException {
        try {
            JsonNode result = invoker.invoke(function, payload);
            return result == null ? NODES.nullNode() : result;
        } catch (TaskFailure failure) {
            throw new StatesError(failure.error(), failure.cause());
        } catch (RuntimeException e) {
            throw unexpected(e);
        }
    }

    /** An invoker that threw instead of reporting a TaskFailure: named by its class, as Lambda names errorType. */
    private static StatesError unexpected(Throwable e) {
        return new StatesError(e.getClass().getName(), String.valueOf(e.getMessage()));
    }

    /**
     * The optimized integration nests the function's result in the Invoke API response, its Payload parsed from
     * JSON (developer guide, "Invoke an AWS Lambda function with Step Functions"). The HTTP headers AWS includes
     * under SdkHttpMetadata are left out, there being no HTTP call.
     */
    private static JsonNode lambdaInvokeResult(JsonNode payload) {
        ObjectNode response = NODES.objectNode();
        response.put("ExecutedVersion", "$LATEST");
        response.set("Payload", payload);
        response.putObject("SdkHttpMetadata").put("HttpStatusCode", 200);
        response.putObject("SdkResponseMetadata").put("RequestId", UUID.randomUUID().toString());
        response.put("StatusCode", 200);
        return response;
    }

    // ---- Parallel and Map

    private JsonNode parallel(State.Parallel parallel, JsonNode effective) throws InterruptedException {
        execution.record("ParallelStateStarted", parallel.name(), null);
        List<Callable<JsonNode>> branches = new ArrayList<>();
        for (State.Graph branch : parallel.branches()) {
            branches.add(() -> run(branch, effective));
        }
        try {
            ArrayNode results = fanOut(branches, 0);
            execution.record("ParallelStateSucceeded", parallel.name(), null);
            return results;
        } catch (StatesError e) {
            execution.record("ParallelStateFailed", parallel.name(), errorDetails(e));
            throw e;
        }
    }

    private JsonNode map(State.Map map, JsonNode effective, ObjectNode context) throws InterruptedException {
        JsonNode items = map.itemsPath().read(effective).orElseThrow(() -> StatesError.runtime("The JSONPath '"
                + map.itemsPath() + "' specified for the field 'ItemsPath' could not be found in the input '"
                + effective + "'"));
        if (!items.isArray()) {
            throw StatesError.runtime("The ItemsPath '" + map.itemsPath() + "' of state '" + map.name()
                    + "' selected " + items + ", which is not an array.");
        }
        List<JsonNode> itemInputs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (map.itemSelector() == null) {
                itemInputs.add(item);
            } else {
                ObjectNode itemContext = context.deepCopy();
                itemContext.putObject("Map").putObject("Item").put("Index", i).set("Value", item);
                itemInputs.add(map.itemSelector().evaluate(effective, itemContext));
            }
        }
        execution.record("MapStateStarted", map.name(), NODES.objectNode().put("length", items.size()));
        List<Callable<JsonNode>> iterations = new ArrayList<>();
        for (int i = 0; i < itemInputs.size(); i++) {
            int index = i;
            iterations.add(() -> iteration(map, index, itemInputs.get(index)));
        }
        try {
            ArrayNode results = fanOut(iterations, map.maxConcurrency());
            execution.record("MapStateSucceeded", map.name(), null);
            return results;
        } catch (StatesError e) {
            execution.record("MapStateFailed", map.name(), errorDetails(e));
            throw e;
        }
    }

    private JsonNode iteration(State.Map map, int index, JsonNode input) throws InterruptedException {
        execution.record("MapIterationStarted", map.name(), NODES.objectNode().put("index", index));
        try {
            JsonNode output = run(map.processor(), input);
            execution.record("MapIterationSucceeded", map.name(), NODES.objectNode().put("index", index));
            return output;
        } catch (StatesError e) {
            execution.record("MapIterationFailed", map.name(), errorDetails(e).put("index", index));
            throw e;
        } catch (InterruptedException e) {
            execution.record("MapIterationAborted", map.name(), NODES.objectNode().put("index", index));
            throw e;
        }
    }

    /**
     * Runs the calls on the runner's threads, at most {@code limit} at once (0: no limit of its own), and returns
     * their results in call order. The first failure cancels (interrupts) the others and is rethrown.
     */
    private ArrayNode fanOut(List<Callable<JsonNode>> calls, int limit) throws InterruptedException {
        Semaphore permits = new Semaphore(limit > 0 ? limit : Integer.MAX_VALUE);
        CompletionService<Integer> completions = new ExecutorCompletionService<>(threads);
        JsonNode[] results = new JsonNode[calls.size()];
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            int index = i;
            futures.add(completions.submit(() -> {
                permits.acquire();
                try {
                    results[index] = calls.get(index).call();
                    return index;
                } finally {
                    permits.release();
                }
            }));
        }
        try {
            for (int done = 0; done < calls.size(); done++) {
                try {
                    completions.take().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof StatesError error) {
                        throw error;
                    }
                    if (e.getCause() instanceof InterruptedException interrupted) {
                        throw interrupted;
                    }
                    throw unexpected(e.getCause());
                } catch (CancellationException e) {
                    throw new InterruptedException("cancelled");
                }
            }
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
        ArrayNode array = NODES.arrayNode();
        for (JsonNode result : results) {
            array.add(result);
        }
        return array;
    }

    // ---- Pass, Choice, Wait, Fail

    private Step pass(State.Pass pass, JsonNode input, ObjectNode context) {
        JsonNode effective = effectiveInput(pass.io(), input, context);
        JsonNode result = pass.result() != null ? pass.result() : effective;
        return new Step(applyResult(pass.io(), input, result, context), pass.next());
    }

    private Step choice(State.Choice choice, JsonNode input) {
        JsonNode effective = inputPath(choice.io(), input);
        for (ChoiceRule rule : choice.choices()) {
            if (rule.condition().test(effective)) {
                return new Step(outputPath(choice.io(), effective), rule.next());
            }
        }
        if (choice.defaultNext() == null) {
            throw new StatesError(StatesError.NO_CHOICE_MATCHED, "No Choice Rule of state '" + choice.name()
                    + "' matched, and it has no Default.");
        }
        return new Step(outputPath(choice.io(), effective), choice.defaultNext());
    }

    private Step waitState(State.Wait wait, JsonNode input) throws InterruptedException {
        JsonNode effective = inputPath(wait.io(), input);
        long seconds;
        if (wait.seconds() != null) {
            seconds = wait.seconds();
        } else {
            JsonNode value = wait.secondsPath().read(effective).orElse(null);
            if (value == null || !value.canConvertToExactIntegral() || value.asLong() < 0) {
                throw StatesError.runtime("The SecondsPath '" + wait.secondsPath() + "' of state '" + wait.name()
                        + "' did not select a non-negative integer in the input '" + effective + "'");
            }
            seconds = value.asLong();
        }
        sleeper.sleep(Duration.ofSeconds(seconds));
        return new Step(outputPath(wait.io(), effective), wait.next());
    }

    private StatesError fail(State.Fail fail, JsonNode input) {
        String error = fail.errorPath() == null ? fail.error() : text(fail.errorPath(), input, fail.name());
        String cause = fail.causePath() == null ? fail.cause() : text(fail.causePath(), input, fail.name());
        return new StatesError(error, cause);
    }

    private static String text(JsonPath path, JsonNode input, String state) {
        JsonNode value = path.read(input).orElse(null);
        if (value == null || !value.isTextual()) {
            throw StatesError.runtime("The path '" + path + "' of Fail state '" + state
                    + "' did not select a string in the input '" + input + "'");
        }
        return value.asText();
    }

    // ---- input and output processing

    private static JsonNode inputPath(State.Io io, JsonNode input) {
        if (io.inputPath() == null) {
            return NODES.objectNode();
        }
        return io.inputPath().read(input).orElseThrow(() -> StatesError.runtime("Invalid path '" + io.inputPath()
                + "' : No results for path: $['" + io.inputPath() + "'] (InputPath, input '" + input + "')"));
    }

    private static JsonNode effectiveInput(State.Io io, JsonNode input, ObjectNode context) {
        JsonNode selected = inputPath(io, input);
        return io.parameters() == null ? selected : io.parameters().evaluate(selected, context);
    }

    private static JsonNode applyResult(State.Io io, JsonNode input, JsonNode result, ObjectNode context) {
        JsonNode selected = io.resultSelector() == null ? result : io.resultSelector().evaluate(result, context);
        JsonNode combined = io.resultPath() == null ? input : io.resultPath().write(input, selected);
        return outputPath(io, combined);
    }

    private static JsonNode outputPath(State.Io io, JsonNode data) {
        if (io.outputPath() == null) {
            return NODES.objectNode();
        }
        return io.outputPath().read(data).orElseThrow(() -> StatesError.runtime("Invalid path '" + io.outputPath()
                + "' : No results for path (OutputPath, data '" + data + "')"));
    }

    /** The context object as a state sees it ({@code $$}); Map.Item is added only for ItemSelector, as in AWS. */
    private ObjectNode context(State state, Instant entered, int retryCount) {
        ObjectNode context = executionContext.deepCopy();
        context.putObject("State").put("Name", state.name())
                .put("EnteredTime", entered.truncatedTo(ChronoUnit.MILLIS).toString())
                .put("RetryCount", retryCount);
        return context;
    }

    private static ObjectNode details(String field, JsonNode value) {
        ObjectNode details = NODES.objectNode();
        details.set(field, value);
        return details;
    }

    private static ObjectNode errorDetails(StatesError e) {
        return NODES.objectNode().put("error", e.error()).put("cause", e.cause());
    }
}
