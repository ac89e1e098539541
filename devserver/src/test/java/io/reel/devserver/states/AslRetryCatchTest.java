package io.reel.devserver.states;

import static io.reel.devserver.states.Asl.fn;
import static io.reel.devserver.states.Asl.node;
import static io.reel.devserver.states.Asl.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AslRetryCatchTest {

    private static FakeInvoker failingTimes(int failures, String error) {
        return new FakeInvoker().on("f", (payload, call) -> {
            if (call <= failures) {
                throw new TaskFailure(error, "attempt " + call);
            }
            return node("{'ok': " + call + "}");
        });
    }

    private static String task(String retryAndCatch) {
        // AWS rejects unreachable states, so Handled exists only when a catcher leads to it
        String handled = retryAndCatch.contains("'Handled'") ? ", 'Handled': {'Type': 'Pass', 'End': true}" : "";
        return "{'StartAt': 'T', 'States': {'T': {'Type': 'Task', 'Resource': '" + fn("f") + "', " + retryAndCatch
                + ", 'End': true}" + handled + "}}";
    }

    @Test
    void retryBacksOffExponentially() {
        FakeSleeper sleeper = new FakeSleeper();
        FakeInvoker invoker = failingTimes(3, "Transient");
        Execution e = run(task("'Retry': [{'ErrorEquals': ['Transient'], 'IntervalSeconds': 1, 'MaxAttempts': 3, "
                + "'BackoffRate': 2}]"), "{}", invoker, sleeper);

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.output()).contains(node("{'ok': 4}"));
        assertThat(invoker.callsTo("f")).isEqualTo(4);
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void retryGivesUpAfterMaxAttemptsAndUsesDefaults() {
        FakeSleeper sleeper = new FakeSleeper();
        FakeInvoker invoker = failingTimes(10, "Transient");
        // defaults: IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0
        Execution e = run(task("'Retry': [{'ErrorEquals': ['States.ALL']}]"), "{}", invoker, sleeper);

        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(e.error()).contains("Transient");
        assertThat(e.cause()).contains("attempt 4");
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void maxDelaySecondsCapsTheBackoff() {
        FakeSleeper sleeper = new FakeSleeper();
        Execution e = run(task("'Retry': [{'ErrorEquals': ['X'], 'IntervalSeconds': 3, 'MaxAttempts': 5, "
                + "'BackoffRate': 3, 'MaxDelaySeconds': 20}]"), "{}", failingTimes(5, "X"), sleeper);

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(9),
                Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20));
    }

    @Test
    void fullJitterStaysBetweenZeroAndTheBackoff() {
        State.Retrier retrier = new State.Retrier(List.of("X"), 2, 3, 2.0, null, true);
        for (int i = 0; i < 200; i++) {
            assertThat(Interpreter.retryDelay(retrier, 2)).isBetween(Duration.ZERO, Duration.ofSeconds(8));
        }
        assertThat(Interpreter.retryDelay(new State.Retrier(List.of("X"), 2, 3, 1.5, null, false), 2))
                .isEqualTo(Duration.ofMillis(4500));
    }

    @Test
    void onlyTheFirstMatchingRetrierCountsAndRetryCountIsInTheContext() {
        FakeSleeper sleeper = new FakeSleeper();
        FakeInvoker invoker = new FakeInvoker().on("f", (payload, call) -> {
            if (call <= 2) {
                throw new TaskFailure("A", "a");
            }
            return payload;
        });
        Execution e = run("{'StartAt': 'T', 'States': {'T': {'Type': 'Task', 'Resource': '" + fn("f") + "', "
                + "'Parameters': {'retries.$': '$$.State.RetryCount'}, "
                + "'Retry': [{'ErrorEquals': ['A'], 'MaxAttempts': 1}, {'ErrorEquals': ['States.ALL'], 'MaxAttempts': 5}], "
                + "'End': true}}}", "{}", invoker, sleeper);

        // the first retrier matches 'A' and allows one retry; the catch-all after it is not consulted
        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(invoker.calls).extracting(c -> c.payload().get("retries").asInt()).containsExactly(0, 1);
    }

    @Test
    void maxAttemptsZeroNeverRetries() {
        FakeInvoker invoker = failingTimes(1, "X");
        Execution e = run(task("'Retry': [{'ErrorEquals': ['X'], 'MaxAttempts': 0}]"), "{}", invoker);

        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(invoker.callsTo("f")).isEqualTo(1);
    }

    @Test
    void catchRoutesWithTheErrorOutputAtResultPath() {
        Execution e = run(task("'Catch': [{'ErrorEquals': ['Other'], 'Next': 'Wrong'}, "
                + "{'ErrorEquals': ['States.TaskFailed'], 'ResultPath': '$.failure', 'Next': 'Handled'}]")
                .replace("'Handled': {", "'Wrong': {'Type': 'Fail'}, 'Handled': {"),
                "{'video': 'v1'}", failingTimes(9, "java.lang.IllegalStateException"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.output()).contains(node("{'video': 'v1', 'failure': {'Error': "
                + "'java.lang.IllegalStateException', 'Cause': 'attempt 1'}}"));
        assertThat(e.history()).extracting(HistoryEvent::stateName).contains("Handled").doesNotContain("Wrong");
    }

    @Test
    void catchWithoutResultPathReplacesTheInputWithTheErrorOutput() {
        Execution e = run(task("'Catch': [{'ErrorEquals': ['States.ALL'], 'Next': 'Handled'}]"), "{'video': 'v1'}",
                failingTimes(9, "Boom"));

        assertThat(e.output()).contains(node("{'Error': 'Boom', 'Cause': 'attempt 1'}"));
    }

    @Test
    void retryThenCatch() {
        FakeSleeper sleeper = new FakeSleeper();
        FakeInvoker invoker = failingTimes(9, "Boom");
        Execution e = run(task("'Retry': [{'ErrorEquals': ['Boom'], 'MaxAttempts': 2}], "
                + "'Catch': [{'ErrorEquals': ['States.ALL'], 'ResultPath': null, 'Next': 'Handled'}]"),
                "{'video': 'v1'}", invoker, sleeper);

        assertThat(e.output()).contains(node("{'video': 'v1'}"));
        assertThat(invoker.callsTo("f")).isEqualTo(3);
        assertThat(sleeper.sleeps).hasSize(2);
    }

    @Test
    void statesRuntimeIsNeitherRetriedNorCaught() {
        FakeInvoker invoker = failingTimes(0, "unused");
        Execution e = run("{'StartAt': 'T', 'States': {'T': {'Type': 'Task', 'Resource': '" + fn("f") + "', "
                + "'InputPath': '$.missing', 'Retry': [{'ErrorEquals': ['States.ALL']}], "
                + "'Catch': [{'ErrorEquals': ['States.ALL'], 'Next': 'H'}], 'End': true}, "
                + "'H': {'Type': 'Succeed'}}}", "{}", invoker);

        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(e.error()).contains("States.Runtime");
        assertThat(invoker.calls).isEmpty();
    }
}
