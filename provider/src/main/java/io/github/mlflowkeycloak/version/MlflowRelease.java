package io.github.mlflowkeycloak.version;

import java.util.Optional;

import io.github.mlflowkeycloak.lookup.MlflowApi;
import io.github.mlflowkeycloak.lookup.MlflowUnavailableException;
import io.github.mlflowkeycloak.route.MlflowVersion;
import io.github.mlflowkeycloak.route.RouteTable;
import org.jboss.logging.Logger;

/**
 * The MLflow release behind the gateway, and the route table in force for it: the one MLflow's
 * {@code /version} names, asked at start and every {@link #PROBE_MILLIS} ms. The SPI option
 * mlflow-version pins a release: used while MLflow cannot be asked, and every request is refused
 * while MLflow answers another. Until a release with a table is known, there is no table, and
 * every request is refused; a release no table covers is refused the same way, the node's MLflow
 * health group is not ready, and the log says so once per change.
 */
public final class MlflowRelease {

    /** How often MLflow is asked: after an upgrade of MLflow, its old table is in force at most this long. */
    public static final long PROBE_MILLIS = 10_000;

    private static final Logger LOG = Logger.getLogger(MlflowRelease.class);

    private final RouteTableSource source;
    private final Optional<MlflowVersion> pinned;
    private final MlflowApi mlflow;
    private volatile Found found = new Found(Optional.empty(), "MLflow's release is not known yet");

    /** The table in force, and what was found, as the health check shows it. */
    private record Found(Optional<RouteTable> table, String state) {
    }

    public MlflowRelease(RouteTableSource source, Optional<MlflowVersion> pinned, MlflowApi mlflow) {
        this.source = source;
        this.pinned = pinned;
        this.mlflow = mlflow;
    }

    /** The table of the release behind the gateway; empty while it is not known, or no table covers it. */
    public Optional<RouteTable> table() {
        return found.table();
    }

    /** What was found, for the health check: the release and its table, or why there is none. */
    public String state() {
        return found.state();
    }

    /** Reads the override file again if it changed, and asks MLflow its release. */
    public void refresh() {
        source.reloadIfChanged();
        String answered;
        try {
            answered = mlflow.version();
        } catch (MlflowUnavailableException e) {
            if (pinned.isPresent()) {
                answered = pinned.get().toString();
            } else {
                // MLflow serves nothing while it is down: the table of the release it was stays in force.
                if (found.table().isEmpty()) {
                    change(new Found(Optional.empty(), "MLflow's release is not known yet: " + e.getMessage()), false);
                }
                return;
            }
        }
        if (pinned.isPresent() && !answered.strip().equals(pinned.get().toString())) {
            // A pin names the release the operator runs; another one behind the gateway would be decided by the wrong table.
            change(new Found(Optional.empty(), "MLflow answers release " + answered.strip() + ", but mlflow-version pins "
                    + pinned.get() + "; every request is refused until they agree"), true);
            return;
        }
        MlflowVersion version;
        try {
            version = MlflowVersion.parse(answered);
        } catch (IllegalArgumentException e) {
            change(new Found(Optional.empty(), "MLflow's /version answered no release: " + e.getMessage()), true);
            return;
        }
        Optional<RouteTable> table = source.tables().of(version);
        if (table.isEmpty()) {
            change(new Found(Optional.empty(), "MLflow " + version + " is not supported: route tables cover "
                    + source.tables().versions() + "; every request is refused until MLflow runs one of them, "
                    + "or the route-table file covers it"), true);
            return;
        }
        change(new Found(table, "MLflow " + version + (pinned.isPresent() ? " (pinned)" : "") + ", " + table.get().routes().size()
                + " routes from " + table.get().source()), false);
    }

    private void change(Found now, boolean refused) {
        Found before = found;
        if (before.state().equals(now.state()) && before.table().equals(now.table())) {
            return;
        }
        found = now;
        if (refused) {
            LOG.errorf("refusing every MLflow request: %s", now.state());
        } else {
            LOG.infof("%s", now.state());
        }
    }
}
