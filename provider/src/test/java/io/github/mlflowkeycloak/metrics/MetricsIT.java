package io.github.mlflowkeycloak.metrics;

import static io.github.mlflowkeycloak.stack.LocalStack.gateway;
import static io.github.mlflowkeycloak.stack.LocalStack.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import io.github.mlflowkeycloak.stack.LocalStack;
import org.junit.jupiter.api.Test;

/** The extension's metrics on Keycloak's management interface, as Prometheus scrapes them, move with requests. */
class MetricsIT {

    private static final String EXPERIMENTS_GET = "/api/2.0/mlflow/experiments/get?experiment_id=0";

    @Test
    void decisionsAreCountedByOutcomeKindAndScopeAndTimed() {
        String allowed = "mlflow_keycloak_decisions_total{kind=\"experiment\",outcome=\"allowed\",scope=\"read\"}";
        String timed = "mlflow_keycloak_decision_seconds_count{outcome=\"allowed\"}";
        double allowedBefore = value(allowed);
        double timedBefore = value(timed);

        gateway().auth().oauth2(token("dana")).get(EXPERIMENTS_GET).then().statusCode(200);

        assertThat(value(allowed)).isGreaterThanOrEqualTo(allowedBefore + 1);
        assertThat(value(timed)).isGreaterThanOrEqualTo(timedBefore + 1);
        assertThat(metrics()).contains("mlflow_keycloak_decision_seconds_bucket{outcome=\"allowed\",le=");
    }

    @Test
    void lookupsOfMlflowAndTheCacheAreCounted() {
        String miss = "mlflow_keycloak_lookup_cache_total{cache=\"run\",result=\"miss\"}";
        String notFound = "mlflow_keycloak_mlflow_requests_seconds_count{outcome=\"not_found\"}";
        double missBefore = value(miss);
        double notFoundBefore = value(notFound);

        // alice reads no experiment kind-wide: a run she names is resolved by asking MLflow; this one does not exist (refused, as any run she may not read).
        gateway().auth().oauth2(token("alice")).queryParam("run_id", UUID.randomUUID().toString().replace("-", ""))
                .get("/api/2.0/mlflow/runs/get").then().statusCode(403);

        assertThat(value(miss)).isGreaterThanOrEqualTo(missBefore + 1);
        assertThat(value(notFound)).isGreaterThanOrEqualTo(notFoundBefore + 1);
    }

    @Test
    void failedSignInsAreCounted() {
        String refused = "mlflow_keycloak_service_account_sign_in_failures_total{result=\"refused\"}";
        double before = value(refused);

        gateway().auth().preemptive().basic("metrics-probe-" + UUID.randomUUID(), "wrong").get(EXPERIMENTS_GET).then().statusCode(401);

        assertThat(value(refused)).isGreaterThanOrEqualTo(before + 1);
    }

    private static String metrics() {
        return given().baseUri(LocalStack.keycloakManagementUrl()).get("/metrics").then().statusCode(200).extract().asString();
    }

    /** The sample of the series (name and labels as Prometheus writes them); 0 before it first moves. */
    private static double value(String series) {
        return metrics().lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim())).orElse(0.0);
    }
}
