package io.reel.devserver.states;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Functions by name (the last ARN segment that is not a qualifier), recording every call and how many ran at once.
 */
final class FakeInvoker implements TaskInvoker {
    @FunctionalInterface
    interface Function {
        JsonNode apply(JsonNode payload, int call) throws TaskFailure, InterruptedException;
    }

    record Call(String function, JsonNode payload) {
    }

    private final Map<String, Function> functions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> callCounts = new ConcurrentHashMap<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();

    FakeInvoker on(String name, Function function) {
        functions.put(name, function);
        return this;
    }

    @Override
    public JsonNode invoke(String function, JsonNode payload) throws TaskFailure, InterruptedException {
        calls.add(new Call(function, payload));
        String name = nameOf(function);
        Function f = functions.get(name);
        if (f == null) {
            throw new TaskFailure("Lambda.ResourceNotFoundException", "Function not found: " + function);
        }
        int now = running.incrementAndGet();
        maxRunning.accumulateAndGet(now, Math::max);
        try {
            return f.apply(payload, callCounts.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet());
        } finally {
            running.decrementAndGet();
        }
    }

    static String nameOf(String function) {
        if (!function.startsWith("arn:")) {
            return function;
        }
        String[] parts = function.split(":");
        return parts.length > 7 ? parts[6] : parts[parts.length - 1];
    }

    int callsTo(String name) {
        return (int) calls.stream().filter(c -> nameOf(c.function()).equals(name)).count();
    }
}
