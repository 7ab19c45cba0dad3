package io.github.mlflowkeycloak.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {

    @Test
    void forgetsTheLeastRecentlyUsedBeyondItsSize() {
        BoundedCache<String, String> cache = new BoundedCache<>(2);
        cache.put("run-1", "1");
        cache.put("run-2", "2");
        assertThat(cache.get("run-1")).isEqualTo("1");
        cache.put("run-3", "3");
        assertThat(cache.get("run-2")).isNull();
        assertThat(cache.get("run-1")).isEqualTo("1");
        assertThat(cache.get("run-3")).isEqualTo("3");
        assertThat(cache.size()).isEqualTo(2);
    }
}
