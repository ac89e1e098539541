package io.reel.devserver.states;

import static io.reel.devserver.states.Asl.fn;
import static io.reel.devserver.states.Asl.json;
import static io.reel.devserver.states.Asl.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StateMachineRunnerTest {
    private static final String ONE_TASK = "{'StartAt': 'T', 'States': {'T': {'Type': 'Task', 'Resource': '"
            + fn("f") + "', 'End': true}}}";

    @Test
    void sameNameAndInputWhileRunningIsIdempotentOtherwiseExecutionAlreadyExists() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeInvoker invoker = new FakeInvoker().on("f", (payload, call) -> {
            release.await();
            return payload;
        });
        try (StateMachineRunner runner = Asl.runner(ONE_TASK, invoker, new FakeSleeper())) {
            Execution first = runner.start("upload-1", json("{'key': 'a'}"));

            assertThat(runner.start("upload-1", json("{'key': 'a'}"))).isSameAs(first);
            assertThatThrownBy(() -> runner.start("upload-1", json("{'key': 'b'}")))
                    .isInstanceOf(ExecutionAlreadyExistsException.class)
                    .hasMessageContaining("execution:Pipeline:upload-1");

            release.countDown();
            assertThat(first.await(Duration.ofSeconds(5))).isEqualTo(ExecutionStatus.SUCCEEDED);
            // closed: the name is taken whatever the input
            assertThatThrownBy(() -> runner.start("upload-1", json("{'key': 'a'}")))
                    .isInstanceOf(ExecutionAlreadyExistsException.class);
            assertThat(invoker.callsTo("f")).isEqualTo(1);
        }
    }

    @Test
    void stopAbortsARunningExecution() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        FakeInvoker invoker = new FakeInvoker().on("f", (payload, call) -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return payload;
        });
        try (StateMachineRunner runner = Asl.runner(ONE_TASK, invoker, new FakeSleeper())) {
            Execution execution = runner.start("to-stop", json("{}"));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

            assertThat(runner.stop("to-stop")).isTrue();

            assertThat(execution.await(Duration.ofSeconds(5))).isEqualTo(ExecutionStatus.ABORTED);
            assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the running function was interrupted").isTrue();
            assertThat(runner.stop("to-stop")).isFalse();
            assertThat(execution.history()).extracting(HistoryEvent::type).last().isEqualTo("ExecutionAborted");
        }
    }

    @Test
    void invalidExecutionNamesAreRefused() {
        try (StateMachineRunner runner = Asl.runner(ONE_TASK, new FakeInvoker(), new FakeSleeper())) {
            assertThatThrownBy(() -> runner.start("has space", json("{}"))).hasMessageContaining("InvalidName");
            assertThatThrownBy(() -> runner.start("a:b", json("{}"))).hasMessageContaining("InvalidName");
        }
    }

    @Test
    void executionHandleReportsOutputAndHistory() throws Exception {
        FakeInvoker invoker = new FakeInvoker().on("f", (payload, call) -> node("{'r': 1}"));
        try (StateMachineRunner runner = Asl.runner(ONE_TASK, invoker, new FakeSleeper())) {
            Execution execution = runner.start("ok", "{}");

            assertThat(execution.await(Duration.ofSeconds(5))).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(execution.output()).contains(node("{'r': 1}"));
            assertThat(execution.error()).isEmpty();
            assertThat(runner.execution("ok")).containsSame(execution);
            assertThat(execution.history()).extracting(HistoryEvent::id).startsWith(1L, 2L, 3L);
        }
    }
}
