package io.github.mlflowkeycloak.admin;

import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.post;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static io.github.mlflowkeycloak.stack.LocalStack.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin access API ({@code /admin/realms/mlflow/mlflow/objects/…}) on the running stack: an
 * admin grants bob's group read on alice's experiment, bob reads it through the gateway, explain
 * says why, the admin revokes it and bob is refused at his next request; the admin console's
 * admin events record each change; users who are no realm admins are refused.
 */
class AccessApiIT {

    private String experimentName;
    private String experimentId;

    @BeforeEach
    void aliceCreatesAnExperiment() {
        // Not "alice-…": other tests expect bob to see none of those, and this one shares some with him.
        experimentName = "access-api-" + UUID.randomUUID();
        experimentId = createExperiment("alice", experimentName);
    }

    private static RequestSpecification access(String bearer) {
        return given().baseUri(LocalStack.keycloakUrl()).basePath("/admin/realms/" + LocalStack.REALM + "/mlflow")
                .auth().oauth2(bearer).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    private static RequestSpecification admin() {
        return access(LocalStack.masterAdminToken());
    }

    private String experimentPath() {
        return "/objects/experiment/" + experimentId;
    }

    private int bobReads() {
        return gatewayAs("bob").queryParam("experiment_id", experimentId).get("/api/2.0/mlflow/experiments/get").statusCode();
    }

    @Test
    void anAdminGrantsTeamARead_bobReads_explainSaysWhy_revokeRefusesBobAtHisNextRequest() {
        assertThat(bobReads()).isEqualTo(403);

        JsonPath found = admin().queryParam("name", experimentName).get("/objects/experiment").then().statusCode(200).extract().jsonPath();
        assertThat(found.getString("id")).isEqualTo(experimentId);
        assertThat(found.getString("owner")).isEqualTo("alice");
        assertThat(found.getString("resource")).isEqualTo(KeycloakAdmin.resourceId("experiment/" + experimentId));

        JsonPath granted = admin().body(Map.of("scopes", List.of("read"))).put(experimentPath() + "/grants/group/team-a")
                .then().statusCode(200).extract().jsonPath();
        assertThat(granted.getList("scopes")).containsExactly("read");
        assertThat(bobReads()).isEqualTo(200);
        // read only: bob may not rename it, and as he reads it, the refusal says what to ask for and from whom
        io.restassured.response.Response rename = rename("bob", experimentId);
        assertThat(rename.statusCode()).isEqualTo(403);
        assertThat(rename.asString()).contains("this needs the 'update' scope")
                .contains("You can read the experiment '" + experimentName + "' (" + experimentId + "): ask its owner alice or an MLflow admin"
                        + " for 'update' on it.");

        List<Map<String, Object>> grants = admin().get(experimentPath() + "/grants").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(grants).singleElement().satisfies(grant -> {
            assertThat(grant.get("principal")).isEqualTo(Map.of("type", "group", "name", "team-a"));
            assertThat(grant.get("scopes")).isEqualTo(List.of("read"));
            assertThat(grant.get("via")).isEqualTo("grant");
        });
        String label = "experiment " + experimentName + " (" + experimentId + "): group team-a";
        assertThat(policyNames()).contains(label, label + " (policy)");

        JsonPath bob = admin().queryParam("user", "bob").get(experimentPath() + "/explain").then().statusCode(200).extract().jsonPath();
        assertThat(bob.getBoolean("scopes.find { it.scope == 'read' }.granted")).isTrue();
        assertThat(bob.getList("scopes.find { it.scope == 'read' }.reasons.via")).containsExactly("grant");
        assertThat(bob.getList("scopes.find { it.scope == 'read' }.reasons.permission")).containsExactly(label);
        assertThat(bob.getBoolean("scopes.find { it.scope == 'update' }.granted")).isFalse();
        JsonPath alice = admin().queryParam("user", "alice").get(experimentPath() + "/explain").then().statusCode(200).extract().jsonPath();
        assertThat(alice.getList("scopes.findAll { it.granted }.scope")).containsExactly("read", "update", "delete", "manage");
        assertThat(alice.getList("scopes.find { it.scope == 'manage' }.reasons.via")).contains("owner");
        JsonPath everyone = admin().get(experimentPath() + "/explain").then().statusCode(200).extract().jsonPath();
        assertThat(everyone.getString("owner")).isEqualTo("alice");
        assertThat(everyone.getList("access.via")).contains("owner", "grant", "role", "namespace");
        assertThat(everyone.getList("access.find { it.via == 'grant' }.policies[0].principals")).containsExactly(Map.of("type", "group", "name", "team-a"));

        admin().delete(experimentPath() + "/grants/group/team-a").then().statusCode(200);
        assertThat(bobReads()).isEqualTo(403);
        assertThat(admin().get(experimentPath() + "/grants").then().statusCode(200).extract().jsonPath().getList("$")).isEmpty();
        assertThat(policyNames()).noneMatch(name -> name.contains(experimentName));

        List<Map<String, Object>> events = KeycloakAdmin.adminEvents("AUTHORIZATION_POLICY");
        assertThat(events).filteredOn(event -> String.valueOf(event.get("resourcePath")).contains("experiment/" + experimentId + "/grants/group/team-a"))
                .extracting(event -> event.get("operationType")).contains("CREATE", "DELETE");
    }

    @Test
    void aRefusalOnAnObjectTheUserCannotReadNamesNothing_asForOneThatDoesNotExist() {
        String refused = rename("bob", experimentId).then().statusCode(403).extract().asString();
        String madeUp = rename("bob", "987654321").then().statusCode(403).extract().asString();
        assertThat(refused).isEqualTo(madeUp).doesNotContain(experimentName).doesNotContain("alice");
    }

    private io.restassured.response.Response rename(String user, String id) {
        return post(user, "/api/2.0/mlflow/experiments/update", Map.of("experiment_id", id, "new_name", experimentName + "-renamed"));
    }

    @Test
    void sharesAreListedAndExplainedWithWhoSharedThem() {
        String resource = KeycloakAdmin.resourceId("experiment/" + experimentId);
        given().baseUri(LocalStack.keycloakUrl()).basePath("/realms/" + LocalStack.REALM + "/account").auth().oauth2(token("alice"))
                .contentType(ContentType.JSON).body(List.of(Map.of("username", "bob", "scopes", List.of("read", "update"))))
                .put("/resources/{id}/permissions", resource).then().statusCode(204);

        List<Map<String, Object>> grants = admin().get(experimentPath() + "/grants").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(grants).containsExactly(Map.of("principal", Map.of("type", "user", "name", "bob"), "scopes", List.of("read", "update"),
                "via", "share", "sharedBy", "alice"));
        JsonPath bob = admin().queryParam("user", "bob").get(experimentPath() + "/explain").then().statusCode(200).extract().jsonPath();
        assertThat(bob.getList("scopes.find { it.scope == 'update' }.reasons.via")).containsExactly("share");
        assertThat(bob.getList("scopes.find { it.scope == 'update' }.reasons.sharedBy")).containsExactly("alice");
        assertThat(bob.getBoolean("scopes.find { it.scope == 'delete' }.granted")).isFalse();
    }

    @Test
    void anObjectMadeBeforeTheGatewayGetsAnOwnerOnlyIfItHasNone() {
        String name = "legacy-" + UUID.randomUUID();
        String id = given().baseUri(LocalStack.mlflowDirectUrl()).contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200).extract().path("experiment_id");
        JsonPath before = admin().get("/objects/experiment/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(before.getString("owner")).isNull();
        assertThat(before.getString("resource")).isNull();
        // Without a resource of its own, only the kind's permissions decide: MLflow's admin role reaches it, bob nothing.
        JsonPath admin = admin().queryParam("user", "admin").get("/objects/experiment/" + id + "/explain").then().statusCode(200)
                .extract().jsonPath();
        assertThat(admin.getList("scopes.findAll { it.granted }.scope")).containsExactly("read", "update", "delete", "manage");
        assertThat(admin.getList("scopes.find { it.scope == 'delete' }.reasons.permission")).containsExactly("experiment: delete and manage");
        JsonPath bob = admin().queryParam("user", "bob").get("/objects/experiment/" + id + "/explain").then().statusCode(200)
                .extract().jsonPath();
        assertThat(bob.getList("scopes.findAll { it.granted }")).isEmpty();

        JsonPath adopted = admin().body(Map.of("username", "bob", "onlyIfNone", true)).put("/objects/experiment/" + id + "/owner")
                .then().statusCode(200).extract().jsonPath();
        assertThat(adopted.getString("owner")).isEqualTo("bob");
        assertThat(adopted.getBoolean("changed")).isTrue();
        assertThat(gatewayAs("bob").queryParam("experiment_id", id).get("/api/2.0/mlflow/experiments/get").statusCode()).isEqualTo(200);

        JsonPath again = admin().body(Map.of("username", "alice", "onlyIfNone", true)).put("/objects/experiment/" + id + "/owner")
                .then().statusCode(200).extract().jsonPath();
        assertThat(again.getString("owner")).isEqualTo("bob");
        assertThat(again.getBoolean("changed")).isFalse();
        assertThat(KeycloakAdmin.adminEvents("AUTHORIZATION_RESOURCE"))
                .anyMatch(event -> String.valueOf(event.get("resourcePath")).contains("experiment/" + id + "/owner"));
    }

    @Test
    void aGrantOnAnObjectNoOneOwnsHoldsForThatObjectAlone() {
        String legacy = given().baseUri(LocalStack.mlflowDirectUrl()).contentType(ContentType.JSON)
                .body(Map.of("name", "legacy-" + UUID.randomUUID())).post("/api/2.0/mlflow/experiments/create")
                .then().statusCode(200).extract().path("experiment_id");
        String alices = createExperiment("alice", "alice-" + UUID.randomUUID());
        admin().body(Map.of("scopes", List.of("read"))).put("/objects/experiment/" + legacy + "/grants/user/bob").then().statusCode(200);
        try {
            assertThat(gatewayAs("bob").queryParam("experiment_id", legacy).get("/api/2.0/mlflow/experiments/get").statusCode())
                    .isEqualTo(200);
            assertThat(gatewayAs("bob").queryParam("experiment_id", alices).get("/api/2.0/mlflow/experiments/get").statusCode())
                    .isEqualTo(403);
            assertThat(gatewayAs("bob").queryParam("max_results", 1000).get("/api/2.0/mlflow/experiments/search").then().statusCode(200)
                    .extract().<List<String>>path("experiments.experiment_id")).contains(legacy).doesNotContain(alices);
            // Keycloak applies the permissions of every resource of a type the resource server owns to
            // every object of that type: the resource made for the grant has none.
            assertThat(KeycloakAdmin.resource("experiment/" + legacy)).doesNotContainKey("type");
        } finally {
            admin().delete("/objects/experiment/" + legacy + "/grants/user/bob").then().statusCode(200);
        }
    }

    @Test
    void usersWhoAreNoRealmAdminsAreRefused() {
        for (String user : List.of("bob", "admin")) {
            // "admin" is MLflow's admin (client role mlflow/admin), not the realm's
            access(token(user)).get(experimentPath()).then().statusCode(403);
            access(token(user)).body(Map.of("scopes", List.of("read"))).put(experimentPath() + "/grants/user/" + user)
                    .then().statusCode(403);
        }
        assertThat(bobReads()).isEqualTo(403);
    }

    @Test
    void aRealmAdminWhoMayOnlyViewAuthorizationReadsButChangesNothing() {
        String client = "it-viewer-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        KeycloakAdmin.createRealmAdminClient(client, secret, "view-authorization");
        try {
            String token = given().baseUri(LocalStack.keycloakUrl()).formParam("grant_type", "client_credentials")
                    .formParam("client_id", client).formParam("client_secret", secret)
                    .post("/realms/{realm}/protocol/openid-connect/token", LocalStack.REALM).then().statusCode(200).extract().path("access_token");
            access(token).get(experimentPath() + "/grants").then().statusCode(200);
            access(token).queryParam("user", "bob").get(experimentPath() + "/explain").then().statusCode(200);
            assertError(access(token).body(Map.of("scopes", List.of("read"))).put(experimentPath() + "/grants/group/team-a"), 403);
            assertError(access(token).body(Map.of("username", "bob", "onlyIfNone", false)).put(experimentPath() + "/owner"), 403);
            assertThat(bobReads()).isEqualTo(403);
        } finally {
            KeycloakAdmin.deleteClient(client);
        }
    }

    @Test
    void badInputIsA400AndUnknownObjectsOrPrincipalsA404_allAsJson() {
        assertError(admin().body(Map.of("scopes", List.of("create"))).put(experimentPath() + "/grants/group/team-a"), 400);
        assertError(admin().body("{\"scopes\": \"read\"}").put(experimentPath() + "/grants/group/team-a"), 400);
        assertError(admin().body("not json").put(experimentPath() + "/grants/group/team-a"), 400);
        assertError(admin().body(Map.of("scopes", List.of("read"))).put(experimentPath() + "/grants/team/team-a"), 400);
        assertError(admin().body(Map.of("scopes", List.of("read"))).put(experimentPath() + "/grants/group/no-such-group"), 404);
        assertError(admin().body(Map.of("scopes", List.of("read"))).put(experimentPath() + "/grants/role/no-such-role"), 404);
        assertError(admin().get("/objects/experiment/not-a-number"), 400);
        assertError(admin().get("/objects/dataset/1"), 400);
        assertError(admin().get("/objects/experiment/987654321"), 404);
        assertError(admin().queryParam("name", "no-such-" + UUID.randomUUID()).get("/objects/experiment"), 404);
        assertError(admin().get("/objects/registered-model/no-such-" + UUID.randomUUID()), 404);
        assertError(admin().queryParam("user", "nobody-" + UUID.randomUUID()).get(experimentPath() + "/explain"), 404);
        assertError(admin().body(Map.of("username", "bob", "onlyIfNone", "yes")).put(experimentPath() + "/owner"), 400);
    }

    @Test
    void aRoleOfTheMlflowClientIsGrantedByClientIdAndName() {
        admin().body(Map.of("scopes", List.of("read", "update"))).put(experimentPath() + "/grants/role/mlflow/viewer")
                .then().statusCode(200);
        List<Map<String, Object>> grants = admin().get(experimentPath() + "/grants").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(grants).extracting(grant -> grant.get("principal")).containsExactly(Map.of("type", "role", "name", "mlflow/viewer"));
        admin().body(Map.of("scopes", List.of())).put(experimentPath() + "/grants/role/mlflow/viewer").then().statusCode(200);
        assertThat(policyNames()).noneMatch(name -> name.contains(experimentName));
    }

    private static void assertError(io.restassured.response.Response response, int status) {
        response.then().statusCode(status);
        assertThat(response.jsonPath().getString("error")).isNotBlank();
    }

    private static List<String> policyNames() {
        return KeycloakAdmin.authorization().queryParam("max", -1).get("/policy").then().statusCode(200).extract().jsonPath().getList("name");
    }
}
