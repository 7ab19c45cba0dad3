package io.github.mlflowkeycloak.check;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/**
 * What the admin console's provider info (the admin REST API's server info) says of the extension
 * on the running stack: the version it was built as, the MLflow release of its route table, every
 * option as in effect, and of the gateway secret only that it is set.
 */
class ProviderInfoIT {

    @Test
    void showsTheVersionsTheOptionsInEffectAndThatTheSecretIsSet() throws Exception {
        String body = given().baseUri(LocalStack.keycloakUrl()).auth().oauth2(LocalStack.masterAdminToken())
                .get("/admin/serverinfo").then().statusCode(200).extract().asString();
        Map<String, String> info = JsonPath.from(body)
                .getMap("providers.realm-restapi-extension.providers.mlflow.operationalInfo", String.class, String.class);

        assertThat(info).containsEntry("version", projectVersion())
                .containsEntry("mlflow-version", "")
                .containsEntry("gateway-secret", "set")
                .containsEntry("mlflow-url", LocalStack.mlflowDirectUrl())
                .containsEntry("client-id", "mlflow")
                .containsEntry("missing-object-seconds", "10");
        assertThat(info.get("mlflow-versions").split(" ")).as("the releases the route tables cover")
                .startsWith("3.14.0").contains(pinnedMlflowVersion());
        assertThat(info.keySet()).containsAll(CheckSettings.OPTIONS.stream().map(Option::name).toList());
        assertThat(body).doesNotContain(LocalStack.gatewaySecret());
    }

    private static String projectVersion() throws Exception {
        Matcher parent = Pattern.compile("<artifactId>mlflow-keycloak-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(LocalStack.ROOT.resolve("pom.xml")));
        assertThat(parent.find()).isTrue();
        return parent.group(1);
    }

    private static String pinnedMlflowVersion() throws Exception {
        Matcher pin = Pattern.compile("(?m)^mlflow==(\\S+)$").matcher(Files.readString(LocalStack.ROOT.resolve("mlflow/requirements.txt")));
        assertThat(pin.find()).isTrue();
        return pin.group(1);
    }
}
