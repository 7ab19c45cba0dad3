package io.github.mlflowkeycloak.browser;

import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Keycloak's admin console as shipped, driven by Chromium as a realm admin drives it: each policy
 * type of the extension is created, edited and saved through the console's own form, and the
 * decisions the gateway then makes follow what was saved. Screenshots of the flows go to
 * docs/screenshots for the README.
 */
class AdminConsoleIT {

    private static final String ADMIN = "console-admin-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PASSWORD = UUID.randomUUID().toString();
    private static final Path DOCS = LocalStack.ROOT.resolve("docs/screenshots");

    @TempDir
    static Path home;

    private static HeadlessChromium chromium;
    private static ChromeDriver browser;
    private static String client;

    @BeforeAll
    static void signInAsRealmAdmin() {
        KeycloakAdmin.createRealmAdmin(ADMIN, PASSWORD);
        client = KeycloakAdmin.clientUuid("mlflow");
        chromium = HeadlessChromium.start(home, "admin-console-timeout.png");
        browser = chromium.driver();
        browser.get(LocalStack.keycloakUrl() + "/admin/" + LocalStack.REALM + "/console/");
        chromium.signIn(ADMIN, PASSWORD);
        chromium.waitUntil(() -> browser.getCurrentUrl().contains("/console/") && chromium.bodyText().contains("Clients"));
    }

    @AfterAll
    static void signOut() {
        if (chromium != null) {
            chromium.close();
        }
        KeycloakAdmin.deleteUser(ADMIN);
    }

    @Test
    void anOwnerPolicyIsCreatedEditedAndSavedAndDecides() throws IOException {
        String experiment = createExperiment("admin", "console-owned-" + UUID.randomUUID());
        // Negative: everyone but the owner (admin) is granted; alice reads what she could not.
        decidesAsSavedInTheConsole("mlflow-owner", experiment, "alice", "policy-owner.png");
    }

    @Test
    void aUserNamespacePolicyIsCreatedEditedAndSavedAndDecides() throws IOException {
        String experiment = createExperiment("admin", "users/alice/console-" + UUID.randomUUID());
        decidesAsSavedInTheConsole("mlflow-user-namespace", experiment, "bob", "policy-user-namespace.png");
    }

    @Test
    void aGroupNamespacePolicyIsCreatedEditedAndSavedAndDecides() throws IOException {
        String experiment = createExperiment("admin", "team-a/console-" + UUID.randomUUID());
        decidesAsSavedInTheConsole("mlflow-group-namespace", experiment, "alice", "policy-group-namespace.png");
    }

    @Test
    void aNamespacePolicyIsCreatedEditedAndSavedAndDecides() throws IOException {
        String experiment = createExperiment("admin", "users/alice/console-" + UUID.randomUUID());
        decidesAsSavedInTheConsole("mlflow-namespace", experiment, "bob", "policy-namespace.png");
    }

    @Test
    void theShippedNamespacesPolicySavesInTheConsoleAndKeepsDeciding() {
        String namespaces = KeycloakAdmin.authorization().queryParam("name", "Namespaces").queryParam("type", "mlflow-namespace")
                .get("/policy").then().statusCode(200).extract().path("[0].id");
        openPolicy(namespaces, "mlflow-namespace");
        save("updated");
        String experiment = createExperiment("admin", "team-a/shipped-" + UUID.randomUUID());
        gatewayAs("bob").queryParam("experiment_id", experiment).get("/api/2.0/mlflow/experiments/get").then().statusCode(200);
        gatewayAs("alice").queryParam("experiment_id", experiment).get("/api/2.0/mlflow/experiments/get").then().statusCode(403);
    }

    /**
     * Creates a policy of the type in the console with logic Negative, lets it decide read on one
     * experiment (a permission made through the API), then sets it Positive in the console: the
     * user outside what the type grants reads the experiment, then no longer does.
     */
    private static void decidesAsSavedInTheConsole(String type, String experiment, String outsider, String screenshot)
            throws IOException {
        String name = type + " " + UUID.randomUUID();
        load(console("/clients/" + client + "/authorization/policy/new/" + type));
        // The console fills in the type's description once it has read the types, resetting the form: type after that.
        chromium.waitUntil(() -> !field("description").getAttribute("value").isEmpty());
        field("name").sendKeys(name);
        field("description").sendKeys(Keys.chord(Keys.CONTROL, "a"), "made in the admin console");
        browser.findElement(By.id("NEGATIVE")).click();
        save("created");
        chromium.waitUntil(() -> browser.getCurrentUrl().endsWith("/" + type) && !browser.getCurrentUrl().contains("/new/"));
        String[] path = browser.getCurrentUrl().split("/");
        String policy = path[path.length - 2];
        String permission = KeycloakAdmin.authorization().body(Map.of("name", "console read " + UUID.randomUUID(),
                        "resources", List.of(KeycloakAdmin.resourceId("experiment/" + experiment)), "scopes", List.of("read"),
                        "policies", List.of(policy)))
                .post("/permission/scope").then().statusCode(201).extract().path("id");
        try {
            gatewayAs(outsider).queryParam("experiment_id", experiment).get("/api/2.0/mlflow/experiments/get").then().statusCode(200);

            openPolicy(policy, type);
            WebElement description = field("description");
            description.sendKeys(Keys.chord(Keys.CONTROL, "a"), "edited in the admin console");
            browser.findElement(By.id("POSITIVE")).click();
            // The form from its top: the type's title, name and description.
            browser.executeScript("arguments[0].scrollIntoView({block: 'end'})", browser.findElement(By.tagName("h1")));
            chromium.screenshot(screenshot);
            Files.createDirectories(DOCS);
            Files.copy(Path.of("target/screenshots", screenshot), DOCS.resolve(screenshot), StandardCopyOption.REPLACE_EXISTING);
            save("updated");

            Map<String, Object> saved = KeycloakAdmin.authorization().get("/policy/" + type + "/{id}", policy).then().statusCode(200)
                    .extract().as(Map.class);
            assertThat(saved).containsEntry("description", "edited in the admin console").containsEntry("logic", "POSITIVE")
                    .containsEntry("type", type);
            gatewayAs(outsider).queryParam("experiment_id", experiment).get("/api/2.0/mlflow/experiments/get").then().statusCode(403);
        } finally {
            KeycloakAdmin.authorization().delete("/permission/{id}", permission).then().statusCode(204);
            KeycloakAdmin.authorization().delete("/policy/{id}", policy).then().statusCode(204);
        }
    }

    private static void openPolicy(String policy, String type) {
        load(console("/clients/" + client + "/authorization/policy/" + policy + "/" + type));
        chromium.waitUntil(() -> !field("name").getAttribute("value").isEmpty());
    }

    /**
     * Clicks Save and waits for the console's success alert (26.7.3 shows some of them by their
     * message key: updatePolicySuccess); an error alert fails at once.
     */
    private static void save(String done) {
        String success = "Successfully " + done + " the policy";
        String key = (done.equals("created") ? "create" : "update") + "PolicySuccess";
        String before = chromium.bodyText();
        int successes = count(before, success) + count(before, key);
        int errors = count(before, "Could not");
        browser.findElement(By.cssSelector("[data-testid='save']")).click();
        chromium.waitUntil(() -> {
            String text = chromium.bodyText();
            assertThat(count(text, "Could not")).as(text).isLessThanOrEqualTo(errors);
            return count(text, success) + count(text, key) > successes;
        });
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static WebElement field(String name) {
        chromium.waitUntil(() -> !browser.findElements(By.id(name)).isEmpty());
        return browser.findElement(By.id(name));
    }

    /** A fresh page: the console, moved from one policy's page to another's, may keep the first one's form. */
    private static void load(String url) {
        browser.get(url);
        browser.navigate().refresh();
    }

    static String console(String route) {
        return LocalStack.keycloakUrl() + "/admin/" + LocalStack.REALM + "/console/#/" + LocalStack.REALM + route;
    }
}
