package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.github.mlflowkeycloak.route.MlflowVersion;
import io.github.mlflowkeycloak.route.RouteTableFile;
import io.github.mlflowkeycloak.stack.LocalStack;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gateway decides with the route table of the MLflow release that runs behind it, which the
 * extension asked MLflow for: a route that release serves is decided, one only a newer release
 * serves is refused before it reaches MLflow.
 */
class MlflowReleaseIT {

    /** MLflow's MCP server registry, served from 3.15.0 on. */
    private static final String MCP_SERVERS = "/api/3.0/mlflow/mcp-servers";

    @Test
    @Tag("smoke")
    void aRouteIsServedExactlyWhenTheRunningReleaseServesIt() {
        MlflowVersion running = LocalStack.mlflowVersion();
        boolean served = running.compareTo(MlflowVersion.parse("3.15.0")) >= 0;
        assertThat(RouteTableFile.builtIn().table(running, null).lookup("GET", MCP_SERVERS).isPresent())
                .as("the table of MLflow " + running + " lists " + MCP_SERVERS).isEqualTo(served);
        if (served) {
            gatewayAs("admin").get(MCP_SERVERS).then().statusCode(200);
        } else {
            gatewayAs("admin").get(MCP_SERVERS).then().statusCode(403)
                    .body("error_code", equalTo("PERMISSION_DENIED"))
                    .body("message", containsString("No MLflow endpoint"));
        }
    }
}
