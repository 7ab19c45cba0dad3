package io.github.mlflowkeycloak.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;

import io.github.mlflowkeycloak.stack.MlflowRoutes;
import org.junit.jupiter.api.Test;

/**
 * The route table against the routes the installed MLflow serves, read from MLflow itself (its
 * Flask URL map and its FastAPI routes, by mlflow_routes.py): every route MLflow serves has an
 * entry, and every entry is a route MLflow serves. After an MLflow upgrade the failure lists
 * exactly the routes that came and went.
 */
class RouteCoverageIT {

    @Test
    void theTableListsExactlyTheRoutesMlflowServes() throws Exception {
        Set<String> served = new TreeSet<>(MlflowRoutes.served());
        assertThat(served).as("routes read from MLflow").hasSizeGreaterThan(400);

        Set<String> listed = new TreeSet<>();
        for (Route route : RouteTable.mlflow().routes()) {
            listed.add(route.method() + " " + route.path());
        }

        Set<String> unmapped = new TreeSet<>(served);
        unmapped.removeAll(listed);
        Set<String> dead = new TreeSet<>(listed);
        dead.removeAll(served);
        assertThat(unmapped).as("routes MLflow serves that the table lacks (they are denied)").isEmpty();
        assertThat(dead).as("table entries MLflow does not serve").isEmpty();
    }
}
