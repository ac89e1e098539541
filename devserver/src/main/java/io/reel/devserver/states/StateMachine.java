package io.reel.devserver.states;

import java.util.Optional;

/**
 * A parsed, validated state machine definition (Amazon States Language, JSONPath), ready to run with
 * {@link StateMachineRunner}.
 *
 * <p>Supported: Task (a Lambda function ARN, or {@code arn:aws:states:::lambda:invoke}), Pass, Choice, Wait
 * (Seconds, SecondsPath), Succeed, Fail, Parallel and Map; InputPath, Parameters, ResultSelector, ResultPath,
 * OutputPath; Retry and Catch; TimeoutSeconds on the machine and on Task states. A Map whose ItemProcessor has
 * {@code "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"} is accepted as long as it reads its items from the
 * input (no ItemReader, ResultWriter or ItemBatcher), and is run exactly like an inline Map: its iterations are not
 * child executions and appear in this execution's history. Everything else (JSONata, variables, activities, other
 * service integrations, heartbeats, Wait until a timestamp, failure tolerance) is refused by {@link #parse} with a
 * sentence naming the state and the field.
 */
public final class StateMachine {
    private final State.Graph graph;
    private final Integer timeoutSeconds;
    private final String definition;

    StateMachine(State.Graph graph, Integer timeoutSeconds, String definition) {
        this.graph = graph;
        this.timeoutSeconds = timeoutSeconds;
        this.definition = definition;
    }

    /**
     * Parses and validates a definition.
     *
     * @throws InvalidDefinitionException naming the state and field that is invalid or not supported locally
     */
    public static StateMachine parse(String json) {
        return DefinitionParser.parse(json);
    }

    public String startAt() {
        return graph.startAt();
    }

    /** The machine's TimeoutSeconds, after which an execution is TIMED_OUT. */
    public Optional<Integer> timeoutSeconds() {
        return Optional.ofNullable(timeoutSeconds);
    }

    public String definition() {
        return definition;
    }

    State.Graph graph() {
        return graph;
    }
}
