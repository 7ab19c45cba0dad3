package io.github.mlflowkeycloak.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class FailedSignInsTest {

    private final MutableClock clock = new MutableClock();
    private final FailedSignIns failures = new FailedSignIns(3, 60_000, clock);

    @Test
    void blocksAKeyAfterTheLimitUntilTheWindowEnds() {
        for (int i = 1; i <= 3; i++) {
            assertThat(failures.secondsBlocked("ci-bot@10.0.0.1")).isZero();
            assertThat(failures.recordFailure("ci-bot@10.0.0.1")).isEqualTo(i);
        }
        assertThat(failures.secondsBlocked("ci-bot@10.0.0.1")).isEqualTo(60);
        assertThat(failures.secondsBlocked("ci-bot@10.0.0.2")).as("another address").isZero();
        clock.advance(Duration.ofSeconds(59));
        assertThat(failures.secondsBlocked("ci-bot@10.0.0.1")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(failures.secondsBlocked("ci-bot@10.0.0.1")).isZero();
        assertThat(failures.recordFailure("ci-bot@10.0.0.1")).as("a new window").isEqualTo(1);
    }

    @Test
    void aSuccessClearsTheCount() {
        failures.recordFailure("k");
        failures.recordFailure("k");
        failures.recordSuccess("k");
        assertThat(failures.recordFailure("k")).isEqualTo(1);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
