package io.reel.devserver.states;

import static io.reel.devserver.states.Asl.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AslParseTest {

    private static void refused(String definition, String... fragments) {
        assertThatThrownBy(() -> StateMachine.parse(json(definition)))
                .isInstanceOf(InvalidDefinitionException.class)
                .message().contains(fragments);
    }

    @Test
    void parse_acceptsEveryStateType() {
        StateMachine machine = StateMachine.parse(json("""
                {'Comment': 'all', 'StartAt': 'P', 'TimeoutSeconds': 60, 'Version': '1.0', 'States': {
                  'P': {'Type': 'Pass', 'Result': 1, 'ResultPath': '$.r', 'Next': 'C'},
                  'C': {'Type': 'Choice', 'Choices': [{'Variable': '$.r', 'NumericEquals': 1, 'Next': 'W'}],
                        'Default': 'F'},
                  'W': {'Type': 'Wait', 'Seconds': 1, 'Next': 'T'},
                  'T': {'Type': 'Task', 'Resource': 'arn:aws:lambda:us-east-1:123456789012:function:f:live',
                        'TimeoutSeconds': 5, 'Next': 'Par'},
                  'Par': {'Type': 'Parallel', 'Branches': [{'StartAt': 'B', 'States': {'B': {'Type': 'Succeed'}}}],
                          'Next': 'M'},
                  'M': {'Type': 'Map', 'ItemsPath': '$.items', 'MaxConcurrency': 2,
                        'ItemProcessor': {'ProcessorConfig': {'Mode': 'DISTRIBUTED', 'ExecutionType': 'STANDARD'},
                                          'StartAt': 'I', 'States': {'I': {'Type': 'Pass', 'End': true}}},
                        'Next': 'LM'},
                  'LM': {'Type': 'Map', 'Parameters': {'v.$': '$$.Map.Item.Value'},
                         'Iterator': {'StartAt': 'I2', 'States': {'I2': {'Type': 'Pass', 'End': true}}}, 'Next': 'S'},
                  'S': {'Type': 'Succeed'},
                  'F': {'Type': 'Fail', 'Error': 'E', 'Cause': 'C'}
                }}"""));

        assertThat(machine.startAt()).isEqualTo("P");
        assertThat(machine.timeoutSeconds()).contains(60);
    }

    @Test
    void parse_refusesAnUnknownField() {
        refused("{'StartAt': 'A', 'States': {'A': {'Type': 'Pass', 'Nxt': 'B', 'End': true}}}",
                "State 'A': field 'Nxt' is not a field of a Pass state");
        refused("{'StartAt': 'A', 'Extra': 1, 'States': {'A': {'Type': 'Succeed'}}}",
                "The state machine: field 'Extra'");
        refused("{'StartAt': 'A', 'States': {'A': {'Type': 'Task', 'Resource': '" + Asl.fn("f") + "', 'End': true,"
                + " 'Retry': [{'ErrorEquals': ['X'], 'Backoff': 2}]}}}", "State 'A' Retry[0]: field 'Backoff'");
    }

    @Test
    void parse_refusesUnsupportedFeaturesNamingStateAndField() {
        refused("{'StartAt': 'Encode', 'States': {'Encode': {'Type': 'Map', 'ItemReader': {}, "
                + "'ItemProcessor': {'StartAt': 'I', 'States': {'I': {'Type': 'Succeed'}}}, 'End': true}}}",
                "State 'Encode': field 'ItemReader' (Distributed Map reading from S3) is not supported locally.");
        refused("{'StartAt': 'T', 'States': {'T': {'Type': 'Task', 'Resource': '" + Asl.fn("f") + "', "
                + "'HeartbeatSeconds': 10, 'End': true}}}", "State 'T': field 'HeartbeatSeconds'", "not supported locally");
        refused("{'StartAt': 'W', 'States': {'W': {'Type': 'Wait', 'Timestamp': '2030-01-01T00:00:00Z', 'End': true}}}",
                "State 'W': field 'Timestamp'");
        refused("{'StartAt': 'T', 'States': {'T': {'Type': 'Task', 'Resource': 'arn:aws:states:::sqs:sendMessage', "
                + "'End': true}}}", "State 'T': field 'Resource'", "only a Lambda function ARN");
        refused("{'StartAt': 'T', 'States': {'T': {'Type': 'Task', "
                + "'Resource': 'arn:aws:states:::lambda:invoke.waitForTaskToken', 'End': true}}}", ".waitForTaskToken");
        refused("{'StartAt': 'P', 'States': {'P': {'Type': 'Pass', 'Parameters': {'id.$': 'States.UUID()'}, "
                + "'End': true}}}", "State 'P': field 'Parameters'", "States.UUID", "not supported locally");
        refused("{'StartAt': 'P', 'States': {'P': {'Type': 'Pass', 'InputPath': '$..a', 'End': true}}}",
                "State 'P': field 'InputPath'", "outside the supported JSONPath subset");
        refused("{'QueryLanguage': 'JSONata', 'StartAt': 'P', 'States': {'P': {'Type': 'Succeed'}}}", "QueryLanguage");
        refused("{'StartAt': 'M', 'States': {'M': {'Type': 'Map', 'ItemProcessor': {'ProcessorConfig': "
                + "{'Mode': 'DISTRIBUTED', 'ExecutionType': 'EXPRESS'}, 'StartAt': 'I', 'States': "
                + "{'I': {'Type': 'Succeed'}}}, 'End': true}}}", "field 'ExecutionType'");
    }

    @Test
    void parse_refusesADanglingTransition() {
        refused("{'StartAt': 'A', 'States': {'A': {'Type': 'Pass', 'Next': 'B'}}}",
                "State 'A': field 'Next' names 'B', which is not a state of the state machine.");
        refused("{'StartAt': 'Z', 'States': {'A': {'Type': 'Succeed'}}}", "field 'StartAt' names 'Z'");
        refused("{'StartAt': 'C', 'States': {'C': {'Type': 'Choice', 'Choices': [{'Variable': '$.a', "
                + "'IsPresent': true, 'Next': 'A'}], 'Default': 'Nope'}, 'A': {'Type': 'Succeed'}}}",
                "field 'Default' names 'Nope'");
        // a branch cannot jump out of its scope
        refused("{'StartAt': 'P', 'States': {'P': {'Type': 'Parallel', 'Branches': [{'StartAt': 'B', 'States': "
                + "{'B': {'Type': 'Pass', 'Next': 'Done'}}}], 'Next': 'Done'}, 'Done': {'Type': 'Succeed'}}}",
                "State 'B': field 'Next' names 'Done', which is not a state in State 'P' Branches[0]");
    }

    @Test
    void parse_requiresNextOrEndAndReachability() {
        refused("{'StartAt': 'A', 'States': {'A': {'Type': 'Pass'}}}", "State 'A' has neither Next nor");
        refused("{'StartAt': 'A', 'States': {'A': {'Type': 'Pass', 'Next': 'B', 'End': true}, 'B': {'Type': 'Succeed'}}}",
                "both Next and End");
        refused("{'StartAt': 'A', 'States': {'A': {'Type': 'Succeed'}, 'B': {'Type': 'Succeed'}}}",
                "State 'B' is not reachable");
    }

    @Test
    void parse_requiresStatesAllAloneAndLast() {
        String task = "{'StartAt': 'T', 'States': {'T': {'Type': 'Task', 'Resource': '" + Asl.fn("f") + "', "
                + "'End': true, %s}, 'H': {'Type': 'Succeed'}}}";
        refused(task.formatted("'Catch': [{'ErrorEquals': ['States.ALL'], 'Next': 'H'}, "
                + "{'ErrorEquals': ['X'], 'Next': 'H'}]"), "State 'T' Catch[0]: field 'ErrorEquals' has States.ALL");
        refused(task.formatted("'Retry': [{'ErrorEquals': ['States.ALL', 'X']}], 'Catch': [{'ErrorEquals': "
                + "['X'], 'Next': 'H'}]"), "State 'T' Retry[0]", "must appear alone");
        StateMachine.parse(json(task.formatted("'Catch': [{'ErrorEquals': ['X'], 'Next': 'H'}, "
                + "{'ErrorEquals': ['States.ALL'], 'Next': 'H'}]")));
    }

    @Test
    void parse_refusesDuplicateStateNamesAcrossBranches() {
        refused("{'StartAt': 'P', 'States': {'P': {'Type': 'Parallel', 'Branches': [{'StartAt': 'P', 'States': "
                + "{'P': {'Type': 'Succeed'}}}], 'End': true}}}", "State 'P' is defined twice");
    }

    @Test
    void parse_refusesBadRetryValues() {
        refused("{'StartAt': 'T', 'States': {'T': {'Type': 'Task', 'Resource': '" + Asl.fn("f") + "', 'End': true, "
                + "'Retry': [{'ErrorEquals': ['X'], 'BackoffRate': 0.5}]}}}", "field 'BackoffRate'");
        refused("{'StartAt': 'T', 'States': {'T': {'Type': 'Task', 'Resource': '" + Asl.fn("f") + "', 'End': true, "
                + "'Retry': [{'ErrorEquals': ['X'], 'JitterStrategy': 'SOME'}]}}}", "field 'JitterStrategy'");
    }
}
