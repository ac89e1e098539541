package io.reel.devserver.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates an authorizer's IAM policy against a request's method ARN as API Gateway does: an explicit Deny wins,
 * otherwise an Allow is needed; {@code *} and {@code ?} are wildcards in resources and actions.
 */
public final class PolicyEvaluator {
    /** The outcome of a policy for one method ARN. */
    public enum Decision { ALLOW, EXPLICIT_DENY, NOT_ALLOWED }

    private PolicyEvaluator() {
    }

    public static Decision evaluate(JsonNode policyDocument, String methodArn) {
        boolean allowed = false;
        for (JsonNode statement : list(policyDocument == null ? null : policyDocument.get("Statement"))) {
            if (!matchesAny(list(statement.get("Action")), "execute-api:Invoke")
                    || !matchesAny(list(statement.get("Resource")), methodArn)) {
                continue;
            }
            String effect = statement.path("Effect").asText();
            if ("Deny".equalsIgnoreCase(effect)) {
                return Decision.EXPLICIT_DENY;
            }
            allowed |= "Allow".equalsIgnoreCase(effect);
        }
        return allowed ? Decision.ALLOW : Decision.NOT_ALLOWED;
    }

    private static boolean matchesAny(List<JsonNode> patterns, String value) {
        return patterns.stream().anyMatch(p -> p.isTextual() && globMatches(p.asText(), value));
    }

    /** {@code *} matches any run of characters (slashes included), {@code ?} any one character. */
    static boolean globMatches(String pattern, String value) {
        int p = 0;
        int v = 0;
        int star = -1;
        int resume = 0;
        while (v < value.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))) {
                p++;
                v++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = v;
            } else if (star >= 0) {
                p = star + 1;
                v = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        if (node == null || node.isNull() || node.isMissingNode()) {
            return items;
        }
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        return items;
    }
}
