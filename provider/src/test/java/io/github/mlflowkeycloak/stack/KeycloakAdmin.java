package io.github.mlflowkeycloak.stack;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The admin REST API of the stack's Keycloak, as its master-realm administrator, on realm mlflow. */
public final class KeycloakAdmin {

    private KeycloakAdmin() {
    }

    private static RequestSpecification admin() {
        return given().baseUri(LocalStack.keycloakUrl()).basePath("/admin/realms/" + LocalStack.REALM)
                .auth().oauth2(LocalStack.masterAdminToken()).contentType(ContentType.JSON);
    }

    /** The internal id of a client. */
    public static String clientUuid(String clientId) {
        List<String> ids = admin().queryParam("clientId", clientId).get("/clients").then().statusCode(200).extract().path("id");
        if (ids.isEmpty()) {
            throw new IllegalStateException("no client " + clientId);
        }
        return ids.get(0);
    }

    /** Sets one attribute of a client (for example access.token.lifespan); "" removes it. */
    public static void setClientAttribute(String clientId, String name, String value) {
        String uuid = clientUuid(clientId);
        Map<String, Object> client = admin().get("/clients/{id}", uuid).then().statusCode(200).extract().as(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = (Map<String, Object>) client.get("attributes");
        attributes.put(name, value);
        admin().body(client).put("/clients/{id}", uuid).then().statusCode(204);
    }

    /** A confidential client with a service account that holds the given role of mlflow. */
    public static void createServiceAccountClient(String clientId, String secret, String mlflowRole) {
        admin().body(Map.of("clientId", clientId, "secret", secret, "publicClient", false, "serviceAccountsEnabled", true,
                "standardFlowEnabled", false, "directAccessGrantsEnabled", false, "clientAuthenticatorType", "client-secret"))
                .post("/clients").then().statusCode(201);
        String serviceAccount = admin().get("/clients/{id}/service-account-user", clientUuid(clientId))
                .then().statusCode(200).extract().path("id");
        String mlflow = clientUuid("mlflow");
        Map<String, Object> role = admin().get("/clients/{id}/roles/{role}", mlflow, mlflowRole)
                .then().statusCode(200).extract().as(Map.class);
        admin().body(List.of(role)).post("/users/{user}/role-mappings/clients/{client}", serviceAccount, mlflow)
                .then().statusCode(204);
    }

    /** Ends every Keycloak session of a user, as an admin does in the console. */
    public static void logoutUser(String username) {
        List<String> ids = admin().queryParam("username", username).queryParam("exact", true).get("/users")
                .then().statusCode(200).extract().path("id");
        admin().post("/users/{id}/logout", ids.get(0)).then().statusCode(204);
    }

    public static void deleteClient(String clientId) {
        admin().delete("/clients/{id}", clientUuid(clientId)).then().statusCode(204);
    }
}
