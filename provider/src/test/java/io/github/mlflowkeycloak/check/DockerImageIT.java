package io.github.mlflowkeycloak.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import io.github.mlflowkeycloak.stack.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The /check contract against the image that docker/Dockerfile builds, with the demo users
 * imported. Needs a Docker engine, and skips itself where there is none (as on the machines this
 * project is developed and tested on; CheckEndpointIT runs the same contract there).
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerImageIT extends CheckContract {

    private static final String GATEWAY_SECRET = "docker-it-gateway-secret-0123456789";

    private static KeycloakContainer keycloak;

    @BeforeAll
    static void buildAndStartTheImage() throws Exception {
        Path realmWithDemoUsers = Path.of(DockerImageIT.class.getResource("/").toURI()).resolve("docker-it/mlflow-realm.json");
        Files.createDirectories(realmWithDemoUsers.getParent());
        Process merge = new ProcessBuilder(LocalStack.ROOT.resolve("bin/merge-realm").toString(),
                LocalStack.ROOT.resolve("realm/mlflow-realm.json").toString(),
                LocalStack.ROOT.resolve("realm/demo-overlay.json").toString(),
                realmWithDemoUsers.toString()).inheritIO().start();
        if (!merge.waitFor(1, TimeUnit.MINUTES) || merge.exitValue() != 0) {
            throw new IllegalStateException("bin/merge-realm failed");
        }
        String image = new ImageFromDockerfile("mlflow-keycloak-it", true)
                .withFileFromPath(".", LocalStack.ROOT)
                .withDockerfile(LocalStack.ROOT.resolve("docker/Dockerfile"))
                .get();
        keycloak = new KeycloakContainer(image)
                .withRealmImportFile("docker-it/mlflow-realm.json")
                .withEnv("KC_SPI_REALM_RESTAPI_EXTENSION__MLFLOW__GATEWAY_SECRET", GATEWAY_SECRET)
                .withEnv("KC_SPI_REALM_RESTAPI_EXTENSION__MLFLOW__TOKEN_CLIENTS", "stack-token")
                .withStartupTimeout(Duration.ofMinutes(5));
        keycloak.start();
    }

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.stop();
        }
    }

    @Override
    protected String keycloakUrl() {
        return keycloak.getAuthServerUrl();
    }

    @Override
    protected String gatewaySecret() {
        return GATEWAY_SECRET;
    }

    @Override
    protected String token(String user) {
        return io.restassured.RestAssured.given().baseUri(keycloakUrl())
                .formParam("grant_type", "password")
                .formParam("client_id", "stack-token")
                .formParam("username", user)
                .formParam("password", user)
                .post("/realms/mlflow/protocol/openid-connect/token")
                .then().statusCode(200)
                .extract().path("access_token");
    }
}
