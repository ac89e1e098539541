package io.reel.devserver.states;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import java.time.Clock;
import java.time.Duration;

/** Test helpers: JSON written with single quotes, and running a definition to completion. */
final class Asl {
    static final String MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:Pipeline";

    private Asl() {
    }

    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"').replace('~', '\'');
    }

    static JsonNode node(String singleQuoted) {
        try {
            return Json.mapper().readTree(json(singleQuoted));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String fn(String name) {
        return "arn:aws:lambda:us-east-1:123456789012:function:" + name;
    }

    static StateMachineRunner runner(String definition, TaskInvoker invoker, Sleeper sleeper) {
        return new StateMachineRunner(StateMachine.parse(json(definition)), MACHINE_ARN, invoker, sleeper,
                Clock.systemUTC(), StateMachineRunner.DEFAULT_TASK_SLOTS);
    }

    /** Runs to completion (or fails the test after 10 s). */
    static Execution run(String definition, String input, TaskInvoker invoker, Sleeper sleeper) {
        StateMachineRunner runner = runner(definition, invoker, sleeper);
        Execution execution = runner.start("test", json(input));
        try {
            if (execution.await(Duration.ofSeconds(10)) == ExecutionStatus.RUNNING) {
                throw new AssertionError("still running after 10 s: " + execution.history());
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            runner.close();
        }
        return execution;
    }

    static Execution run(String definition, String input, TaskInvoker invoker) {
        return run(definition, input, invoker, new FakeSleeper());
    }

    static Execution run(String definition, String input) {
        return run(definition, input, new FakeInvoker(), new FakeSleeper());
    }
}
