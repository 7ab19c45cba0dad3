package io.github.mlflowkeycloak.cluster;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.mlflowkeycloak.stack.LocalStack;
import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The two Keycloak nodes of {@code bin/stack up --cluster}, each asked directly at its own port, and
 * what each answered so far: every node logs each request it serves (its access log, in
 * {@code .stack/logs/<node>.log}), which tells which node the gateway sent a request to.
 */
enum KeycloakNode {

    KEYCLOAK_1("keycloak-1", LocalStack::keycloakUrl),
    KEYCLOAK_2("keycloak-2", LocalStack::keycloak2Url);

    static final String CHECK = "/realms/mlflow/mlflow/check";
    static final String OBJECT_EVENTS = "/realms/mlflow/mlflow/object-events";

    private final String service;
    private final Supplier<String> url;

    KeycloakNode(String service, Supplier<String> url) {
        this.service = service;
        this.url = url;
    }

    /** The service's name for bin/stack. */
    String service() {
        return service;
    }

    KeycloakNode other() {
        return this == KEYCLOAK_1 ? KEYCLOAK_2 : KEYCLOAK_1;
    }

    RequestSpecification request() {
        return given().baseUri(url.get()).redirects().follow(false);
    }

    /** {@code /check} of this node, asked as the gateway asks it (with the gateway's secret). */
    RequestSpecification check(String method, String uri) {
        return request().basePath(CHECK)
                .header("X-MLflow-Gateway-Secret", LocalStack.gatewaySecret())
                .header("X-Original-Method", method)
                .header("X-Original-URI", uri);
    }

    /** A demo user's access token, from this node. */
    String token(String user) {
        return request().formParam("grant_type", "password").formParam("client_id", "stack-token")
                .formParam("username", user).formParam("password", user)
                .post("/realms/mlflow/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** The Account Console's REST API of this node, as the user. */
    RequestSpecification account(String user) {
        return request().basePath("/realms/mlflow/account").auth().oauth2(token(user)).accept(ContentType.JSON);
    }

    /** The id of one of the owner's resources, as the Account Console of this node lists it. */
    String resourceId(String owner, String name) {
        List<Map<String, Object>> resources = account(owner).get("/resources").then().statusCode(200).extract().path("$");
        return (String) resources.stream().filter(resource -> KeycloakAdmin.isNameOf((String) resource.get("name"), name)).findFirst()
                .orElseThrow(() -> new AssertionError(owner + " has no resource " + name + " on " + service)).get("_id");
    }

    /** What the Account Console's "Share" dialog does, through this node; no scopes revokes. */
    void share(String owner, String resourceId, String user, List<String> scopes) {
        account(owner).contentType(ContentType.JSON).body(List.of(Map.of("username", user, "scopes", scopes)))
                .put("/resources/{id}/permissions", resourceId).then().statusCode(204);
    }

    /** How many requests to {@code path} this node has answered since its log began. */
    long answered(String path) {
        String request = " " + path + " HTTP/";
        try {
            return Files.readAllLines(log(), StandardCharsets.ISO_8859_1).stream().filter(line -> line.contains(request)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path log() {
        return LocalStack.STACK_DIR.resolve("logs/" + service + ".log");
    }
}
