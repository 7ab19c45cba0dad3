package io.github.mlflowkeycloak.lookup;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A least-recently-used map of at most a fixed number of entries, for facts that never change
 * (the experiment a run belongs to), so that a stale entry is impossible and memory is bounded,
 * and for short-lived ones that carry their own expiry.
 */
final class BoundedCache<K, V> {

    private final Map<K, V> entries;

    BoundedCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a cache needs room for one entry at least");
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    synchronized V get(K key) {
        return entries.get(key);
    }

    synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    synchronized void remove(K key) {
        entries.remove(key);
    }

    synchronized int size() {
        return entries.size();
    }
}
