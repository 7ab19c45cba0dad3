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
        createClientHolding(clientId, secret, "mlflow", mlflowRole);
    }

    /** A public client with the password grant: another application of the realm that users sign in to. */
    public static void createPasswordGrantClient(String clientId) {
        admin().body(Map.of("clientId", clientId, "publicClient", true, "standardFlowEnabled", false, "directAccessGrantsEnabled", true))
                .post("/clients").then().statusCode(201);
    }

    /** The client's current secret, as the admin console's Credentials tab shows it. */
    public static String clientSecret(String clientId) {
        return admin().get("/clients/{id}/client-secret", clientUuid(clientId)).then().statusCode(200).extract().path("value");
    }

    /** A confidential client with a service account that holds no role of mlflow, only the realm's default roles. */
    public static void createServiceAccountClient(String clientId, String secret) {
        createClient(clientId, secret);
    }

    /** A confidential client whose service account holds a role of realm-management (a realm admin's role). */
    public static void createRealmAdminClient(String clientId, String secret, String realmManagementRole) {
        createClientHolding(clientId, secret, "realm-management", realmManagementRole);
    }

    private static void createClientHolding(String clientId, String secret, String roleClientId, String role) {
        String serviceAccount = createClient(clientId, secret);
        String roleClient = clientUuid(roleClientId);
        Map<String, Object> representation = admin().get("/clients/{id}/roles/{role}", roleClient, role)
                .then().statusCode(200).extract().as(Map.class);
        admin().body(List.of(representation)).post("/users/{user}/role-mappings/clients/{client}", serviceAccount, roleClient)
                .then().statusCode(204);
    }

    /**
     * A confidential client whose service account's tokens are meant for mlflow, as the README's CI setup has it.
     *
     * @return the id of its service-account user
     */
    private static String createClient(String clientId, String secret) {
        Map<String, Object> audience = Map.of("name", "audience: mlflow", "protocol", "openid-connect",
                "protocolMapper", "oidc-audience-mapper",
                "config", Map.of("included.client.audience", "mlflow", "access.token.claim", "true", "id.token.claim", "false"));
        admin().body(Map.of("clientId", clientId, "secret", secret, "publicClient", false, "serviceAccountsEnabled", true,
                "standardFlowEnabled", false, "directAccessGrantsEnabled", false, "clientAuthenticatorType", "client-secret",
                "protocolMappers", List.of(audience)))
                .post("/clients").then().statusCode(201);
        return admin().get("/clients/{id}/service-account-user", clientUuid(clientId)).then().statusCode(200).extract().path("id");
    }

    /** Ends every Keycloak session of a user, as an admin does in the console. */
    public static void logoutUser(String username) {
        admin().post("/users/{id}/logout", userId(username)).then().statusCode(204);
    }

    /** The id of a user of the realm. */
    public static String userId(String username) {
        List<String> ids = admin().queryParam("username", username).queryParam("exact", true).get("/users")
                .then().statusCode(200).extract().path("id");
        return ids.get(0);
    }

    /** The id of a top-level group of the realm. */
    public static String groupId(String name) {
        List<Map<String, Object>> groups = admin().queryParam("search", name).queryParam("exact", true).get("/groups")
                .then().statusCode(200).extract().path("$");
        return (String) groups.stream().filter(group -> name.equals(group.get("name"))).findFirst().orElseThrow().get("id");
    }

    public static void joinGroup(String username, String group) {
        admin().put("/users/{user}/groups/{group}", userId(username), groupId(group)).then().statusCode(204);
    }

    public static void leaveGroup(String username, String group) {
        admin().delete("/users/{user}/groups/{group}", userId(username), groupId(group)).then().statusCode(204);
    }

    /** The Authorization Services API of the mlflow client (resources, policies, permissions). */
    public static RequestSpecification authorization() {
        return admin().basePath("/admin/realms/" + LocalStack.REALM + "/clients/" + clientUuid("mlflow") + "/authz/resource-server");
    }

    /**
     * The id of an instance resource by its key (experiment/&lt;id&gt;, registered-model/&lt;name&gt;): an experiment's
     * resource name is its MLflow name, then its key in parentheses.
     */
    public static String resourceId(String key) {
        return (String) resource(key).get("_id");
    }

    /** The representation of an instance resource by its key, as the admin API gives it. */
    public static Map<String, Object> resource(String key) {
        List<Map<String, Object>> found = authorization().queryParam("name", key).queryParam("max", 1000)
                .get("/resource").then().statusCode(200).extract().path("$");
        return found.stream().filter(resource -> isNameOf((String) resource.get("name"), key)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no resource " + key));
    }

    /** Whether a resource name is that of the instance with this key. */
    public static boolean isNameOf(String name, String key) {
        return name.equals(key) || name.endsWith(" (" + key + ")") || name.endsWith(" (deleted " + key + ")");
    }

    /** A user of the realm with Keycloak's role realm-admin (client realm-management): a realm admin of the consoles. */
    public static void createRealmAdmin(String username, String password) {
        admin().body(Map.of("username", username, "enabled", true, "email", username + "@example.org", "emailVerified", true,
                        "firstName", "Realm", "lastName", "Admin",
                        "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))))
                .post("/users").then().statusCode(201);
        String realmManagement = clientUuid("realm-management");
        Map<String, Object> role = admin().get("/clients/{id}/roles/{role}", realmManagement, "realm-admin")
                .then().statusCode(200).extract().as(Map.class);
        admin().body(List.of(role)).post("/users/{user}/role-mappings/clients/{client}", userId(username), realmManagement)
                .then().statusCode(204);
    }

    public static void deleteUser(String username) {
        admin().delete("/users/{id}", userId(username)).then().statusCode(204);
    }

    /** A user of the realm with a password, enabled and with the profile Keycloak asks for; returns its id. */
    public static String createUser(String username, String password) {
        admin().body(Map.of("username", username, "enabled", true, "email", username + "@example.org", "emailVerified", true,
                "firstName", username, "lastName", "Test",
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))))
                .post("/users").then().statusCode(201);
        return userId(username);
    }

    /** The names of the roles of a client that a user holds directly. */
    public static List<String> clientRoles(String username, String clientId) {
        return admin().get("/users/{user}/role-mappings/clients/{client}", userId(username), clientUuid(clientId))
                .then().statusCode(200).extract().path("name");
    }

    /**
     * A confidential client whose service account holds the given roles of realm-management: an
     * administrator of this realm that scripts sign in as (client credentials).
     */
    public static void createAdminClient(String clientId, String secret, String... realmManagementRoles) {
        admin().body(Map.of("clientId", clientId, "secret", secret, "publicClient", false, "serviceAccountsEnabled", true,
                "standardFlowEnabled", false, "directAccessGrantsEnabled", false, "clientAuthenticatorType", "client-secret"))
                .post("/clients").then().statusCode(201);
        String serviceAccount = admin().get("/clients/{id}/service-account-user", clientUuid(clientId))
                .then().statusCode(200).extract().path("id");
        String realmManagement = clientUuid("realm-management");
        List<Map<String, Object>> roles = new java.util.ArrayList<>();
        for (String role : realmManagementRoles) {
            roles.add(admin().get("/clients/{id}/roles/{role}", realmManagement, role).then().statusCode(200).extract().as(Map.class));
        }
        admin().body(roles).post("/users/{user}/role-mappings/clients/{client}", serviceAccount, realmManagement)
                .then().statusCode(204);
    }

    public static void deleteClient(String clientId) {
        admin().delete("/clients/{id}", clientUuid(clientId)).then().statusCode(204);
    }

    /** The realm's stored events of a type (the admin console's Events), newest first. */
    public static List<Map<String, Object>> events(String type, String clientId) {
        return admin().queryParam("type", type).queryParam("client", clientId).get("/events")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    /** The realm's admin events of a resource type (the admin console's Events → Admin events), newest first. */
    public static List<Map<String, Object>> adminEvents(String resourceType) {
        return admin().queryParam("resourceTypes", resourceType).queryParam("max", 1000).get("/admin-events")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }
}
