package io.reel.devserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import io.reel.devserver.gateway.PolicyEvaluator.Decision;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {
    private static final String ARN = "arn:aws:execute-api:us-east-1:000000000000:Api/prod/GET/videos/v1";

    @Test
    void allow_withWildcards_matches() throws Exception {
        assertThat(evaluate(statementJson("Allow", "arn:aws:execute-api:us-east-1:000000000000:Api/prod/*"))).isEqualTo(Decision.ALLOW);
        assertThat(evaluate(statementJson("Allow", "arn:aws:execute-api:*:*:Api/prod/GET/videos/*"))).isEqualTo(Decision.ALLOW);
        assertThat(evaluate(statementJson("Allow", "arn:aws:execute-api:us-east-1:000000000000:Api/prod/GET/videos/v?"))).isEqualTo(Decision.ALLOW);
    }

    @Test
    void allow_forAnotherMethodOrPath_isNotAllowed() throws Exception {
        assertThat(evaluate(statementJson("Allow", "arn:aws:execute-api:us-east-1:000000000000:Api/prod/POST/*"))).isEqualTo(Decision.NOT_ALLOWED);
        assertThat(evaluate(statementJson("Allow", "arn:aws:execute-api:us-east-1:000000000000:Api/prod/GET/videos"))).isEqualTo(Decision.NOT_ALLOWED);
    }

    @Test
    void explicitDeny_winsOverAllow() throws Exception {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statementJson("Allow", "*") + "," + statementJson("Deny", ARN) + "]}";

        assertThat(PolicyEvaluator.evaluate(Json.mapper().readTree(policy), ARN)).isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void otherActions_doNotGrantInvoke() throws Exception {
        String policy = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"execute-api:ManageConnections\",\"Resource\":\"*\"}}";

        assertThat(PolicyEvaluator.evaluate(Json.mapper().readTree(policy), ARN)).isEqualTo(Decision.NOT_ALLOWED);
    }

    @Test
    void emptyOrMissingPolicy_isNotAllowed() throws Exception {
        assertThat(PolicyEvaluator.evaluate(Json.mapper().readTree("{}"), ARN)).isEqualTo(Decision.NOT_ALLOWED);
        assertThat(PolicyEvaluator.evaluate(null, ARN)).isEqualTo(Decision.NOT_ALLOWED);
    }

    @Test
    void glob_handlesBacktracking() {
        assertThat(PolicyEvaluator.globMatches("a*b*c", "axxbyybzc")).isTrue();
        assertThat(PolicyEvaluator.globMatches("a*b*c", "axxbyy")).isFalse();
        assertThat(PolicyEvaluator.globMatches("*", "")).isTrue();
        assertThat(PolicyEvaluator.globMatches("?", "")).isFalse();
    }

    private static Decision evaluate(String statement) throws Exception {
        return PolicyEvaluator.evaluate(Json.mapper().readTree("{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}"), ARN);
    }

    private static String statementJson(String effect, String resource) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":\"execute-api:Invoke\",\"Resource\":[\"" + resource + "\"]}";
    }
}
