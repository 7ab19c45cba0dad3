package io.github.mlflowkeycloak.health;

import io.smallrye.health.api.HealthGroup;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The extension's readiness on Keycloak's management interface, at
 * {@code /health/group/mlflow}: a health group of its own, outside {@code /health/ready}, which
 * must not fail when MLflow does. Keycloak finds this check in the provider jar when it builds.
 */
@HealthGroup(MlflowHealthCheck.GROUP)
public class MlflowHealthCheck implements HealthCheck {

    public static final String GROUP = "mlflow";

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("MLflow gateway");
        return MlflowReadiness.current().map(readiness -> {
            MlflowReadiness.Report report = readiness.report();
            report.found().forEach(response::withData);
            return response.status(report.ready()).build();
        }).orElseGet(() -> response.down().withData("extension", "not initialised").build());
    }
}
