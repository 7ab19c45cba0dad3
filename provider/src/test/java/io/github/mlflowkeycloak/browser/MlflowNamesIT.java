package io.github.mlflowkeycloak.browser;

import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.mlflowkeycloak.stack.HeadlessChromium;
import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import io.github.mlflowkeycloak.stack.LocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Experiments and models as Keycloak's consoles show them: found by the name MLflow shows, under
 * the new name after a rename in MLflow, marked while deleted in MLflow, gone once MLflow has
 * removed them for good; and the Account Console's link leads to MLflow.
 */
class MlflowNamesIT {

    private static final Path DOCS = LocalStack.ROOT.resolve("docs/screenshots");

    @TempDir
    Path home;

    @Test
    void aRealmAdminFindsAnExperimentByItsMlflowNameAndAfterARename() throws IOException {
        String name = "churn-" + UUID.randomUUID().toString().substring(0, 8);
        String experiment = createExperiment("alice", name);
        String admin = "names-admin-" + UUID.randomUUID().toString().substring(0, 8);
        String password = UUID.randomUUID().toString();
        KeycloakAdmin.createRealmAdmin(admin, password);
        try (HeadlessChromium chromium = HeadlessChromium.start(home, "names-admin-timeout.png")) {
            ChromeDriver browser = chromium.driver();
            browser.get(LocalStack.keycloakUrl() + "/admin/" + LocalStack.REALM + "/console/");
            chromium.signIn(admin, password);
            String resources = AdminConsoleIT.console("/clients/" + KeycloakAdmin.clientUuid("mlflow") + "/authorization/resources");

            searchResources(chromium, resources, name);
            chromium.waitUntil(() -> chromium.bodyText().contains(name + " (experiment/" + experiment + ")"));
            documented(chromium, "admin-console-resource-search.png");

            String renamed = "renamed-" + name;
            post("alice", "/api/2.0/mlflow/experiments/update", Map.of("experiment_id", experiment, "new_name", renamed))
                    .then().statusCode(200);
            searchResources(chromium, resources, renamed);
            chromium.waitUntil(() -> chromium.bodyText().contains(renamed + " (experiment/" + experiment + ")"));
            searchResources(chromium, resources, "(experiment/" + experiment + ")");
            chromium.waitUntil(() -> chromium.bodyText().contains(renamed + " (experiment/" + experiment + ")"));
            assertThat(chromium.bodyText().lines()).noneMatch(line -> line.startsWith(name + " (experiment/"));
        } finally {
            KeycloakAdmin.deleteUser(admin);
        }
    }

    @Test
    void anOwnerFindsHerExperimentByItsMlflowNameInTheAccountConsoleWhichLinksToMlflow() throws IOException {
        String name = "forecast-" + UUID.randomUUID().toString().substring(0, 8);
        String experiment = createExperiment("alice", name);
        String renamed = "renamed-" + name;
        post("alice", "/api/2.0/mlflow/experiments/update", Map.of("experiment_id", experiment, "new_name", renamed))
                .then().statusCode(200);
        try (HeadlessChromium chromium = HeadlessChromium.start(home, "names-account-timeout.png")) {
            ChromeDriver browser = chromium.driver();
            browser.get(LocalStack.keycloakUrl() + "/realms/" + LocalStack.REALM + "/account/resources");
            chromium.signIn("alice", "alice");
            chromium.waitUntil(() -> chromium.bodyText().contains("My Resources"));
            By filterBox = By.cssSelector("input[class*='text-input-group__text-input']");
            chromium.waitUntil(() -> !browser.findElements(filterBox).isEmpty());
            WebElement filter = browser.findElement(filterBox);
            filter.sendKeys(renamed, Keys.ENTER);
            chromium.waitUntil(() -> chromium.bodyText().contains(renamed + " (experiment/" + experiment + ")"));
            documented(chromium, "account-console-resource-search.png");
            // The resource's client links to MLflow through the gateway.
            List<String> links = browser.findElements(By.tagName("a")).stream().map(a -> a.getAttribute("href"))
                    .filter(href -> href != null && href.startsWith(LocalStack.gatewayUrl())).toList();
            assertThat(links).as("a link to MLflow on the gateway").isNotEmpty();
        }
    }

    @Test
    void aDeletedExperimentIsMarkedUntilRestoredAndGoesWhenItsNameIsFreeAgain() throws Exception {
        String name = "deleted-" + UUID.randomUUID().toString().substring(0, 8);
        String experiment = createExperiment("alice", name);
        // Not the newest: SQLite gives the newest id again once it is removed, and then the key alone tells.
        createExperiment("alice", "later-" + name);
        String key = "experiment/" + experiment;
        post("alice", "/api/2.0/mlflow/experiments/delete", Map.of("experiment_id", experiment)).then().statusCode(200);
        Map<String, Object> deleted = KeycloakAdmin.resource(key);
        assertThat(deleted.get("name")).isEqualTo(name + " (deleted " + key + ")");
        assertThat(deleted.get("attributes")).isEqualTo(Map.of("mlflow.name", List.of(name), "mlflow.lifecycle_stage", List.of("deleted")));

        post("alice", "/api/2.0/mlflow/experiments/restore", Map.of("experiment_id", experiment)).then().statusCode(200);
        Map<String, Object> restored = KeycloakAdmin.resource(key);
        assertThat(restored.get("name")).isEqualTo(name + " (" + key + ")");
        assertThat(restored.get("attributes")).isEqualTo(Map.of("mlflow.name", List.of(name)));

        // mlflow gc removes it for good, past the gateway; MLflow then gives its name to a new experiment.
        post("alice", "/api/2.0/mlflow/experiments/delete", Map.of("experiment_id", experiment)).then().statusCode(200);
        gc(experiment);
        String successor = createExperiment("bob", name);
        assertThat(successor).isNotEqualTo(experiment);
        assertThat(KeycloakAdmin.resource("experiment/" + successor).get("name")).isEqualTo(name + " (experiment/" + successor + ")");
        List<Map<String, Object>> left = KeycloakAdmin.authorization().queryParam("name", key).get("/resource")
                .then().statusCode(200).extract().path("$");
        assertThat(left).extracting(resource -> resource.get("name")).noneMatch(found -> KeycloakAdmin.isNameOf((String) found, key));
    }

    @Test
    void aRenamedModelIsFoundUnderItsNewName() {
        String name = "model-" + UUID.randomUUID().toString().substring(0, 8);
        post("alice", "/api/2.0/mlflow/registered-models/create", Map.of("name", name)).then().statusCode(200);
        post("alice", "/api/2.0/mlflow/registered-models/rename", Map.of("name", name, "new_name", "renamed-" + name)).then().statusCode(200);
        List<Map<String, Object>> found = KeycloakAdmin.authorization().queryParam("name", "renamed-" + name).get("/resource")
                .then().statusCode(200).extract().path("$");
        assertThat(found).extracting(resource -> resource.get("name")).containsExactly("registered-model/renamed-" + name);
    }

    private static void gc(String experiment) throws IOException, InterruptedException {
        Path mlflow = LocalStack.STACK_DIR.resolve("venv/bin/mlflow");
        String store = "sqlite:///" + LocalStack.STACK_DIR.resolve("mlflow/mlflow.db");
        ProcessBuilder command = new ProcessBuilder(mlflow.toString(), "gc", "--backend-store-uri", store, "--experiment-ids", experiment)
                .redirectErrorStream(true);
        // gc also removes every deleted run's artifacts, and runs logged through the server keep theirs behind
        // mlflow-artifacts:/ URIs, which it deletes through the server itself.
        command.environment().put("MLFLOW_TRACKING_URI", LocalStack.mlflowDirectUrl());
        Process process = command.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }

    /** The resources tab's search, by name, as a realm admin uses it. */
    private static void searchResources(HeadlessChromium chromium, String resources, String name) {
        ChromeDriver browser = chromium.driver();
        browser.get(resources);
        browser.navigate().refresh();
        chromium.waitUntil(() -> !browser.findElements(By.cssSelector("[data-testid='searchdropdown_dorpdown'] button, "
                + ".keycloak__client_authentication__searchdropdown")).isEmpty());
        browser.findElement(By.cssSelector("[data-testid='searchdropdown_dorpdown'] button, "
                + ".keycloak__client_authentication__searchdropdown")).click();
        By nameField = By.cssSelector("#name, [data-testid='searchdropdown_name']");
        chromium.waitUntil(() -> browser.findElement(nameField).isDisplayed());
        browser.findElement(nameField).sendKeys(name);
        browser.findElement(By.xpath("//button[normalize-space()='Search']")).click();
    }

    private static void documented(HeadlessChromium chromium, String screenshot) throws IOException {
        chromium.screenshot(screenshot);
        Files.createDirectories(DOCS);
        Files.copy(Path.of("target/screenshots", screenshot), DOCS.resolve(screenshot), StandardCopyOption.REPLACE_EXISTING);
    }
}
