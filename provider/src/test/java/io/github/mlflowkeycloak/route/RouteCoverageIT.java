package io.github.mlflowkeycloak.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.github.mlflowkeycloak.stack.MlflowRoutes;
import io.github.mlflowkeycloak.stack.MlflowVenv;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The route table of each MLflow release it covers against the routes that release serves, read
 * from MLflow itself (its Flask URL map and its FastAPI routes, by mlflow_routes.py, in that
 * release's virtualenv): every route MLflow serves has an entry, and every entry is a route MLflow
 * serves. After an MLflow upgrade the failure lists exactly the routes that came and went.
 */
class RouteCoverageIT {

    static List<MlflowVersion> releases() {
        return MlflowVenv.supported();
    }

    @ParameterizedTest(name = "MLflow {0}")
    @MethodSource("releases")
    void theTableListsExactlyTheRoutesMlflowServes(MlflowVersion release) throws Exception {
        Set<String> served = new TreeSet<>(MlflowRoutes.served(release));
        assertThat(served).as("routes read from MLflow " + release).hasSizeGreaterThan(400);

        Set<String> listed = new TreeSet<>();
        for (Route route : RouteTableFile.builtIn().table(release, null).routes()) {
            listed.add(route.method() + " " + route.path());
        }

        Set<String> unmapped = new TreeSet<>(served);
        unmapped.removeAll(listed);
        Set<String> dead = new TreeSet<>(listed);
        dead.removeAll(served);
        assertThat(unmapped).as("routes MLflow " + release + " serves that the table lacks (they are denied)").isEmpty();
        assertThat(dead).as("table entries MLflow " + release + " does not serve").isEmpty();
    }
}
