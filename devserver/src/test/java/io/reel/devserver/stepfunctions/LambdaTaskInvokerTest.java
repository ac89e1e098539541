package io.reel.devserver.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Env;
import io.reel.core.Json;
import io.reel.devserver.app.FunctionDef;
import io.reel.devserver.fixtures.StepHandlers;
import io.reel.devserver.lambda.LambdaFunction;
import io.reel.devserver.states.TaskFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Task states' Lambda, over real {@link LambdaFunction}s made from fixture handlers. */
class LambdaTaskInvokerTest {
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";
    private static Map<String, LambdaFunction> functions;
    private static LambdaTaskInvoker invoker;

    @BeforeAll
    static void load() {
        functions = Map.of(
                "Doubler", function("Doubler", StepHandlers.Doubler.class, Duration.ofSeconds(5)),
                "Fails", function("Fails", StepHandlers.AlwaysFails.class, Duration.ofSeconds(5)),
                "Slow", function("Slow", StepHandlers.Blocking.class, Duration.ofMillis(200)));
        invoker = new LambdaTaskInvoker(functions, "us-east-1", "000000000000");
    }

    @AfterAll
    static void close() {
        functions.values().forEach(LambdaFunction::close);
    }

    @Test
    void aFunctionIsFoundByArn_partialArn_orName_withOrWithoutQualifier() throws Exception {
        for (String name : List.of(ARN + "Doubler", ARN + "Doubler:live", "000000000000:function:Doubler",
                "Doubler", "Doubler:$LATEST")) {
            JsonNode result = invoker.invoke(name, Json.mapper().readTree("{\"n\": 4}"));

            assertThat(result.get("n").asInt()).as(name).isEqualTo(8);
            assertThat(result.get("by").asText()).isEqualTo("Doubler");
        }
    }

    @Test
    void anUnknownFunction_orOneInAnotherAccountOrRegion_isResourceNotFound() {
        for (String name : List.of(ARN + "Nope", "Nope", "arn:aws:lambda:us-east-1:111111111111:function:Doubler",
                "arn:aws:lambda:eu-west-1:000000000000:function:Doubler", "111111111111:function:Doubler")) {
            TaskFailure failure = catchThrowableOfType(TaskFailure.class, () -> invoker.invoke(name, Json.mapper().createObjectNode()));

            assertThat(failure.error()).as(name).isEqualTo("Lambda.ResourceNotFoundException");
            assertThat(failure.cause()).contains(name);
        }
    }

    @Test
    void aHandlerException_isNamedByItsClass_withTheErrorObjectAsCause() throws Exception {
        TaskFailure failure = catchThrowableOfType(TaskFailure.class,
                () -> invoker.invoke(ARN + "Fails", Json.mapper().readTree("{\"runId\": \"unit\"}")));

        assertThat(failure.error()).isEqualTo("io.reel.devserver.fixtures.StepHandlers$ChunkFailure");
        JsonNode cause = Json.mapper().readTree(failure.cause());
        assertThat(cause.get("errorMessage").asText()).isEqualTo("chunk unit is corrupt (call 1)");
        assertThat(cause.get("errorType").asText()).isEqualTo("io.reel.devserver.fixtures.StepHandlers$ChunkFailure");
        assertThat(cause.get("stackTrace").get(0).asText())
                .startsWith("io.reel.devserver.fixtures.StepHandlers$AlwaysFails.handleRequest(StepHandlers.java:");
        assertThat(cause.get("stackTrace").toString()).doesNotContain("LambdaFunction", "reflect");
    }

    @Test
    void aFunctionTimeout_isLambdaUnknown() {
        TaskFailure failure = catchThrowableOfType(TaskFailure.class,
                () -> invoker.invoke("Slow", Json.mapper().createObjectNode().put("runId", "timeout-unit")));

        assertThat(failure.error()).isEqualTo(TaskFailure.LAMBDA_UNKNOWN);
        assertThat(failure.cause()).contains("Task timed out");
    }

    private static LambdaFunction function(String name, Class<?> handler, Duration timeout) {
        FunctionDef def = new FunctionDef(name, handler.getName() + "::handleRequest", timeout, 128, Map.of(), List.of(), List.of());
        return LambdaFunction.load(def, Env.of(Map.of()), ARN + name, LambdaTaskInvokerTest.class.getClassLoader());
    }
}
