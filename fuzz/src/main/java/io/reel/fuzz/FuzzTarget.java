package io.reel.fuzz;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Marks a jqwik {@code @Property} as a fuzz target: {@link FuzzHook} sets its tries ({@link #tries()}, or
 * {@code -Dreel.fuzz.tries=N} for every target at once), runs each try within {@link #timeoutMillis()} (a try that does
 * not answer in time fails as a hang, with the stack it was stuck in), counts executions and distinct inputs, and writes
 * them to {@code target/fuzz/<name>.json} with a one-line summary on standard output.
 *
 * <pre>{@code
 * @Property
 * @FuzzTarget(value = "hls-rewriter", tries = 1000)
 * void rewrite_neverFailsUnexpectedly(@ForAll("playlists") String playlist) { ... }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@AddLifecycleHook(FuzzHook.class)
public @interface FuzzTarget {
    /** The target's name in reports: lower-case words joined by dashes ({@code auth-api}). */
    String value();

    /** Tries in an ordinary build; small enough that all targets together stay within about a minute. */
    int tries();

    /** The longest one try may take before it counts as a hang. */
    long timeoutMillis() default 10_000;
}
