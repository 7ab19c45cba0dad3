package io.github.mlflowkeycloak.identity;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing of client secrets: after {@code limit} failed sign-ins of one client from
 * one address within a window, further attempts from there are refused unchecked until the window
 * ends. In memory and per Keycloak node, like Keycloak's own brute-force counters' caches; bounded.
 */
final class FailedSignIns {

    private static final int MAX_TRACKED = 10_000;

    private record Window(long start, int failures) {
    }

    private final int limit;
    private final long windowMillis;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    FailedSignIns(int limit, long windowMillis, Clock clock) {
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    /** Seconds until the key may try again, or 0 when it may try now. */
    long secondsBlocked(String key) {
        Window window = windows.get(key);
        if (window == null || window.failures() < limit) {
            return 0;
        }
        long remaining = window.start() + windowMillis - clock.millis();
        return remaining <= 0 ? 0 : (remaining + 999) / 1000;
    }

    /** Records a failure; returns the failures of the key in the current window. */
    int recordFailure(String key) {
        long now = clock.millis();
        if (windows.size() >= MAX_TRACKED) {
            windows.values().removeIf(w -> w.start() + windowMillis <= now);
            if (windows.size() >= MAX_TRACKED) {
                windows.clear();
            }
        }
        return windows.compute(key, (k, w) -> w == null || w.start() + windowMillis <= now
                ? new Window(now, 1) : new Window(w.start(), w.failures() + 1)).failures();
    }

    void recordSuccess(String key) {
        windows.remove(key);
    }
}
