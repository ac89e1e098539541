package io.reel.devserver.states;

import static io.reel.devserver.states.Asl.fn;
import static io.reel.devserver.states.Asl.node;
import static io.reel.devserver.states.Asl.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class AslTaskTest {

    @Test
    void lambdaArnTaskGetsTheEffectiveInputAndResultSelectorShapesTheResult() {
        FakeInvoker invoker = new FakeInvoker().on("encode", (payload, call) -> node("{'key': 'out/1.mp4', 'ms': 5}"));
        Execution e = run("{'StartAt': 'T', 'States': {'T': {'Type': 'Task', 'Resource': '" + fn("encode") + ":live', "
                + "'Parameters': {'src.$': '$.src'}, 'ResultSelector': {'k.$': '$.key'}, 'ResultPath': '$.encoded', "
                + "'End': true}}}", "{'src': 'in/1.mp4'}", invoker);

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.output()).contains(node("{'src': 'in/1.mp4', 'encoded': {'k': 'out/1.mp4'}}"));
        assertThat(invoker.calls).singleElement().satisfies(c -> {
            assertThat(c.function()).isEqualTo(fn("encode") + ":live");
            assertThat(c.payload()).isEqualTo(node("{'src': 'in/1.mp4'}"));
        });
        assertThat(e.history()).extracting(HistoryEvent::type).containsExactly("ExecutionStarted",
                "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded",
                "TaskStateExited", "ExecutionSucceeded");
    }

    @Test
    void lambdaInvokeIntegrationWrapsTheResultAsTheInvokeResponse() {
        FakeInvoker invoker = new FakeInvoker().on("audio", (payload, call) -> node("{'echo': " + payload + "}"));
        Execution e = run("{'StartAt': 'T', 'States': {'T': {'Type': 'Task', "
                + "'Resource': 'arn:aws:states:::lambda:invoke', "
                + "'Parameters': {'FunctionName': 'audio', 'Payload': {'id.$': '$.id'}}, 'End': true}}}",
                "{'id': 3}", invoker);

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.output()).get().satisfies(out -> {
            assertThat(out.get("Payload")).isEqualTo(node("{'echo': {'id': 3}}"));
            assertThat(out.get("StatusCode").asInt()).isEqualTo(200);
            assertThat(out.get("ExecutedVersion").asText()).isEqualTo("$LATEST");
            assertThat(out.has("SdkResponseMetadata")).isTrue();
        });
        assertThat(e.history()).extracting(HistoryEvent::type).contains("TaskScheduled", "TaskSucceeded");
    }

    @Test
    void aFunctionErrorFailsTheExecutionWithItsType_andItsErrorObjectAsCause() {
        FakeInvoker invoker = new FakeInvoker().on("f", (payload, call) -> {
            throw TaskFailure.lambdaError("java.io.IOException", "disk full");
        });
        Execution e = run("{'StartAt': 'T', 'States': {'T': {'Type': 'Task', 'Resource': '" + fn("f") + "', "
                + "'End': true}}}", "{}", invoker);

        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(e.error()).contains("java.io.IOException");
        // AWS passes the function's error object on as the Cause, as JSON text
        assertThat(e.cause()).contains("{\"errorMessage\":\"disk full\",\"errorType\":\"java.io.IOException\",\"stackTrace\":[]}");
        assertThat(e.history()).extracting(HistoryEvent::type).contains("LambdaFunctionFailed", "ExecutionFailed");
    }

    @Test
    void taskTimeoutSecondsIsStatesTimeout() {
        CountDownLatch never = new CountDownLatch(1);
        FakeInvoker invoker = new FakeInvoker().on("slow", (payload, call) -> {
            never.await();
            return payload;
        });
        Execution e = run("{'StartAt': 'T', 'States': {'T': {'Type': 'Task', 'Resource': '" + fn("slow") + "', "
                + "'TimeoutSeconds': 1, 'Catch': [{'ErrorEquals': ['States.TaskFailed'], 'Next': 'Wrong'}], "
                + "'End': true}, 'Wrong': {'Type': 'Succeed'}}}", "{}", invoker);

        // States.TaskFailed matches everything but States.Timeout, so the catcher does not apply
        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(e.error()).contains("States.Timeout");
        assertThat(e.history()).extracting(HistoryEvent::type).contains("LambdaFunctionTimedOut");
    }

    @Test
    void machineTimeoutSecondsTimesTheExecutionOut() {
        CountDownLatch never = new CountDownLatch(1);
        FakeInvoker invoker = new FakeInvoker().on("slow", (payload, call) -> {
            never.await();
            return payload;
        });
        Execution e = run("{'StartAt': 'T', 'TimeoutSeconds': 1, 'States': {'T': {'Type': 'Task', "
                + "'Resource': '" + fn("slow") + "', 'End': true}}}", "{}", invoker);

        assertThat(e.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(e.error()).contains("States.Timeout");
    }
}
