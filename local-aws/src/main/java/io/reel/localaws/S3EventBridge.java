package io.reel.localaws;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.RequestParametersEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.ResponseElementsEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3BucketEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3Entity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.UserIdentityEntity;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every object created in a subscribed bucket into an {@link S3Event} shaped as Lambda receives it (URL-encoded
 * key, size, eTag, sequencer, bucket ARN, region) and delivers it once, in order, on a background thread, like S3's
 * asynchronous notifications. A listener that throws is logged; retrying is the subscriber's policy (as it is
 * Lambda's, not S3's).
 */
public final class S3EventBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3EventBridge.class);
    private static final String PRINCIPAL = "AWS:REEL-LOCAL";

    private final String region;
    private final Map<String, List<S3EventListener>> listeners = new ConcurrentHashMap<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "s3-event-bridge");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() * 1000);
    private final AtomicLong pending = new AtomicLong();

    S3EventBridge(String region) {
        this.region = region;
    }

    /** Delivers the {@code ObjectCreated} events of {@code bucket} to {@code listener} until the subscription is closed. */
    public Subscription subscribe(String bucket, S3EventListener listener) {
        listeners.computeIfAbsent(bucket, b -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.getOrDefault(bucket, List.of()).remove(listener);
    }

    /** Called by the blob store after an object was durably created. */
    void objectCreated(String bucket, String key, long size, String eTag, String eventName) {
        List<S3EventListener> targets = listeners.getOrDefault(bucket, List.of());
        if (targets.isEmpty()) {
            return;
        }
        S3Event event = event(bucket, key, size, eTag, eventName);
        for (S3EventListener listener : List.copyOf(targets)) {
            pending.incrementAndGet();
            delivery.execute(() -> {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("S3 event listener failed bucket={} key={} event={}", bucket, key, eventName, e);
                } finally {
                    pending.decrementAndGet();
                }
            });
        }
    }

    /** Events queued or being delivered right now. */
    public long pendingDeliveries() {
        return pending.get();
    }

    S3Event event(String bucket, String key, long size, String eTag, String eventName) {
        byte[] requestBytes = new byte[8];
        ThreadLocalRandom.current().nextBytes(requestBytes);
        String requestId = HexFormat.of().withUpperCase().formatHex(requestBytes);
        var object = new S3ObjectEntity(encodeKey(key), size, unquote(eTag), null,
                String.format(Locale.ROOT, "%016X", sequencer.incrementAndGet()));
        var s3 = new S3Entity("reel-local-" + bucket,
                new S3BucketEntity(bucket, new UserIdentityEntity(PRINCIPAL), "arn:aws:s3:::" + bucket),
                object, "1.0");
        var record = new S3EventNotificationRecord(region, eventName, "aws:s3",
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), "2.1",
                new RequestParametersEntity("127.0.0.1"),
                new ResponseElementsEntity(UUID.randomUUID().toString(), requestId),
                s3, new UserIdentityEntity(PRINCIPAL));
        return new S3Event(List.of(record));
    }

    /**
     * Encodes a key the way S3 writes it into notifications: form-URL-encoding (space as {@code +}, UTF-8 bytes as
     * {@code %XX}) with {@code /} left as it is. Lambda code decodes it with {@code URLDecoder}.
     */
    public static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String unquote(String eTag) {
        if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
            return eTag.substring(1, eTag.length() - 1);
        }
        return eTag;
    }

    @Override
    public void close() {
        delivery.shutdown();
        try {
            if (!delivery.awaitTermination(5, TimeUnit.SECONDS)) {
                delivery.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            delivery.shutdownNow();
        }
    }

    /** Stops a listener receiving further events. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
