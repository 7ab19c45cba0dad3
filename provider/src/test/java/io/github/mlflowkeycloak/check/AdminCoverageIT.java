package io.github.mlflowkeycloak.check;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
            String body = path.equals("/graphql") ? "{\"query\": \"{ __typename }\"}" : "";
            Response response = given().baseUri(LocalStack.keycloakUrl()).auth().oauth2(admin)
                    .header("X-Original-Method", method)
                    .header("X-Original-URI", path)
                    .body(body)
                    .post("/realms/mlflow/mlflow/check");
            if (response.statusCode() != 204) {
                refused.add(route + " -> " + response.statusCode() + " " + response.asString());
            }
        }
        assertThat(refused).isEmpty();
    }
}
