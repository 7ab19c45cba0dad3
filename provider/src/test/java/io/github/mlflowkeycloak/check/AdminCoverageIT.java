package io.github.mlflowkeycloak.check;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.mlflowkeycloak.stack.LocalStack;
import io.github.mlflowkeycloak.stack.MlflowRoutes;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * An admin is never refused for lack of a table entry: for every route the installed MLflow
 * serves (read from MLflow itself), /check allows the realm's admin. Asked of /check directly, so
 * that no request reaches MLflow (some of these routes delete things).
 */
class AdminCoverageIT {

    @Test
    void everyRouteMlflowServesIsAllowedToAnAdmin() throws Exception {
        List<String> routes = MlflowRoutes.served();
        assertThat(routes).hasSizeGreaterThan(400);

        String admin = LocalStack.token("admin");
        List<String> refused = new ArrayList<>();
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1)
                    .replaceAll("<path:\\w+>", "a/b")
                    .replaceAll("<\\w+>", "x");
            // The two routes whose body is more than ids: a GraphQL query, and an OTLP export (one empty resource span).
            byte[] body = switch (path) {
                case "/graphql" -> "{\"query\": \"{ __typename }\"}".getBytes(StandardCharsets.UTF_8);
                case "/v1/traces" -> new byte[] {0x0a, 0x00};
                default -> new byte[0];
            };
            Response response = given().baseUri(LocalStack.keycloakUrl()).auth().oauth2(admin)
                    .header("X-MLflow-Gateway-Secret", LocalStack.gatewaySecret())
                    .header("X-Original-Method", method)
                    .header("X-Original-URI", path)
                    .header("X-Original-Content-Type", "application/x-protobuf")
                    .body(body)
                    .post("/realms/mlflow/mlflow/check");
            if (response.statusCode() != 204) {
                refused.add(route + " -> " + response.statusCode() + " " + response.asString());
            }
        }
        assertThat(refused).isEmpty();
    }
}
