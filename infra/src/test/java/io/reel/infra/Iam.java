package io.reel.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Enough of IAM's policy evaluation to say whether a role may make a call: an explicit Deny wins, else any Allow
 * whose actions, resources and conditions match (IAM's {@code *} and {@code ?} wildcards; actions case-insensitive).
 * Conditions are evaluated against the request context given (aws:PrincipalArn, aws:SecureTransport, kms:ViaService,
 * kms:CallerAccount): the String, Arn and Bool operators, with IAM's rule that a key missing from the context fails
 * the condition unless the operator ends in IfExists. An operator this does not know fails the check loudly.
 */
final class Iam {
    private Iam() {
    }

    record Statement(String source, String effect, List<String> actions, List<String> notActions,
                     List<String> resources, List<String> notResources, Object principal, Object condition) {
        boolean allows() {
            return effect.equals("Allow");
        }

        boolean covers(String action, String resource, Map<String, String> context) {
            return covers(action, resource) && conditionsHold(condition, context, source);
        }

        boolean covers(String action, String resource) {
            boolean actionMatches = notActions.isEmpty()
                    ? actions.stream().anyMatch(a -> matches(a, action, true))
                    : notActions.stream().noneMatch(a -> matches(a, action, true));
            boolean resourceMatches = notResources.isEmpty()
                    ? resources.stream().anyMatch(r -> matches(r, resource, false))
                    : notResources.stream().noneMatch(r -> matches(r, resource, false));
            return actionMatches && resourceMatches;
        }

        /** Principals named under {@code AWS} (bucket and key policies). */
        List<String> awsPrincipals() {
            if (principal instanceof Map<?, ?> map) {
                return Repo.list(map.get("AWS"));
            }
            return principal == null ? List.of() : Repo.list(principal);
        }
    }

    /** The statements of a list of {@code {PolicyName, PolicyDocument}} (a role's Policies). */
    static List<Statement> statements(Object policies, String owner) {
        List<Statement> out = new ArrayList<>();
        if (!(policies instanceof List<?> list)) {
            return out;
        }
        for (Object policy : list) {
            if (!(policy instanceof Map<?, ?> map) || !(map.get("PolicyDocument") instanceof Map<?, ?> document)) {
                continue;
            }
            String source = owner + "/" + map.get("PolicyName");
            Object raw = document.get("Statement");
            List<?> statements = raw instanceof List<?> l ? l : List.of(raw);
            int index = 0;
            for (Object s : statements) {
                if (s instanceof Map<?, ?> statement) {
                    out.add(statement(statement, source + "#" + (statement.get("Sid") != null ? statement.get("Sid") : index)));
                }
                index++;
            }
        }
        return out;
    }

    static Statement statement(Map<?, ?> s, String source) {
        return new Statement(source, String.valueOf(s.get("Effect")), Repo.list(s.get("Action")),
                Repo.list(s.get("NotAction")), Repo.list(s.get("Resource")), Repo.list(s.get("NotResource")),
                s.get("Principal"), s.get("Condition"));
    }

    static boolean conditionsHold(Object condition, Map<String, String> context, String source) {
        if (!(condition instanceof Map<?, ?> operators)) {
            return true;
        }
        for (var entry : operators.entrySet()) {
            String operator = String.valueOf(entry.getKey());
            boolean ifExists = operator.endsWith("IfExists");
            String base = ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
            if (!(entry.getValue() instanceof Map<?, ?> keys)) {
                throw new IllegalStateException(source + ": condition " + operator + " is not a map of keys");
            }
            for (var key : keys.entrySet()) {
                String value = context.get(String.valueOf(key.getKey()));
                List<String> wanted = Repo.list(key.getValue());
                if (value == null) {
                    if (!ifExists) {
                        return false;
                    }
                    continue;
                }
                boolean holds = switch (base) {
                    case "StringEquals", "ArnEquals" -> wanted.contains(value);
                    case "StringEqualsIgnoreCase" -> wanted.stream().anyMatch(value::equalsIgnoreCase);
                    case "StringNotEquals", "ArnNotEquals" -> !wanted.contains(value);
                    case "StringLike", "ArnLike" -> wanted.stream().anyMatch(w -> matches(w, value, false));
                    case "StringNotLike", "ArnNotLike" -> wanted.stream().noneMatch(w -> matches(w, value, false));
                    case "Bool" -> wanted.stream().anyMatch(w -> w.equalsIgnoreCase(value));
                    default -> throw new IllegalStateException(source + ": condition operator " + operator
                            + " is not evaluated by this check; teach Iam.conditionsHold it");
                };
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether an explicit Deny among {@code statements} covers the request. */
    static boolean denied(List<Statement> statements, String action, String resource, Map<String, String> context) {
        return statements.stream().anyMatch(s -> !s.allows() && s.covers(action, resource, context));
    }

    /** Whether {@code statements} let their principal make {@code action} on {@code resource}. */
    static boolean allowed(List<Statement> statements, String action, String resource, Map<String, String> context) {
        return !denied(statements, action, resource, context)
                && statements.stream().anyMatch(s -> s.allows() && s.covers(action, resource, context));
    }

    static boolean matches(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern compiled = ignoreCase ? Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL)
                : Pattern.compile(regex.toString(), Pattern.DOTALL);
        return compiled.matcher(ignoreCase ? value.toLowerCase(Locale.ROOT) : value).matches();
    }

    /** An action on everything: {@code *} or {@code service:*} (or NotAction) on Resource {@code *}. */
    static boolean isWildcardOnWildcard(Statement s) {
        boolean anyAction = !s.notActions().isEmpty() || s.actions().stream().anyMatch(a -> a.equals("*") || a.endsWith(":*"));
        boolean anyResource = !s.notResources().isEmpty() || s.resources().contains("*");
        return s.allows() && anyAction && anyResource;
    }
}
