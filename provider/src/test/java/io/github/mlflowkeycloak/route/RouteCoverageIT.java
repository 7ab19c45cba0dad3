package io.github.mlflowkeycloak.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.github.mlflowkeycloak.stack.LocalStack;
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
        Process process = new ProcessBuilder(LocalStack.STACK_DIR.resolve("venv/bin/python").toString(),
                LocalStack.ROOT.resolve("provider/src/test/python/mlflow_routes.py").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).isZero();
        Set<String> served = new TreeSet<>(output.lines().toList());
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
