package io.reel.devserver.states;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every wait the interpreter makes: Retry intervals, Wait states, and the bounded waits behind TimeoutSeconds.
 * Injectable so tests can record the delays without sleeping, and decide when a timeout fires.
 */
public interface Sleeper {
    /** Real time. */
    Sleeper SYSTEM = new Sleeper() {
        @Override
        public void sleep(Duration duration) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        }

        @Override
        public <T> T await(Future<T> work, Duration timeout)
                throws InterruptedException, ExecutionException, TimeoutException {
            return work.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    };

    void sleep(Duration duration) throws InterruptedException;

    /** The result of {@code work}, or {@link TimeoutException} once {@code timeout} has passed. */
    <T> T await(Future<T> work, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException;
}
