package io.github.mlflowkeycloak.check;

import java.util.concurrent.TimeUnit;

import io.github.mlflowkeycloak.metrics.MlflowMetrics;
import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Scope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;

/**
 * Decisions counted by outcome, kind and scope, and timed by outcome. The counters are made on
 * first use and kept in a table, so that counting a decision looks nothing up and allocates nothing.
 */
final class DecisionMeters {

    private static final int SCOPED = ResourceKind.values().length * Scope.values().length;
    /** Rows after the scoped ones: graphql, signed-in, public, and no route. */
    private static final String[] UNSCOPED = {"graphql", "signed-in", "public", "none"};

    private final Counter[][] decisions = new Counter[Decision.Outcome.values().length][SCOPED + UNSCOPED.length];
    private final Timer[] times = new Timer[Decision.Outcome.values().length];

    DecisionMeters() {
        for (Decision.Outcome outcome : Decision.Outcome.values()) {
            times[outcome.ordinal()] = MlflowMetrics.timer(MlflowMetrics.DECISION_TIME, "outcome", outcome.auditName());
        }
    }

    /** @param access what the request's route asks for; null when no route was found */
    void record(Decision.Outcome outcome, Access access, long nanos) {
        int row = row(access);
        Counter counter = decisions[outcome.ordinal()][row];
        if (counter == null) {
            // Two threads may both get here: the registry gives both the same counter.
            counter = register(outcome, access);
            decisions[outcome.ordinal()][row] = counter;
        }
        counter.increment();
        times[outcome.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    private static int row(Access access) {
        if (access instanceof Access.Scoped scoped) {
            return scoped.kind().ordinal() * Scope.values().length + scoped.scope().ordinal();
        }
        return SCOPED + unscoped(access);
    }

    private static int unscoped(Access access) {
        return access instanceof Access.GraphQl ? 0 : access instanceof Access.SignedIn ? 1 : access instanceof Access.Public ? 2 : 3;
    }

    private static Counter register(Decision.Outcome outcome, Access access) {
        String kind;
        String scope;
        if (access instanceof Access.Scoped scoped) {
            kind = scoped.kind().resourceName();
            scope = scoped.scope().scopeName();
        } else {
            kind = UNSCOPED[unscoped(access)];
            scope = "none";
        }
        return MlflowMetrics.counter(MlflowMetrics.DECISIONS, "outcome", outcome.auditName(), "kind", kind, "scope", scope);
    }
}
