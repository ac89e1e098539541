package io.reel.fuzz;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.AroundTryHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.TryExecutionResult;
import net.jqwik.api.lifecycle.TryExecutor;
import net.jqwik.api.lifecycle.TryLifecycleContext;

/**
 * The lifecycle of a {@link FuzzTarget}: tries (the annotation's, or {@value #TRIES_PROPERTY} for every target),
 * randomized generation (never jqwik's exhaustive mode, which would quietly run fewer tries), a time-out per try, and the
 * figures of the run ({@link FuzzStats}), written when the property ends, whatever its outcome.
 *
 * <p>A try runs on a worker thread of the property's own so that a hang can be detected: after
 * {@link FuzzTarget#timeoutMillis()} the try fails with the worker's stack trace as the place it hangs, and the worker
 * is abandoned (interrupted, and replaced for the next try).
 */
public final class FuzzHook implements AroundPropertyHook, AroundTryHook {
    /** Tries of every fuzz target, overriding each one's default: {@code -Dreel.fuzz.tries=20000}. */
    public static final String TRIES_PROPERTY = "reel.fuzz.tries";
    /** A fixed seed for every target, to replay a run: {@code -Dreel.fuzz.seed=...}. */
    public static final String SEED_PROPERTY = "reel.fuzz.seed";

    private static final Map<Method, Run> RUNS = new ConcurrentHashMap<>();

    /** The tries a target with this default runs: the system property's when it is set. */
    static int tries(int defaultTries) {
        String value = System.getProperty(TRIES_PROPERTY, "").strip();
        if (value.isEmpty()) {
            return defaultTries;
        }
        try {
            int tries = Integer.parseInt(value);
            if (tries < 1) {
                throw new NumberFormatException();
            }
            return tries;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + TRIES_PROPERTY + " must be a whole number of tries of at least 1, not '"
                    + value + "'", e);
        }
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        FuzzTarget target = context.findAnnotation(FuzzTarget.class)
                .orElseThrow(() -> new IllegalStateException("FuzzHook runs only on @FuzzTarget properties"));
        int tries = tries(target.tries());
        context.attributes().setTries(tries);
        context.attributes().setGeneration(GenerationMode.RANDOMIZED);
        // The generators choose their own edge cases (Hostile, JsonText); jqwik's would favour each choice's first
        // alternative and crowd out the rest in a run of a few hundred tries.
        context.attributes().setEdgeCases(EdgeCasesMode.NONE);
        String seed = System.getProperty(SEED_PROPERTY, "").strip();
        if (!seed.isEmpty()) {
            context.attributes().setSeed(seed);
        }
        Run run = new Run(target, context.extendedLabel());
        RUNS.put(context.targetMethod(), run);
        long started = System.nanoTime();
        PropertyExecutionResult result;
        try {
            result = property.execute();
        } finally {
            RUNS.remove(context.targetMethod());
            run.close();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        run.stats.finish(tries, result, took);
        return result;
    }

    /** Outside the property's own hooks (its {@code @BeforeTry} methods run inside the time-out too). */
    @Override
    public int aroundTryProximity() {
        return -100;
    }

    @Override
    public TryExecutionResult aroundTry(TryLifecycleContext context, TryExecutor aTry, List<Object> parameters)
            throws Throwable {
        Run run = RUNS.get(context.targetMethod());
        if (run == null) {
            return aTry.execute(parameters);
        }
        run.stats.executed(parameters);
        long started = System.nanoTime();
        try {
            return run.execute(aTry, parameters);
        } finally {
            run.stats.took(parameters, System.nanoTime() - started);
        }
    }

    /** One property's run: its figures and the worker its tries run on. */
    private static final class Run implements AutoCloseable {
        private final FuzzTarget target;
        private final FuzzStats stats;
        private ExecutorService worker;
        private final AtomicReference<Thread> workerThread = new AtomicReference<>();

        Run(FuzzTarget target, String property) {
            this.target = target;
            this.stats = new FuzzStats(target.value(), property);
            this.worker = newWorker();
        }

        private ExecutorService newWorker() {
            return Executors.newSingleThreadExecutor(task -> {
                Thread thread = Thread.ofPlatform().daemon().name("fuzz-" + target.value()).unstarted(task);
                workerThread.set(thread);
                return thread;
            });
        }

        TryExecutionResult execute(TryExecutor aTry, List<Object> parameters) throws Throwable {
            Future<TryExecutionResult> running = worker.submit(() -> aTry.execute(parameters));
            try {
                return running.get(target.timeoutMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause();
            } catch (TimeoutException e) {
                Thread stuck = workerThread.get();
                StackTraceElement[] where = stuck == null ? new StackTraceElement[0] : stuck.getStackTrace();
                running.cancel(true);
                worker.shutdownNow();
                worker = newWorker(); // the stuck thread is left behind (a daemon); the next try gets a fresh one
                stats.hung();
                AssertionError hang = new AssertionError("Hang: the try did not finish within " + target.timeoutMillis()
                        + " ms. The stack below is where its thread was at that moment.");
                hang.setStackTrace(where);
                return TryExecutionResult.falsified(hang);
            }
        }

        @Override
        public void close() {
            worker.shutdownNow();
        }
    }
}
