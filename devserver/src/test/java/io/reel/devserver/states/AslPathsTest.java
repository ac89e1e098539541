package io.reel.devserver.states;

import static io.reel.devserver.states.Asl.node;
import static io.reel.devserver.states.Asl.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AslPathsTest {

    private static Execution pass(String fields, String input) {
        return run("{'StartAt': 'P', 'States': {'P': {'Type': 'Pass', " + fields + ", 'End': true}}}", input);
    }

    @Test
    void inputPathParametersResultPathOutputPath() {
        Execution e = pass("'InputPath': '$.order', 'Parameters': {'id.$': '$.id', 'first.$': '$.items[0]', "
                + "'named.$': '$[~weird key~]', 'fixed': 'x', 'nested': {'n.$': '$.id'}}, "
                + "'ResultPath': '$.order.params', 'OutputPath': '$.order'",
                "{'order': {'id': 7, 'items': ['a', 'b'], 'weird key': true}, 'other': 1}");

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        // ResultPath writes into the state's raw input, not the InputPath selection
        assertThat(e.output()).contains(node("{'id': 7, 'items': ['a', 'b'], 'weird key': true, "
                + "'params': {'id': 7, 'first': 'a', 'named': true, 'fixed': 'x', 'nested': {'n': 7}}}"));
    }

    @Test
    void resultPathCreatesMissingObjectsAndNullDiscardsTheResult() {
        assertThat(pass("'Result': {'r': 1}, 'ResultPath': '$.a.b.c'", "{'keep': true}").output())
                .contains(node("{'keep': true, 'a': {'b': {'c': {'r': 1}}}}"));
        assertThat(pass("'Result': {'r': 1}, 'ResultPath': null", "{'keep': true}").output())
                .contains(node("{'keep': true}"));
        assertThat(pass("'Result': {'r': 1}", "{'keep': true}").output()).contains(node("{'r': 1}"));
        assertThat(pass("'InputPath': null, 'OutputPath': null", "{'keep': true}").output()).contains(node("{}"));
    }

    @Test
    void resultPathOntoANonObjectFails() {
        Execution e = pass("'Result': 1, 'ResultPath': '$.a.b'", "{'a': 'text'}");

        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(e.error()).contains("States.ResultPathMatchFailure");
    }

    @Test
    void aPathThatMatchesNothingIsStatesRuntime() {
        Execution parameters = pass("'Parameters': {'x.$': '$.missing'}", "{'a': 1}");
        Execution inputPath = pass("'InputPath': '$.missing'", "{'a': 1}");
        Execution outputPath = pass("'OutputPath': '$.a[3]'", "{'a': [1]}");

        assertThat(parameters.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(parameters.error()).contains("States.Runtime");
        assertThat(parameters.cause().orElseThrow()).contains("$.missing", "x.$");
        assertThat(inputPath.error()).contains("States.Runtime");
        assertThat(outputPath.error()).contains("States.Runtime");
    }

    @Test
    void contextObject() {
        Execution e = pass("'Parameters': {'id.$': '$$.Execution.Id', 'name.$': '$$.Execution.Name', "
                + "'input.$': '$$.Execution.Input', 'state.$': '$$.State.Name', 'entered.$': '$$.State.EnteredTime', "
                + "'retries.$': '$$.State.RetryCount', 'machine.$': '$$.StateMachine.Name'}", "{'v': 1}");

        assertThat(e.output()).get().satisfies(out -> {
            assertThat(out.get("id").asText()).isEqualTo("arn:aws:states:us-east-1:123456789012:execution:Pipeline:test");
            assertThat(out.get("name").asText()).isEqualTo("test");
            assertThat(out.get("input")).isEqualTo(node("{'v': 1}"));
            assertThat(out.get("state").asText()).isEqualTo("P");
            assertThat(out.get("entered").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(out.get("retries").asInt()).isZero();
            assertThat(out.get("machine").asText()).isEqualTo("Pipeline");
        });
    }

    @Test
    void intrinsicFunctions() {
        Execution e = pass("'Parameters': {"
                + "'msg.$': 'States.Format(~chunk {} of {} \\\\{literal\\\\}~, $.i, $.n)', "
                + "'parsed.$': 'States.StringToJson($.text)', "
                + "'text.$': 'States.JsonToString($.obj)', "
                + "'arr.$': 'States.Array($.i, ~two~, States.MathAdd($.i, 2))', "
                + "'len.$': 'States.ArrayLength($.list)', "
                + "'sum.$': 'States.MathAdd($.n, -1)'}",
                "{'i': 1, 'n': 3, 'text': '{\\'a\\': [1]}', 'obj': {'b': true}, 'list': [1, 2, 3, 4]}");

        assertThat(e.status()).as("%s %s", e.error(), e.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.output()).contains(node("{'msg': 'chunk 1 of 3 {literal}', 'parsed': {'a': [1]}, "
                + "'text': '{\\'b\\':true}', 'arr': [1, 'two', 3], 'len': 4, 'sum': 2}"));
    }

    @Test
    void intrinsicFailureIsStatesIntrinsicFailure() {
        Execution e = pass("'Parameters': {'x.$': 'States.StringToJson($.t)'}", "{'t': 'not json'}");

        assertThat(e.error()).contains("States.IntrinsicFailure");
    }

    @Test
    void choiceRoutesOnComparisonsAndDefault() {
        String definition = "{'StartAt': 'C', 'States': {"
                + "'C': {'Type': 'Choice', 'Choices': ["
                + "  {'And': [{'Variable': '$.n', 'NumericGreaterThan': 10}, {'Not': {'Variable': '$.s', "
                + "'StringMatches': 'tmp-*'}}], 'Next': 'Big'},"
                + "  {'Variable': '$.n', 'NumericLessThanEqualsPath': '$.limit', 'Next': 'Small'},"
                + "  {'Variable': '$.flag', 'IsPresent': true, 'Next': 'Flag'}],"
                + " 'Default': 'Other'},"
                + "'Big': {'Type': 'Pass', 'Result': 'big', 'End': true},"
                + "'Small': {'Type': 'Pass', 'Result': 'small', 'End': true},"
                + "'Flag': {'Type': 'Pass', 'Result': 'flag', 'End': true},"
                + "'Other': {'Type': 'Pass', 'Result': 'other', 'End': true}}}";

        assertThat(run(definition, "{'n': 11, 's': 'final', 'limit': 0}").output()).contains(node("'big'"));
        assertThat(run(definition, "{'n': 11, 's': 'tmp-1', 'limit': 20}").output()).contains(node("'small'"));
        assertThat(run(definition, "{'n': 11, 's': 'tmp-1', 'limit': 0, 'flag': 1}").output()).contains(node("'flag'"));
        assertThat(run(definition, "{'n': 11, 's': 'tmp-1', 'limit': 0}").output()).contains(node("'other'"));
    }

    @Test
    void choiceWithoutMatchOrDefaultFailsWithNoChoiceMatched() {
        Execution e = run("{'StartAt': 'C', 'States': {'C': {'Type': 'Choice', 'Choices': [{'Variable': '$.a', "
                + "'BooleanEquals': true, 'Next': 'S'}]}, 'S': {'Type': 'Succeed'}}}", "{'a': false}");

        assertThat(e.error()).contains("States.NoChoiceMatched");
    }

    @Test
    void waitUsesTheSleeper() {
        FakeSleeper sleeper = new FakeSleeper();
        Execution e = run("{'StartAt': 'W', 'States': {'W': {'Type': 'Wait', 'SecondsPath': '$.s', 'Next': 'X'}, "
                + "'X': {'Type': 'Wait', 'Seconds': 3, 'End': true}}}", "{'s': 5}", new FakeInvoker(), sleeper);

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(sleeper.sleeps).containsExactly(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(3));
    }

    @Test
    void succeedAndFail() {
        assertThat(run("{'StartAt': 'S', 'States': {'S': {'Type': 'Succeed', 'OutputPath': '$.a'}}}", "{'a': [1]}")
                .output()).contains(node("[1]"));
        Execution failed = run("{'StartAt': 'F', 'States': {'F': {'Type': 'Fail', 'Error': 'Bad', 'Cause': 'why'}}}", "{}");
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.error()).contains("Bad");
        assertThat(failed.cause()).contains("why");
        Execution fromPaths = run("{'StartAt': 'F', 'States': {'F': {'Type': 'Fail', 'ErrorPath': '$.e', "
                + "'CausePath': '$.c'}}}", "{'e': 'E1', 'c': 'C1'}");
        assertThat(fromPaths.error()).contains("E1");
        assertThat(fromPaths.cause()).contains("C1");
    }
}
