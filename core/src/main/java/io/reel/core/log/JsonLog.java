package io.reel.core.log;

import io.reel.core.JsonValues;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured logs for functions: one JSON object per line on standard output, which Lambda sends to CloudWatch
 * Logs as is. Callers pass key/value context, never secrets (no passwords, tokens, hashes or emails). Works
 * without any logging framework, so a function's cold start pays for none.
 */
public final class JsonLog {
    private final String logger;
    private final PrintStream out;
    private final Clock clock;

    /** @param out where lines go; null for whatever {@code System.out} is when a line is written */
    public JsonLog(String logger, PrintStream out, Clock clock) {
        this.logger = logger;
        this.out = out;
        this.clock = clock;
    }

    public static JsonLog create(Class<?> owner) {
        return new JsonLog(owner.getSimpleName(), null, Clock.systemUTC());
    }

    public void info(String message, Map<String, ?> context) {
        write("INFO", message, context, null);
    }

    public void warn(String message, Map<String, ?> context) {
        write("WARN", message, context, null);
    }

    /** An error with its stack trace, for the one log line a 5xx gets. */
    public void error(String message, Map<String, ?> context, Throwable error) {
        write("ERROR", message, context, error);
    }

    private void write(String level, String message, Map<String, ?> context, Throwable error) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", clock.instant().toString());
        line.put("level", level);
        line.put("logger", logger);
        line.put("message", message);
        context.forEach(line::putIfAbsent);
        if (error != null) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            line.put("error", error.getClass().getName());
            line.put("stackTrace", trace.toString());
        }
        // Jackson's generator alone, not data binding: a function's first log line must not load ~400 classes.
        (out == null ? System.out : out).println(JsonValues.toText(line));
    }
}
