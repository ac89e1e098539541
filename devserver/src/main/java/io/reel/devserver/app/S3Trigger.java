package io.reel.devserver.app;

import java.util.List;

/**
 * One {@code S3} event of a function: which bucket, which event names ({@code s3:ObjectCreated:*}), and the key
 * filter rules.
 */
public record S3Trigger(String functionId, String bucketLogicalId, List<String> events, String prefix, String suffix) {
    public S3Trigger {
        events = List.copyOf(events);
        prefix = prefix == null ? "" : prefix;
        suffix = suffix == null ? "" : suffix;
    }

    /** Whether an S3 event name ({@code ObjectCreated:Put}) and decoded key pass this trigger's filters. */
    public boolean matches(String eventName, String key) {
        return key.startsWith(prefix) && key.endsWith(suffix)
                && events.stream().anyMatch(pattern -> eventMatches(pattern, "s3:" + eventName));
    }

    private static boolean eventMatches(String pattern, String eventName) {
        return pattern.endsWith("*")
                ? eventName.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(eventName);
    }
}
