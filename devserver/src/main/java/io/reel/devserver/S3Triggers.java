package io.reel.devserver;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.reel.devserver.app.S3Trigger;
import io.reel.devserver.lambda.FunctionException;
import io.reel.devserver.lambda.LambdaFunction;
import io.reel.localaws.S3EventBridge;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers S3 notifications to the functions whose {@code S3} events (bucket, event names, prefix/suffix) match,
 * as Lambda's asynchronous invocation does: in the background, at least once, retried twice on failure.
 */
final class S3Triggers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3Triggers.class);

    private final List<Duration> retryDelays;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "s3-trigger");
        thread.setDaemon(true);
        return thread;
    });
    private final PojoSerializer<S3Event> serializer =
            LambdaEventSerializers.serializerFor(S3Event.class, S3Triggers.class.getClassLoader());
    private final List<S3EventBridge.Subscription> subscriptions = new ArrayList<>();
    private final AtomicLong failures = new AtomicLong();

    S3Triggers(List<Duration> retryDelays) {
        this.retryDelays = List.copyOf(retryDelays);
    }

    /** Subscribes every trigger to its bucket (physical names by logical id). */
    void wire(List<S3Trigger> triggers, Map<String, String> bucketNames, Map<String, LambdaFunction> functions, S3EventBridge bridge) {
        for (S3Trigger trigger : triggers) {
            String bucket = bucketNames.get(trigger.bucketLogicalId());
            if (bucket == null) {
                throw new DevServerException("Function " + trigger.functionId() + ": its S3 event names bucket "
                        + trigger.bucketLogicalId() + ", which is not an AWS::S3::Bucket of the template.");
            }
            LambdaFunction function = functions.get(trigger.functionId());
            subscriptions.add(bridge.subscribe(bucket, event -> event.getRecords().forEach(record -> {
                if (trigger.matches(record.getEventName(), record.getS3().getObject().getUrlDecodedKey())) {
                    scheduler.execute(() -> deliver(function, record, 1));
                }
            })));
        }
    }

    /** Deliveries that failed every attempt (Lambda would send them to the on-failure destination). */
    long exhaustedDeliveries() {
        return failures.get();
    }

    private void deliver(LambdaFunction function, S3EventNotificationRecord record, int attempt) {
        String key = record.getS3().getObject().getKey();
        try {
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            serializer.toJson(new S3Event(List.of(record)), json);
            function.invoke(json.toByteArray());
            LOG.info("s3 event delivered function={} key={} attempt={}", function.definition().logicalId(), key, attempt);
        } catch (FunctionException | RuntimeException e) {
            if (attempt <= retryDelays.size()) {
                Duration delay = retryDelays.get(attempt - 1);
                LOG.warn("s3 event failed function={} key={} attempt={} retryInMs={} error={}",
                        function.definition().logicalId(), key, attempt, delay.toMillis(), e.getMessage());
                scheduler.schedule(() -> deliver(function, record, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                failures.incrementAndGet();
                LOG.error("s3 event dropped after {} attempts function={} key={}: {}", attempt,
                        function.definition().logicalId(), key, e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        subscriptions.forEach(S3EventBridge.Subscription::close);
        scheduler.shutdownNow();
    }
}
