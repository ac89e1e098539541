package io.reel.authorizer;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small LRU map whose entries each expire at their own instant. Lambda runs one request per container at a time,
 * so a lock costs nothing here; the devserver shares one instance between requests, so it must be safe anyway.
 */
final class BoundedCache<K, V> {
    private record Slot<V>(V value, Instant expiresAt) {
    }

    private final Clock clock;
    private final Map<K, Slot<V>> entries;

    BoundedCache(int capacity, Clock clock) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Slot<V>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The value, or null when absent or expired (an expired entry is dropped). */
    synchronized V get(K key) {
        Slot<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            entries.remove(key);
            return null;
        }
        return entry.value();
    }

    synchronized void put(K key, V value, Instant expiresAt) {
        entries.put(key, new Slot<>(value, expiresAt));
    }

    synchronized int size() {
        return entries.size();
    }
}
