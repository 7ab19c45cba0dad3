package io.github.mlflowkeycloak.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

/**
 * The extension's meters, in Micrometer's global registry, which Keycloak shows on its management
 * interface ({@code /metrics}) when started with {@code --metrics-enabled=true}; without it the
 * registry is empty and every meter a no-op. Tags are bounded: outcomes, kinds, scopes, caches,
 * never an id or a user. Each meter is made once and kept, so that counting allocates nothing.
 */
public final class MlflowMetrics {

    public static final String DECISIONS = "mlflow.keycloak.decisions";
    public static final String DECISION_TIME = "mlflow.keycloak.decision";
    public static final String MLFLOW_REQUESTS = "mlflow.keycloak.mlflow.requests";
    public static final String LOOKUP_CACHE = "mlflow.keycloak.lookup.cache";
    public static final String SEARCH_PAGES = "mlflow.keycloak.filtered.search.pages";
    public static final String SIGN_IN_FAILURES = "mlflow.keycloak.service.account.sign.in.failures";
    public static final String OBJECT_EVENTS = "mlflow.keycloak.object.events";

    /** The kind of each meter, as Prometheus names its series after it. */
    public enum Type { COUNTER, TIMER, SUMMARY }

    public record Meter(String name, Type type) {
    }

    /** Every meter the extension registers; the dashboard may query these alone. */
    public static final List<Meter> ALL = List.of(
            new Meter(DECISIONS, Type.COUNTER), new Meter(DECISION_TIME, Type.TIMER), new Meter(MLFLOW_REQUESTS, Type.TIMER),
            new Meter(LOOKUP_CACHE, Type.COUNTER), new Meter(SEARCH_PAGES, Type.SUMMARY), new Meter(SIGN_IN_FAILURES, Type.COUNTER),
            new Meter(OBJECT_EVENTS, Type.COUNTER));

    private MlflowMetrics() {
    }

    static MeterRegistry registry() {
        return Metrics.globalRegistry;
    }

    /** A counter of the name with tags (key, value, …); registered once, by the caller that keeps it. */
    public static Counter counter(String name, String... tags) {
        return Counter.builder(name).tags(tags).register(registry());
    }

    /** A timer with a histogram (Prometheus buckets), for percentiles across Keycloak nodes. */
    public static Timer timer(String name, String... tags) {
        return Timer.builder(name).tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(50)))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry());
    }

    public static DistributionSummary summary(String name, String... tags) {
        return DistributionSummary.builder(name).tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(100.0).register(registry());
    }

    /** An enum constant as a tag value: lower case, words joined by '_'. */
    public static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
