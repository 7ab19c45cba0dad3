package io.github.mlflowkeycloak.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.github.mlflowkeycloak.lookup.MlflowApi;
import io.github.mlflowkeycloak.ownership.GatewaySecret;
import io.github.mlflowkeycloak.route.RouteTable;

/**
 * Whether this node can serve MLflow through the gateway: its route table loaded, the gateway
 * secret set, MLflow reachable. Reported apart from Keycloak's own readiness, so that an MLflow
 * outage takes no Keycloak node, and with it every other realm, out of its load balancer.
 */
public final class MlflowReadiness {

    /**
     * The provider factory's, once Keycloak has initialised it. Keycloak creates the health check
     * (a CDI bean) and the provider factory (a service) apart; they meet here, once per node.
     */
    private static volatile MlflowReadiness current;

    private final RouteTable routes;
    private final GatewaySecret gatewaySecret;
    private final MlflowApi mlflow;

    public MlflowReadiness(RouteTable routes, GatewaySecret gatewaySecret, MlflowApi mlflow) {
        this.routes = routes;
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
        found.put("route-table", "MLflow " + routes.mlflowVersion() + ", " + routes.routes().size() + " routes");
        found.put("gateway-secret", gatewaySecret.isConfigured() ? "set" : "not set");
        Optional<String> mlflowProblem = mlflow.healthProblem();
        found.put("mlflow", mlflowProblem.map(problem -> "unreachable: " + problem).orElse("reachable"));
        return new Report(gatewaySecret.isConfigured() && mlflowProblem.isEmpty(), found);
    }

    record Report(boolean ready, Map<String, String> found) {
    }
}
