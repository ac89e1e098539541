package io.reel.devserver.states;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One parsed state. Records, built and validated by {@link DefinitionParser}; the interpreter only reads them.
 * A {@code next} of {@code null} means {@code "End": true}.
 */
sealed interface State {
    String name();

    /** The type as ASL spells it, which is also how history event types begin ("TaskStateEntered"). */
    default String type() {
        return getClass().getSimpleName();
    }

    /**
     * Input and output processing. {@code inputPath}, {@code resultPath} and {@code outputPath} are {@code null}
     * when the definition sets them to JSON null (AWS: input {@code {}}, result discarded, output {@code {}});
     * when the definition omits them they are {@code $}. {@code parameters} and {@code resultSelector} are
     * {@code null} when absent.
     */
    record Io(JsonPath inputPath, PayloadTemplate parameters, PayloadTemplate resultSelector, JsonPath resultPath,
            JsonPath outputPath) {
    }

    /** A state machine, or a Parallel branch, or a Map's item processor: states and where to start. */
    record Graph(String startAt, java.util.Map<String, State> states) {
    }

    record Retrier(List<String> errorEquals, int intervalSeconds, int maxAttempts, double backoffRate,
            Integer maxDelaySeconds, boolean fullJitter) {
    }

    record Catcher(List<String> errorEquals, String next, JsonPath resultPath) {
    }

    /** The two Lambda forms: the function ARN as Resource, or the optimized {@code lambda:invoke} integration. */
    enum Integration { LAMBDA_ARN, LAMBDA_INVOKE }

    record Task(String name, Io io, Integration integration, String resource, Integer timeoutSeconds,
            List<Retrier> retry, List<Catcher> catchers, String next) implements State {
    }

    record Pass(String name, Io io, JsonNode result, String next) implements State {
    }

    record Choice(String name, Io io, List<ChoiceRule> choices, String defaultNext) implements State {
    }

    record Wait(String name, Io io, Long seconds, JsonPath secondsPath, String next) implements State {
    }

    record Succeed(String name, Io io) implements State {
    }

    record Fail(String name, String error, String cause, JsonPath errorPath, JsonPath causePath) implements State {
    }

    record Parallel(String name, Io io, List<Graph> branches, List<Retrier> retry, List<Catcher> catchers,
            String next) implements State {
    }

    /** {@code maxConcurrency} 0 means no limit of its own (the runner's pool still bounds it). */
    record Map(String name, Io io, JsonPath itemsPath, PayloadTemplate itemSelector, Graph processor,
            int maxConcurrency, List<Retrier> retry, List<Catcher> catchers, String next) implements State {
    }
}
