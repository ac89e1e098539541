package io.reel.devserver.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reel.devserver.app.StateMachineDef;
import io.reel.devserver.states.Execution;
import io.reel.devserver.states.ExecutionAlreadyExistsException;
import io.reel.devserver.states.HistoryEvent;
import io.reel.devserver.states.Sleeper;
import io.reel.devserver.states.StateMachineRunner;
import io.reel.devserver.states.TaskInvoker;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Step Functions API over the template's state machines, one {@link StateMachineRunner} each: StartExecution,
 * DescribeExecution, StopExecution, ListExecutions and GetExecutionHistory, requests and responses as the AWS JSON
 * 1.0 bodies the SDK sends and reads, errors as the codes AWS returns.
 */
public final class StepFunctionsService implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StepFunctionsService.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;

    private final Map<String, StateMachineRunner> runners = new LinkedHashMap<>();
    private final ExecutionJournal journal; // null: executions live in memory only
    private volatile boolean closing;

    public StepFunctionsService(Collection<StateMachineDef> machines, TaskInvoker invoker, Sleeper sleeper) {
        this(machines, invoker, sleeper, null);
    }

    /**
     * @param dataDirectory where running executions are recorded, to be carried on by the next devserver on the same
     *                      data (see {@link ExecutionJournal}); null: in memory only
     */
    public StepFunctionsService(Collection<StateMachineDef> machines, TaskInvoker invoker, Sleeper sleeper,
                                java.nio.file.Path dataDirectory) {
        for (StateMachineDef machine : machines) {
            runners.put(machine.arn(), new StateMachineRunner(machine.machine(), machine.arn(), invoker, sleeper,
                    Clock.systemUTC(), StateMachineRunner.DEFAULT_TASK_SLOTS));
        }
        this.journal = dataDirectory == null ? null : new ExecutionJournal(dataDirectory);
        if (journal != null) {
            for (ExecutionJournal.Entry entry : journal.unfinished()) {
                StateMachineRunner runner = runners.get(entry.stateMachineArn());
                if (runner == null) {
                    LOG.warn("Not resuming execution {}: its state machine {} is no longer in the template", entry.name(),
                            entry.stateMachineArn());
                    journal.ended(entry.stateMachineArn(), entry.name());
                    continue;
                }
                LOG.info("Resuming execution {} of {} from its start: the devserver stopped while it ran", entry.name(),
                        entry.stateMachineArn());
                try {
                    watch(entry.stateMachineArn(), runner.start(entry.name(), entry.input()));
                } catch (RuntimeException e) {
                    LOG.warn("Could not resume execution {}: {}", entry.name(), e.toString());
                    journal.ended(entry.stateMachineArn(), entry.name());
                }
            }
        }
    }

    /** Removes the execution's record when it ends by itself or through StopExecution, not when the devserver stops. */
    private void watch(String machineArn, Execution execution) {
        if (journal == null) {
            return;
        }
        Thread.ofVirtual().name("sfn-journal-" + execution.name()).start(() -> {
            try {
                execution.await(java.time.Duration.ofDays(365));
                if (!closing) {
                    journal.ended(machineArn, execution.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** One API call: {@code operation} as named in {@code X-Amz-Target} after {@code AWSStepFunctions.}. */
    public JsonNode call(String operation, JsonNode request) throws AwsJsonError {
        return switch (operation) {
            case "StartExecution" -> startExecution(request);
            case "DescribeExecution" -> describeExecution(request);
            case "StopExecution" -> stopExecution(request);
            case "ListExecutions" -> listExecutions(request);
            case "GetExecutionHistory" -> executionHistory(request);
            default -> throw new AwsJsonError("UnknownOperationException", "The devserver's Step Functions does not "
                    + "implement " + operation + "; it serves StartExecution, DescribeExecution, StopExecution, "
                    + "ListExecutions and GetExecutionHistory for the template's state machines.");
        };
    }

    private JsonNode startExecution(JsonNode request) throws AwsJsonError {
        String machineArn = required(request, "stateMachineArn");
        StateMachineRunner runner = runner(machineArn);
        String name = request.hasNonNull("name") ? request.get("name").asText() : UUID.randomUUID().toString();
        String input = request.hasNonNull("input") ? request.get("input").asText() : "{}";
        Execution execution;
        try {
            execution = runner.start(name, input);
            if (journal != null) {
                journal.started(machineArn, name, input);
                watch(machineArn, execution);
            }
        } catch (ExecutionAlreadyExistsException e) {
            throw new AwsJsonError("ExecutionAlreadyExists", e.getMessage());
        } catch (IllegalArgumentException e) {
            // The runner's messages start with AWS's code: "InvalidName: ...", "InvalidExecutionInput: ..."
            String message = String.valueOf(e.getMessage());
            int colon = message.indexOf(": ");
            throw colon > 0 ? new AwsJsonError(message.substring(0, colon), message.substring(colon + 2))
                    : new AwsJsonError("ValidationException", message);
        }
        return NODES.objectNode().put("executionArn", execution.executionArn())
                .put("startDate", epochSeconds(execution.startDate()));
    }

    private JsonNode describeExecution(JsonNode request) throws AwsJsonError {
        Located found = execution(required(request, "executionArn"));
        Execution execution = found.execution();
        ObjectNode response = summary(found.machineArn(), execution);
        response.put("input", execution.input().toString());
        response.putObject("inputDetails").put("included", true);
        execution.output().ifPresent(output -> {
            response.put("output", output.toString());
            response.putObject("outputDetails").put("included", true);
        });
        execution.error().ifPresent(error -> response.put("error", error));
        execution.cause().ifPresent(cause -> response.put("cause", cause));
        return response;
    }

    /** Stops a running execution; one that has already closed keeps its status, and its stopDate is returned. */
    private JsonNode stopExecution(JsonNode request) throws AwsJsonError {
        Located found = execution(required(request, "executionArn"));
        found.runner().stop(found.execution().name(), text(request, "error"), text(request, "cause"));
        Instant stopped = found.execution().stopDate().orElseGet(Instant::now);
        return NODES.objectNode().put("stopDate", epochSeconds(stopped));
    }

    /** Newest first, as AWS lists them; {@code nextToken} is the index of the next page's first entry. */
    private JsonNode listExecutions(JsonNode request) throws AwsJsonError {
        String machineArn = required(request, "stateMachineArn");
        List<Execution> executions = new ArrayList<>(runner(machineArn).executions().reversed());
        if (request.hasNonNull("statusFilter")) {
            String status = request.get("statusFilter").asText();
            executions.removeIf(e -> !e.status().name().equals(status));
        }
        ArrayNode items = NODES.arrayNode();
        int next = page(request, executions.size(), (from, to) ->
                executions.subList(from, to).forEach(e -> items.add(summary(machineArn, e))));
        ObjectNode response = NODES.objectNode().set("executions", items);
        if (next < executions.size()) {
            response.put("nextToken", Integer.toString(next));
        }
        return response;
    }

    /**
     * The history in AWS's envelope (id, previousEventId, timestamp, type), the details under AWS's key for the type
     * ({@code stateEnteredEventDetails}, {@code lambdaFunctionFailedEventDetails}, ...) with the interpreter's
     * simplified fields.
     */
    private JsonNode executionHistory(JsonNode request) throws AwsJsonError {
        Execution execution = execution(required(request, "executionArn")).execution();
        List<HistoryEvent> events = new ArrayList<>(execution.history());
        if (request.path("reverseOrder").asBoolean(false)) {
            events = events.reversed();
        }
        List<HistoryEvent> ordered = events;
        ArrayNode items = NODES.arrayNode();
        int next = page(request, ordered.size(), (from, to) -> ordered.subList(from, to).forEach(e -> items.add(event(e))));
        ObjectNode response = NODES.objectNode().set("events", items);
        if (next < ordered.size()) {
            response.put("nextToken", Integer.toString(next));
        }
        return response;
    }

    private static ObjectNode event(HistoryEvent event) {
        ObjectNode node = NODES.objectNode().put("id", event.id()).put("previousEventId", event.id() - 1)
                .put("timestamp", epochSeconds(event.timestamp())).put("type", event.type());
        String type = event.type();
        String key = type.endsWith("StateEntered") ? "stateEnteredEventDetails"
                : type.endsWith("StateExited") ? "stateExitedEventDetails"
                : Character.toLowerCase(type.charAt(0)) + type.substring(1) + "EventDetails";
        ObjectNode details = node.putObject(key);
        if (event.stateName() != null) {
            details.put("name", event.stateName());
        }
        if (event.details() != null) {
            event.details().properties().forEach(field -> details.put(field.getKey(),
                    field.getValue().isTextual() && !field.getKey().equals("input") && !field.getKey().equals("output")
                            ? field.getValue().asText() : field.getValue().toString()));
        }
        return node;
    }

    @FunctionalInterface
    private interface Page {
        void take(int from, int to);
    }

    private static int page(JsonNode request, int size, Page page) throws AwsJsonError {
        int from;
        try {
            from = request.hasNonNull("nextToken") ? Integer.parseInt(request.get("nextToken").asText()) : 0;
        } catch (NumberFormatException e) {
            throw new AwsJsonError("InvalidToken", "Invalid token: " + request.get("nextToken").asText());
        }
        int max = request.path("maxResults").asInt(0);
        int limit = max <= 0 ? DEFAULT_PAGE : Math.min(max, MAX_PAGE);
        int to = Math.min(size, Math.max(0, from) + limit);
        if (from < to) {
            page.take(from, to);
        }
        return to;
    }

    private static ObjectNode summary(String machineArn, Execution execution) {
        ObjectNode item = NODES.objectNode().put("executionArn", execution.executionArn())
                .put("stateMachineArn", machineArn).put("name", execution.name())
                .put("status", execution.status().name()).put("startDate", epochSeconds(execution.startDate()));
        execution.stopDate().ifPresent(stop -> item.put("stopDate", epochSeconds(stop)));
        return item;
    }

    private record Located(String machineArn, StateMachineRunner runner, Execution execution) {
    }

    /** arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME → the machine's runner and the execution. */
    private Located execution(String executionArn) throws AwsJsonError {
        int marker = executionArn.indexOf(":execution:");
        int nameAt = executionArn.lastIndexOf(':');
        if (!executionArn.startsWith("arn:aws:states:") || marker < 0 || nameAt <= marker + ":execution:".length()) {
            throw new AwsJsonError("InvalidArn", "Invalid Arn: '" + executionArn + "' is not an execution ARN "
                    + "(arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME)");
        }
        String machineArn = executionArn.substring(0, nameAt).replace(":execution:", ":stateMachine:");
        StateMachineRunner runner = runners.get(machineArn);
        Optional<Execution> execution = runner == null ? Optional.empty()
                : runner.execution(executionArn.substring(nameAt + 1));
        if (execution.isEmpty()) {
            throw new AwsJsonError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + executionArn + "'");
        }
        return new Located(machineArn, runner, execution.get());
    }

    private StateMachineRunner runner(String machineArn) throws AwsJsonError {
        if (!machineArn.startsWith("arn:aws:states:") || !machineArn.contains(":stateMachine:")) {
            throw new AwsJsonError("InvalidArn", "Invalid Arn: '" + machineArn + "' is not a state machine ARN "
                    + "(arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)");
        }
        StateMachineRunner runner = runners.get(machineArn);
        if (runner == null) {
            throw new AwsJsonError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + machineArn
                    + "' (the template's: " + String.join(", ", runners.keySet()) + ")");
        }
        return runner;
    }

    private static String required(JsonNode request, String field) throws AwsJsonError {
        if (!request.hasNonNull(field) || request.get(field).asText().isBlank()) {
            throw new AwsJsonError("ValidationException", "1 validation error detected: Value null at '" + field
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return request.get(field).asText();
    }

    private static String text(JsonNode request, String field) {
        return request.hasNonNull(field) ? request.get(field).asText() : null;
    }

    /** AWS JSON timestamps: seconds since the epoch, milliseconds as the fraction. */
    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    /** Every running execution is stopped (ABORTED), as when a workflow is deleted. */
    @Override
    public void close() {
        closing = true;
        runners.values().forEach(StateMachineRunner::close);
    }
}
