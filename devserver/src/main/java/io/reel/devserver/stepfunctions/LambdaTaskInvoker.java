package io.reel.devserver.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.reel.core.Json;
import io.reel.devserver.lambda.FunctionException;
import io.reel.devserver.lambda.LambdaFunction;
import io.reel.devserver.states.TaskFailure;
import io.reel.devserver.states.TaskInvoker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Task states' Lambda calls, made on the devserver's own warm functions: a function named as Step Functions accepts
 * it (full ARN, partial ARN {@code ACCOUNT:function:NAME}, or name, each with an optional qualifier, which is ignored
 * as there is one version of everything locally), its failure reported as Step Functions reports it.
 *
 * <p>Tasks run on a pool of {@code workers} at once over all executions (a Map state asking for 40 chunk encodes at
 * a time gets as many as this machine can run; the rest wait their turn), as a reserved concurrency caps a function
 * in AWS.
 */
public final class LambdaTaskInvoker implements TaskInvoker {
    /** The error Step Functions reports for a function that does not exist. */
    public static final String NOT_FOUND = "Lambda.ResourceNotFoundException";

    private final Map<String, LambdaFunction> functions;
    private final String region;
    private final String accountId;
    private final java.util.concurrent.Semaphore workers;

    /** With one worker per two cores (a chunk encode keeps about two busy), at least one. */
    public LambdaTaskInvoker(Map<String, LambdaFunction> functions, String region, String accountId) {
        this(functions, region, accountId, defaultWorkers());
    }

    /**
     * @param functions the devserver's functions by name (their logical ids, the names in their ARNs)
     * @param workers   task invocations at once
     */
    public LambdaTaskInvoker(Map<String, LambdaFunction> functions, String region, String accountId, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("At least one worker: " + workers);
        }
        this.functions = Map.copyOf(functions);
        this.region = region;
        this.accountId = accountId;
        this.workers = new java.util.concurrent.Semaphore(workers, true);
    }

    /** {@code REEL_STEP_FUNCTIONS_WORKERS} if set, else one per two cores. */
    public static int defaultWorkers() {
        String configured = System.getenv("REEL_STEP_FUNCTIONS_WORKERS");
        if (configured != null && !configured.isBlank()) {
            return Integer.parseInt(configured.trim());
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    @Override
    public JsonNode invoke(String function, JsonNode payload) throws TaskFailure, InterruptedException {
        LambdaFunction target = find(function).orElseThrow(() -> new TaskFailure(NOT_FOUND,
                "Function not found: " + function + " (the devserver's functions: " + String.join(", ",
                        functions.keySet().stream().sorted().toList()) + ")"));
        byte[] result;
        workers.acquire();
        try {
            result = target.invoke(Json.mapper().writeValueAsBytes(payload));
        } catch (FunctionException e) {
            if (e.getCause() instanceof InterruptedException) {
                throw new InterruptedException("stopped while " + function + " ran");
            }
            if (e.timedOut()) {
                throw TaskFailure.lambdaTimeout(e.getMessage());
            }
            Throwable error = e.getCause() == null ? e : e.getCause();
            // Lambda's Java runtime reports errorType as the exception's fully qualified class name.
            throw TaskFailure.lambdaError(error.getClass().getName(), error.getMessage(), stackTrace(error));
        } catch (IOException e) {
            throw new TaskFailure("States.Runtime", "The task's input cannot be written as JSON: " + e.getMessage());
        } finally {
            workers.release();
        }
        if (result == null || result.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return Json.mapper().readTree(result);
        } catch (IOException e) {
            throw new TaskFailure("States.Runtime", "Function " + function + " returned a result that is not JSON: "
                    + e.getMessage());
        }
    }

    private Optional<LambdaFunction> find(String function) {
        String name = function;
        int marker = function.indexOf(":function:");
        if (marker >= 0) {
            String[] prefix = function.substring(0, marker).split(":", -1);
            // arn:aws:lambda:REGION:ACCOUNT or ACCOUNT: another region or account is another function
            boolean ours = prefix.length == 5 ? prefix[3].equals(region) && prefix[4].equals(accountId)
                    : prefix.length == 1 && prefix[0].equals(accountId);
            if (!ours) {
                return Optional.empty();
            }
            name = function.substring(marker + ":function:".length());
        }
        return Optional.ofNullable(functions.get(name.split(":", -1)[0]));
    }

    /** The frames of the function's own code, as the Java runtime lists them ({@code Class.method(File.java:12)}). */
    private static List<String> stackTrace(Throwable error) {
        List<String> frames = new ArrayList<>();
        for (StackTraceElement frame : error.getStackTrace()) {
            if (frame.getClassName().startsWith("jdk.internal.reflect.") || frame.getClassName().equals("java.lang.reflect.Method")) {
                break; // below this is the devserver calling the handler
            }
            frames.add(frame.getClassName() + "." + frame.getMethodName() + "(" + frame.getFileName() + ":"
                    + frame.getLineNumber() + ")");
        }
        return frames;
    }
}
