package io.reel.core.snapstart;

import io.reel.core.log.JsonLog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Objects;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * A function's SnapStart hooks. Lambda publishes a version by starting the function, calling every registered
 * resource's {@code beforeCheckpoint}, and snapshotting the JVM; each cold start then resumes from that snapshot and
 * calls {@code afterRestore}. Without priming, the snapshot holds a handler that has never answered a request, so the
 * first request after every restore still loads and links the classes of its path (~0.8-1.2 s, docs/performance.md).
 *
 * <p>{@code prime} runs a function's first-request path without side effects: a read of a key that does not exist, a
 * JSON round trip, a signature with a throwaway key. It must never write to a table or a bucket, never count a metric
 * or log a line that looks like traffic, and never leave behind a secret or a random value: every restored copy would
 * share it. {@code afterRestore} renews what must not be shared or stale across copies (a cached secret's age). A step
 * that fails is logged as {@code snapstart.priming_failed} and the snapshot goes ahead without it: slower, not wrong.
 *
 * <p>The org.crac global context holds resources weakly; registered primings are also kept here, which holds them
 * strongly and lets a bench or a smoke test run them ({@link #primeAndRestoreRegistered()}): outside a CRaC or SnapStart
 * JVM, org.crac cannot be asked to run its hooks.
 */
public final class Priming implements Resource {
    private static final JsonLog LOG = JsonLog.create(Priming.class);
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String function;
    private final List<Step> steps;
    private final Runnable afterRestore;

    /** One named part of a first request, primed on its own. */
    public record Step(String name, Runnable run) {
        public Step {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(run, "run");
        }
    }

    private Priming(String function, Runnable afterRestore, List<Step> steps) {
        this.function = Objects.requireNonNull(function, "function");
        this.afterRestore = Objects.requireNonNull(afterRestore, "afterRestore");
        this.steps = List.copyOf(steps);
    }

    /**
     * @param steps the first-request path in named parts, each tried whatever became of the one before (a dependency
     *              that cannot be reached at snapshot time leaves the others primed)
     */
    public static Priming of(String function, Runnable afterRestore, Step... steps) {
        return new Priming(function, afterRestore, List.of(steps));
    }

    /** Registers with the JVM's global context, as Lambda's runtime runs it; returns this, for the handler to keep. */
    public Priming register() {
        REGISTERED.add(this);
        Core.getGlobalContext().register(this);
        return this;
    }

    /**
     * Runs every registered priming's hooks, as SnapStart would around a snapshot and a restore (bench/cold-start.sh
     * and infra's ArtifactSmoke, in a JVM holding one function); returns how many ran.
     */
    public static int primeAndRestoreRegistered() {
        for (Priming priming : REGISTERED) {
            priming.primeAndRestore();
        }
        return REGISTERED.size();
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        for (Step step : steps) {
            try {
                step.run().run();
            } catch (RuntimeException e) {
                LOG.warn("snapstart.priming_failed", Map.of("function", function, "step", step.name(),
                        "error", e.getClass().getSimpleName(), "message", String.valueOf(e.getMessage())));
            }
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        afterRestore.run();
    }

    /** Runs both hooks as a snapshot and a restore would, one after the other (bench and tests). */
    public void primeAndRestore() {
        beforeCheckpoint(null);
        afterRestore(null);
    }
}
