package io.github.mlflowkeycloak.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.github.mlflowkeycloak.lookup.MlflowApi;
import io.github.mlflowkeycloak.ownership.GatewaySecret;
import io.github.mlflowkeycloak.version.MlflowRelease;

/**
 * Whether this node can serve MLflow through the gateway: a route table in force for the MLflow
 * release behind it, the gateway secret set, MLflow reachable. Reported apart from Keycloak's own readiness, so that an MLflow
 * outage takes no Keycloak node, and with it every other realm, out of its load balancer.
 */
public final class MlflowReadiness {

    /**
     * The provider factory's, once Keycloak has initialised it. Keycloak creates the health check
     * (a CDI bean) and the provider factory (a service) apart; they meet here, once per node.
     */
    private static volatile MlflowReadiness current;

    private final MlflowRelease release;
    private final GatewaySecret gatewaySecret;
    private final MlflowApi mlflow;

    public MlflowReadiness(MlflowRelease release, GatewaySecret gatewaySecret, MlflowApi mlflow) {
        this.release = release;
        this.gatewaySecret = gatewaySecret;
        this.mlflow = mlflow;
    }

    /** Makes this the node's readiness; called when the extension is initialised. */
    public void publish() {
        current = this;
    }

    /** Called when the extension closes: until another is published, the node is not ready for MLflow. */
    public void withdraw() {
        if (current == this) {
            current = null;
        }
    }

    static Optional<MlflowReadiness> current() {
        return Optional.ofNullable(current);
    }

    /** Each part of the readiness, as found now; ready when all are. */
    Report report() {
        Map<String, String> found = new LinkedHashMap<>();
        found.put("route-table", release.state());
        found.put("gateway-secret", gatewaySecret.isConfigured() ? "set" : "not set");
        Optional<String> mlflowProblem = mlflow.healthProblem();
        found.put("mlflow", mlflowProblem.map(problem -> "unreachable: " + problem).orElse("reachable"));
        return new Report(release.table().isPresent() && gatewaySecret.isConfigured() && mlflowProblem.isEmpty(), found);
    }

    record Report(boolean ready, Map<String, String> found) {
    }
}
