package io.reel.devserver.states;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Records every sleep instead of sleeping; a timeout of N seconds fires after N × 20 ms of real time. */
final class FakeSleeper implements Sleeper {
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
    }

    @Override
    public <T> T await(Future<T> work, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        return work.get(timeout.toSeconds() * 20, TimeUnit.MILLISECONDS);
    }
}
