package io.reel.devserver.states;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns ASL JSON (JSONPath query language) into {@link State} records, validating as AWS does when a state machine
 * is created: every Next, Default and StartAt names a state of the same scope, every state is reachable, state
 * names are unique in the whole machine, every non-terminal state has exactly one of Next or End, States.ALL is
 * alone and last. Fields AWS has but this interpreter lacks are refused with what they are; unknown fields are
 * refused too. One instance parses one definition.
 */
final class DefinitionParser {
    private static final Pattern LAMBDA_ARN =
            Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?");
    private static final Pattern LAMBDA_INVOKE = Pattern.compile("arn:aws[a-z-]*:states:::lambda:invoke");
    private static final JsonPath ROOT = JsonPath.compile("$");

    private final Set<String> names = new HashSet<>();

    static StateMachine parse(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidDefinitionException("The definition is not valid JSON: " + e.getOriginalMessage());
        }
        Fields top = new Fields(root, "The state machine");
        String language = top.text("QueryLanguage", false);
        if (language != null && !language.equals("JSONPath")) {
            throw top.invalid("QueryLanguage", "is '" + language + "'; only JSONPath is supported locally");
        }
        top.text("Comment", false);
        String version = top.text("Version", false);
        if (version != null && !version.equals("1.0")) {
            throw top.invalid("Version", "must be \"1.0\"");
        }
        Integer timeout = top.integer("TimeoutSeconds", 1);
        State.Graph graph = new DefinitionParser().graph(top);
        top.done("a state machine");
        return new StateMachine(graph, timeout, json);
    }

    /** StartAt and States of a machine, branch or item processor, checked as one scope. */
    private State.Graph graph(Fields scope) {
        String startAt = scope.text("StartAt", true);
        JsonNode statesNode = scope.get("States");
        if (statesNode == null || !statesNode.isObject() || statesNode.isEmpty()) {
            throw scope.invalid("States", "must be a non-empty object of states");
        }
        Map<String, State> states = new LinkedHashMap<>();
        statesNode.properties().forEach(e -> states.put(e.getKey(), state(e.getKey(), e.getValue())));
        if (!states.containsKey(startAt)) {
            throw scope.invalid("StartAt", "names '" + startAt + "', which is not a state " + inScope(scope));
        }
        for (State state : states.values()) {
            for (Map.Entry<String, String> ref : references(state).entrySet()) {
                if (!states.containsKey(ref.getValue())) {
                    throw new InvalidDefinitionException("State '" + state.name() + "': field '" + ref.getKey()
                            + "' names '" + ref.getValue() + "', which is not a state " + inScope(scope) + ".");
                }
            }
        }
        Set<String> reached = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(startAt));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (reached.add(name)) {
                todo.addAll(references(states.get(name)).values());
            }
        }
        for (String name : states.keySet()) {
            if (!reached.contains(name)) {
                throw new InvalidDefinitionException("State '" + name + "' is not reachable from StartAt '" + startAt
                        + "' " + inScope(scope) + ".");
            }
        }
        return new State.Graph(startAt, Map.copyOf(states));
    }

    private static String inScope(Fields scope) {
        return scope.owner().equals("The state machine") ? "of the state machine" : "in " + scope.owner();
    }

    /** Field name (for the error sentence) to target state, for every transition out of a state. */
    private static Map<String, String> references(State state) {
        Map<String, String> refs = new LinkedHashMap<>();
        switch (state) {
            case State.Task t -> addTransitions(refs, t.next(), t.catchers());
            case State.Parallel p -> addTransitions(refs, p.next(), p.catchers());
            case State.Map m -> addTransitions(refs, m.next(), m.catchers());
            case State.Pass p -> addTransitions(refs, p.next(), List.of());
            case State.Wait w -> addTransitions(refs, w.next(), List.of());
            case State.Choice c -> {
                for (int i = 0; i < c.choices().size(); i++) {
                    refs.put("Choices[" + i + "].Next", c.choices().get(i).next());
                }
                if (c.defaultNext() != null) {
                    refs.put("Default", c.defaultNext());
                }
            }
            case State.Succeed s -> { }
            case State.Fail f -> { }
        }
        return refs;
    }

    private static void addTransitions(Map<String, String> refs, String next, List<State.Catcher> catchers) {
        if (next != null) {
            refs.put("Next", next);
        }
        for (int i = 0; i < catchers.size(); i++) {
            refs.put("Catch[" + i + "].Next", catchers.get(i).next());
        }
    }

    private State state(String name, JsonNode node) {
        Fields f = new Fields(node, "State '" + name + "'");
        if (!names.add(name)) {
            throw new InvalidDefinitionException(f.owner() + " is defined twice; state names must be unique in the "
                    + "whole state machine, branches and item processors included.");
        }
        String type = f.text("Type", true);
        f.text("Comment", false);
        f.unsupported("Assign", "workflow variables");
        f.unsupported("Arguments", "JSONata");
        f.unsupported("Output", "JSONata");
        String language = f.text("QueryLanguage", false);
        if (language != null && !language.equals("JSONPath")) {
            throw f.invalid("QueryLanguage", "is '" + language + "'; only JSONPath is supported locally");
        }
        State state = switch (type) {
            case "Task" -> task(name, f);
            case "Pass" -> new State.Pass(name, io(f, true, false, true), f.get("Result"), transition(f));
            case "Choice" -> choice(name, f);
            case "Wait" -> waitState(name, f);
            case "Succeed" -> new State.Succeed(name, io(f, false, false, false));
            case "Fail" -> fail(name, f);
            case "Parallel" -> parallel(name, f);
            case "Map" -> map(name, f);
            default -> throw f.invalid("Type", "is '" + type + "', which is not a state type");
        };
        f.done("a " + type + " state");
        return state;
    }

    private State.Task task(String name, Fields f) {
        f.unsupported("HeartbeatSeconds", "task heartbeats, which only activities and callbacks send");
        f.unsupported("HeartbeatSecondsPath", "task heartbeats");
        f.unsupported("TimeoutSecondsPath", "a timeout read from the input");
        f.unsupported("Credentials", "cross-account task credentials");
        String resource = f.text("Resource", true);
        State.Io io = io(f, true, true, true);
        State.Integration integration;
        if (LAMBDA_ARN.matcher(resource).matches()) {
            integration = State.Integration.LAMBDA_ARN;
        } else if (LAMBDA_INVOKE.matcher(resource).matches()) {
            integration = State.Integration.LAMBDA_INVOKE;
            checkInvokeParameters(f, io.parameters());
        } else if (resource.contains(":states:::") && (resource.endsWith(".sync") || resource.endsWith(".waitForTaskToken")
                || resource.contains(".sync:"))) {
            throw f.invalid("Resource", "is '" + resource + "'; the .sync and .waitForTaskToken integration patterns "
                    + "are not supported locally");
        } else {
            throw f.invalid("Resource", "is '" + resource + "'; only a Lambda function ARN or "
                    + "arn:aws:states:::lambda:invoke is supported locally");
        }
        Integer timeout = f.integer("TimeoutSeconds", 1);
        return new State.Task(name, io, integration, resource, timeout, retry(f), catchers(f), transition(f));
    }

    private static void checkInvokeParameters(Fields f, PayloadTemplate parameters) {
        if (parameters == null || !parameters.template().isObject()) {
            throw f.invalid("Parameters", "must be an object with FunctionName for arn:aws:states:::lambda:invoke");
        }
        JsonNode template = parameters.template();
        if (!template.has("FunctionName") && !template.has("FunctionName.$")) {
            throw f.invalid("Parameters", "must have FunctionName for arn:aws:states:::lambda:invoke");
        }
        template.fieldNames().forEachRemaining(key -> {
            String bare = key.endsWith(".$") ? key.substring(0, key.length() - 2) : key;
            if (bare.equals("InvocationType")) {
                JsonNode value = template.get(key);
                if (!value.isTextual() || !value.asText().equals("RequestResponse") || key.endsWith(".$")) {
                    throw new InvalidDefinitionException(f.owner() + ": field 'Parameters.InvocationType' (only "
                            + "RequestResponse, a synchronous invocation) is not supported locally otherwise.");
                }
            } else if (!Set.of("FunctionName", "Payload", "Qualifier").contains(bare)) {
                throw new InvalidDefinitionException(f.owner() + ": field 'Parameters." + key + "' is not supported "
                        + "locally for lambda:invoke (FunctionName, Payload, Qualifier, InvocationType are).");
            }
        });
    }

    private State.Choice choice(String name, Fields f) {
        State.Io io = io(f, false, false, false);
        JsonNode choices = f.get("Choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw f.invalid("Choices", "must be a non-empty array");
        }
        List<ChoiceRule> rules = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            Fields rule = new Fields(choices.get(i), f.owner() + " Choices[" + i + "]");
            rule.unsupported("Assign", "workflow variables");
            rule.unsupported("Condition", "JSONata");
            String next = rule.text("Next", true);
            rules.add(new ChoiceRule(condition(rule), next));
            rule.done("a choice rule");
        }
        return new State.Choice(name, io, List.copyOf(rules), f.text("Default", false));
    }

    private ChoiceRule.Condition condition(Fields rule) {
        if (rule.has("And") || rule.has("Or")) {
            String op = rule.has("And") ? "And" : "Or";
            JsonNode list = rule.get(op);
            if (!list.isArray() || list.isEmpty()) {
                throw rule.invalid(op, "must be a non-empty array of rules");
            }
            List<ChoiceRule.Condition> parts = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Fields inner = new Fields(list.get(i), rule.owner() + "." + op + "[" + i + "]");
                parts.add(condition(inner));
                inner.done("a nested choice rule");
            }
            return op.equals("And") ? ChoiceRule.and(parts) : ChoiceRule.or(parts);
        }
        if (rule.has("Not")) {
            Fields inner = new Fields(rule.get("Not"), rule.owner() + ".Not");
            ChoiceRule.Condition negated = condition(inner);
            inner.done("a nested choice rule");
            return ChoiceRule.not(negated);
        }
        JsonPath variable = path(rule, "Variable", true);
        for (String op : ChoiceRule.COMPARISONS) {
            if (rule.has(op)) {
                return ChoiceRule.compare(variable, op, rule.get(op), null);
            }
            if (rule.has(op + "Path")) {
                return ChoiceRule.compare(variable, op, null, path(rule, op + "Path", true));
            }
        }
        for (String op : ChoiceRule.TYPE_TESTS) {
            if (rule.has(op)) {
                JsonNode flag = rule.get(op);
                if (!flag.isBoolean()) {
                    throw rule.invalid(op, "must be true or false");
                }
                return ChoiceRule.compare(variable, op, flag, null);
            }
        }
        if (rule.has("StringMatches")) {
            return ChoiceRule.compare(variable, "StringMatches", rule.get("StringMatches"), null);
        }
        throw new InvalidDefinitionException(rule.owner() + " has no comparison operator this interpreter knows.");
    }

    private State.Wait waitState(String name, Fields f) {
        f.unsupported("Timestamp", "waiting until a timestamp");
        f.unsupported("TimestampPath", "waiting until a timestamp");
        State.Io io = io(f, false, false, false);
        Integer seconds = f.integer("Seconds", 0);
        JsonPath secondsPath = path(f, "SecondsPath", false);
        if ((seconds == null) == (secondsPath == null)) {
            throw new InvalidDefinitionException(f.owner() + " must have exactly one of Seconds and SecondsPath.");
        }
        return new State.Wait(name, io, seconds == null ? null : seconds.longValue(), secondsPath, transition(f));
    }

    private State.Fail fail(String name, Fields f) {
        String error = f.text("Error", false);
        String cause = f.text("Cause", false);
        JsonPath errorPath = path(f, "ErrorPath", false);
        JsonPath causePath = path(f, "CausePath", false);
        if (error != null && errorPath != null || cause != null && causePath != null) {
            throw new InvalidDefinitionException(f.owner() + " may have Error or ErrorPath, and Cause or CausePath, "
                    + "not both of a pair.");
        }
        return new State.Fail(name, error, cause, errorPath, causePath);
    }

    private State.Parallel parallel(String name, Fields f) {
        State.Io io = io(f, true, true, true);
        JsonNode branches = f.get("Branches");
        if (branches == null || !branches.isArray() || branches.isEmpty()) {
            throw f.invalid("Branches", "must be a non-empty array");
        }
        List<State.Graph> graphs = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            Fields branch = new Fields(branches.get(i), f.owner() + " Branches[" + i + "]");
            branch.text("Comment", false);
            graphs.add(graph(branch));
            branch.done("a branch");
        }
        return new State.Parallel(name, io, List.copyOf(graphs), retry(f), catchers(f), transition(f));
    }

    private State.Map map(String name, Fields f) {
        f.unsupported("ItemReader", "Distributed Map reading from S3");
        f.unsupported("ResultWriter", "Distributed Map writing its results to S3");
        f.unsupported("ItemBatcher", "Distributed Map batching items");
        f.unsupported("ToleratedFailurePercentage", "a tolerated failure threshold");
        f.unsupported("ToleratedFailurePercentagePath", "a tolerated failure threshold");
        f.unsupported("ToleratedFailureCount", "a tolerated failure threshold");
        f.unsupported("ToleratedFailureCountPath", "a tolerated failure threshold");
        f.unsupported("MaxConcurrencyPath", "concurrency read from the input");
        f.unsupported("Label", "a Distributed Map run label");
        if (f.has("ItemSelector") && f.has("Parameters")) {
            throw new InvalidDefinitionException(f.owner() + " may have ItemSelector or the legacy Parameters, not both.");
        }
        PayloadTemplate itemSelector = template(f, f.has("ItemSelector") ? "ItemSelector" : "Parameters");
        State.Io io = io(f, false, true, true);
        JsonPath itemsPath = f.has("ItemsPath") ? path(f, "ItemsPath", true) : ROOT;
        if (f.has("ItemProcessor") == f.has("Iterator")) {
            throw new InvalidDefinitionException(f.owner() + " must have exactly one of ItemProcessor and the legacy "
                    + "Iterator.");
        }
        String field = f.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
        Fields processor = new Fields(f.get(field), f.owner() + " " + field);
        if (field.equals("ItemProcessor")) {
            processorConfig(processor);
        }
        processor.text("Comment", false);
        State.Graph graph = graph(processor);
        processor.done("an item processor");
        Integer max = f.integer("MaxConcurrency", 0);
        return new State.Map(name, io, itemsPath, itemSelector, graph, max == null ? 0 : max, retry(f), catchers(f),
                transition(f));
    }

    /** INLINE, or DISTRIBUTED/STANDARD without its S3 fields: both run inline here (see {@link StateMachine}). */
    private static void processorConfig(Fields processor) {
        JsonNode config = processor.get("ProcessorConfig");
        if (config == null) {
            return;
        }
        Fields c = new Fields(config, processor.owner() + " ProcessorConfig");
        String mode = c.text("Mode", false);
        String executionType = c.text("ExecutionType", false);
        if (mode == null || mode.equals("INLINE")) {
            if (executionType != null) {
                throw c.invalid("ExecutionType", "is only for Mode DISTRIBUTED");
            }
        } else if (mode.equals("DISTRIBUTED")) {
            if (!"STANDARD".equals(executionType)) {
                throw c.invalid("ExecutionType", "is '" + executionType + "'; only STANDARD child workflows are "
                        + "supported locally (run inline)");
            }
        } else {
            throw c.invalid("Mode", "must be INLINE or DISTRIBUTED");
        }
        c.done("a ProcessorConfig");
    }

    /** Next or End, exactly one. */
    private static String transition(Fields f) {
        String next = f.text("Next", false);
        JsonNode end = f.get("End");
        boolean ends = end != null && end.asBoolean(false);
        if (end != null && !end.isBoolean()) {
            throw f.invalid("End", "must be true or false");
        }
        if (next != null && ends) {
            throw new InvalidDefinitionException(f.owner() + " has both Next and End; it must have exactly one.");
        }
        if (next == null && !ends) {
            throw new InvalidDefinitionException(f.owner() + " has neither Next nor \"End\": true; a state that is "
                    + "not terminal must say where to go.");
        }
        return next;
    }

    private static State.Io io(Fields f, boolean parameters, boolean resultSelector, boolean resultPath) {
        JsonPath inputPath = nullablePath(f, "InputPath");
        JsonPath outputPath = nullablePath(f, "OutputPath");
        JsonPath result = resultPath ? resultPath(f, "ResultPath") : ROOT;
        return new State.Io(inputPath, parameters ? template(f, "Parameters") : null,
                resultSelector ? template(f, "ResultSelector") : null, result, outputPath);
    }

    /** Absent is {@code $}; JSON null is kept as {@code null}. */
    private static JsonPath nullablePath(Fields f, String field) {
        if (!f.has(field)) {
            return ROOT;
        }
        JsonNode value = f.get(field);
        return value.isNull() ? null : path(f, field, true);
    }

    private static JsonPath resultPath(Fields f, String field) {
        JsonPath path = nullablePath(f, field);
        if (path != null && !path.fieldsOnly()) {
            throw f.invalid(field, "must be a reference path of object fields ($.a.b), not '" + path + "'");
        }
        return path;
    }

    private static JsonPath path(Fields f, String field, boolean required) {
        String text = f.text(field, required);
        if (text == null) {
            return null;
        }
        try {
            return JsonPath.compile(text);
        } catch (IllegalArgumentException e) {
            throw f.invalid(field, "is not usable: " + e.getMessage());
        }
    }

    private static PayloadTemplate template(Fields f, String field) {
        JsonNode value = f.get(field);
        if (value == null) {
            return null;
        }
        try {
            return PayloadTemplate.compile(value);
        } catch (IllegalArgumentException e) {
            throw f.invalid(field, "is not usable: " + e.getMessage());
        }
    }

    private static List<State.Retrier> retry(Fields f) {
        JsonNode list = f.get("Retry");
        List<State.Retrier> retriers = new ArrayList<>();
        if (list == null) {
            return retriers;
        }
        if (!list.isArray()) {
            throw f.invalid("Retry", "must be an array");
        }
        for (int i = 0; i < list.size(); i++) {
            Fields r = new Fields(list.get(i), f.owner() + " Retry[" + i + "]");
            List<String> errors = errorEquals(r, i == list.size() - 1, "retrier");
            Integer interval = r.integer("IntervalSeconds", 1);
            Integer attempts = r.integer("MaxAttempts", 0);
            JsonNode backoff = r.get("BackoffRate");
            if (backoff != null && (!backoff.isNumber() || backoff.asDouble() < 1.0)) {
                throw r.invalid("BackoffRate", "must be a number of at least 1.0");
            }
            Integer maxDelay = r.integer("MaxDelaySeconds", 1);
            String jitter = r.text("JitterStrategy", false);
            if (jitter != null && !jitter.equals("FULL") && !jitter.equals("NONE")) {
                throw r.invalid("JitterStrategy", "must be FULL or NONE");
            }
            r.done("a retrier");
            retriers.add(new State.Retrier(errors, interval == null ? 1 : interval, attempts == null ? 3 : attempts,
                    backoff == null ? 2.0 : backoff.asDouble(), maxDelay, "FULL".equals(jitter)));
        }
        return List.copyOf(retriers);
    }

    private static List<State.Catcher> catchers(Fields f) {
        JsonNode list = f.get("Catch");
        List<State.Catcher> catchers = new ArrayList<>();
        if (list == null) {
            return catchers;
        }
        if (!list.isArray()) {
            throw f.invalid("Catch", "must be an array");
        }
        for (int i = 0; i < list.size(); i++) {
            Fields c = new Fields(list.get(i), f.owner() + " Catch[" + i + "]");
            c.unsupported("Assign", "workflow variables");
            c.unsupported("Output", "JSONata");
            List<String> errors = errorEquals(c, i == list.size() - 1, "catcher");
            String next = c.text("Next", true);
            JsonPath resultPath = resultPath(c, "ResultPath");
            c.done("a catcher");
            catchers.add(new State.Catcher(errors, next, resultPath));
        }
        return List.copyOf(catchers);
    }

    /** AWS: "States.ALL must appear alone in its ErrorEquals array and must be in the last" retrier or catcher. */
    private static List<String> errorEquals(Fields r, boolean last, String kind) {
        JsonNode errors = r.get("ErrorEquals");
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
            throw r.invalid("ErrorEquals", "must be a non-empty array of error names");
        }
        List<String> names = new ArrayList<>();
        errors.forEach(e -> {
            if (!e.isTextual()) {
                throw r.invalid("ErrorEquals", "must contain only strings");
            }
            names.add(e.asText());
        });
        if (names.contains(StatesError.ALL) && (names.size() > 1 || !last)) {
            throw r.invalid("ErrorEquals", "has States.ALL, which must appear alone and in the last " + kind);
        }
        return List.copyOf(names);
    }
}
