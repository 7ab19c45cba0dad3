package io.github.mlflowkeycloak.browser;

import static io.github.mlflowkeycloak.stack.LocalStack.gateway;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.github.mlflowkeycloak.stack.HeadlessChromium;
import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The MLflow UI with nothing but a browser (Debian's chromium, headless, through chromedriver):
 * a new visitor lands on the themed login page, signs in, and uses MLflow; the session follows
 * the Keycloak session; programs get 401 JSON, and other sites cannot use the cookie.
 * Screenshots go to target/screenshots.
 */
class BrowserSsoIT {

    private static String experimentId;
    private static String experimentName;
    private static String runId;

    @TempDir
    Path home;

    private HeadlessChromium chromium;
    private ChromeDriver browser;

    @BeforeAll
    static void anExperimentWithARun() {
        experimentName = "browser-" + UUID.randomUUID();
        experimentId = gatewayAs("admin").contentType(ContentType.JSON).body(Map.of("name", experimentName))
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200).extract().path("experiment_id");
        runId = gatewayAs("admin").contentType(ContentType.JSON)
                .body(Map.of("experiment_id", experimentId, "run_name", "browser-run", "start_time", System.currentTimeMillis()))
                .post("/api/2.0/mlflow/runs/create").then().statusCode(200).extract().path("run.info.run_id");
    }

    @BeforeEach
    void startBrowser() {
        chromium = HeadlessChromium.start(home, "timeout.png");
        browser = chromium.driver();
    }

    @AfterEach
    void stopBrowser() {
        chromium.close();
    }

    @Test
    @Tag("smoke")
    void aVisitorSignsInOnTheThemedPageAndUsesTheUi() throws Exception {
        browser.get(LocalStack.gatewayUrl() + "/");
        chromium.waitUntil(() -> browser.getCurrentUrl().startsWith(LocalStack.keycloakUrl() + "/realms/mlflow/"));
        assertThat(browser.getPageSource()).contains("/login/mlflow/css/mlflow.css");
        assertThat(browser.findElement(By.id("kc-header-wrapper")).getText()).containsIgnoringCase("MLflow");
        chromium.screenshot("login.png");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        assertThat(browser.findElement(By.id("kc-login")).isDisplayed()).as("the form fits a phone").isTrue();
        chromium.screenshot("login-phone.png");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));

        chromium.signIn("dana", "not-her-password");
        chromium.waitUntil(() -> chromium.bodyText().contains("Invalid username or password."));
        chromium.screenshot("login-wrong-password.png");

        chromium.signIn("dana", "dana");
        chromium.waitUntil(() -> browser.getCurrentUrl().startsWith(LocalStack.gatewayUrl()) && chromium.bodyText().contains("Experiments"));
        chromium.screenshot("mlflow-ui.png");

        Cookie session = browser.manage().getCookieNamed("MLFLOW_SESSION");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Lax");
        assertThat(session.getPath()).isEqualTo("/");

        browser.get(LocalStack.gatewayUrl() + "/#/experiments/" + experimentId);
        chromium.waitUntil(() -> chromium.bodyText().contains(experimentName));
        browser.get(LocalStack.gatewayUrl() + "/#/experiments/" + experimentId + "/runs/" + runId);
        chromium.waitUntil(() -> chromium.bodyText().contains("browser-run"));
        chromium.screenshot("mlflow-run.png");

        // What the UI's own calls get, ajax and GraphQL alike.
        assertThat(fetch("GET", "/ajax-api/2.0/mlflow/runs/get?run_id=" + runId, null)).startsWith("200 ");
        assertThat(fetch("POST", "/graphql", "{\"query\": \"{ mlflowGetRun(input: {runId: \\\"" + runId + "\\\"}) { run { info { runName } } } }\"}"))
                .startsWith("200 ").contains("browser-run");
    }

    @Test
    void aUserWithoutARoleSeesTheirOwnInTheUiAndFindsThemInTheAccountConsole() throws Exception {
        String alices = "alice-ui-" + UUID.randomUUID();
        String alicesExperiment = gatewayAs("alice").contentType(ContentType.JSON).body(Map.of("name", alices))
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200).extract().path("experiment_id");
        String alicesRun = gatewayAs("alice").contentType(ContentType.JSON)
                .body(Map.of("experiment_id", alicesExperiment, "run_name", "alice-run", "start_time", System.currentTimeMillis()))
                .post("/api/2.0/mlflow/runs/create").then().statusCode(200).extract().path("run.info.run_id");
        String bobs = "bob-ui-" + UUID.randomUUID();
        String bobsExperiment = gatewayAs("bob").contentType(ContentType.JSON).body(Map.of("name", bobs))
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200).extract().path("experiment_id");

        browser.get(LocalStack.gatewayUrl() + "/");
        chromium.signIn("alice", "alice");
        chromium.waitUntil(() -> chromium.bodyText().contains(alices));
        assertThat(chromium.bodyText()).doesNotContain(bobs).doesNotContain(experimentName);
        chromium.screenshot("mlflow-ui-owner.png");
        // The run page: the UI's GraphQL and ajax calls, decided on alice's experiment.
        browser.get(LocalStack.gatewayUrl() + "/#/experiments/" + alicesExperiment + "/runs/" + alicesRun);
        chromium.waitUntil(() -> chromium.bodyText().contains("alice-run") && chromium.bodyText().contains(alicesRun));

        // Her Account Console lists what she owns, to share (sharing itself: ObjectPermissionsIT, through its REST API).
        browser.get(LocalStack.keycloakUrl() + "/realms/mlflow/account/resources");
        // Listed by the name MLflow shows, with the id MLflow's addresses show.
        chromium.waitUntil(() -> chromium.bodyText().contains("My Resources")
                && chromium.bodyText().contains(alices + " (experiment/" + alicesExperiment + ")"));
        assertThat(chromium.bodyText()).doesNotContain(bobs).doesNotContain("(experiment/" + bobsExperiment + ")");
        chromium.screenshot("account-console-resources.png");
    }

    @Test
    void aViewersEditsAreRefusedWithMlflowsErrorShape() {
        browser.get(LocalStack.gatewayUrl() + "/");
        chromium.signIn("victor", "victor");
        chromium.waitUntil(() -> chromium.bodyText().contains("Experiments"));
        String refused = fetch("POST", "/ajax-api/2.0/mlflow/experiments/set-experiment-tag",
                "{\"experiment_id\": \"" + experimentId + "\", \"key\": \"victor\", \"value\": \"" + UUID.randomUUID() + "\"}");
        assertThat(refused).startsWith("403 ").contains("\"error_code\":\"PERMISSION_DENIED\"");
        assertThat(fetch("GET", "/ajax-api/2.0/mlflow/experiments/get?experiment_id=" + experimentId, null)).startsWith("200 ");
    }

    @Test
    void aViewerSeesMlflowsOwnErrorWhenTheUiTriesAnEdit() throws Exception {
        browser.get(LocalStack.gatewayUrl() + "/");
        chromium.signIn("victor", "victor");
        chromium.waitUntil(() -> chromium.bodyText().contains("Experiments"));
        browser.get(LocalStack.gatewayUrl() + "/#/experiments/" + experimentId + "/runs/" + runId);
        chromium.waitUntil(() -> chromium.bodyText().contains("Add tags"));
        browser.findElement(By.xpath("//*[normalize-space(text())='Add tags']")).click();
        // The key is a combobox: type and confirm; then the value, then "+" and "Save tags".
        By key = By.cssSelector("[role=dialog] input[role=combobox]");
        By value = By.cssSelector("[role=dialog] input[placeholder='Type a value']");
        chromium.waitUntil(() -> browser.findElement(key).isDisplayed() && browser.findElement(value).isDisplayed());
        new org.openqa.selenium.interactions.Actions(browser).click(browser.findElement(key))
                .sendKeys("reviewed").sendKeys(org.openqa.selenium.Keys.ENTER).perform();
        chromium.waitUntil(() -> browser.findElement(value).isEnabled());
        browser.findElement(value).sendKeys("yes");
        for (org.openqa.selenium.WebElement button : browser.findElements(By.cssSelector("[role=dialog] button"))) {
            String label = String.valueOf(button.getAttribute("aria-label")).toLowerCase(java.util.Locale.ROOT);
            if (button.getText().isBlank() && !label.contains("close")) {
                button.click();
                break;
            }
        }
        chromium.screenshot("viewer-edit.png");
        chromium.waitUntil(() -> browser.findElement(By.xpath("//*[@role='dialog']//button[normalize-space()='Save tags']")).isEnabled());
        browser.findElement(By.xpath("//*[@role='dialog']//button[normalize-space()='Save tags']")).click();
        chromium.waitUntil(() -> chromium.bodyText().contains("Permission denied"));
        chromium.screenshot("viewer-edit-refused.png");
        assertThat(chromium.bodyText()).contains("needs the 'update' scope");
        gatewayAs("admin").queryParam("run_id", runId).get("/api/2.0/mlflow/runs/get")
                .then().statusCode(200).body("run.data.tags.key", not(org.hamcrest.Matchers.hasItem("reviewed")));
    }

    @Test
    void signingOutEndsAccess() {
        browser.get(LocalStack.gatewayUrl() + "/");
        chromium.signIn("dana", "dana");
        chromium.waitUntil(() -> chromium.bodyText().contains("Experiments"));
        browser.get(LocalStack.gatewayUrl() + "/oauth2/logout");
        chromium.waitUntil(() -> chromium.bodyText().contains("You are signed out"));
        assertThat(browser.manage().getCookieNamed("MLFLOW_SESSION")).isNull();
        browser.findElement(By.linkText("Back to MLflow")).click();
        chromium.waitUntil(() -> browser.getCurrentUrl().startsWith(LocalStack.keycloakUrl() + "/realms/mlflow/"));
        assertThat(browser.findElements(By.id("username"))).as("the login form, not MLflow").isNotEmpty();
    }

    @Test
    void anEndedKeycloakSessionEndsAccessAtTheNextRequest() {
        browser.get(LocalStack.gatewayUrl() + "/");
        chromium.signIn("dana", "dana");
        chromium.waitUntil(() -> chromium.bodyText().contains("Experiments"));
        assertThat(fetch("GET", "/ajax-api/2.0/mlflow/experiments/get?experiment_id=" + experimentId, null)).startsWith("200 ");

        KeycloakAdmin.logoutUser("dana");

        assertThat(fetch("GET", "/ajax-api/2.0/mlflow/experiments/get?experiment_id=" + experimentId, null))
                .startsWith("401 ").contains("UNAUTHENTICATED");
        browser.get(LocalStack.gatewayUrl() + "/");
        chromium.waitUntil(() -> browser.getCurrentUrl().startsWith(LocalStack.keycloakUrl() + "/realms/mlflow/"));
    }

    @Test
    void programsGetJsonAndPagesGetTheLogin() {
        gateway().accept("text/html").redirects().follow(false).get("/ajax-api/2.0/mlflow/experiments/search")
                .then().statusCode(401).contentType("application/json").body("error_code", equalTo("UNAUTHENTICATED"));
        gateway().accept(ContentType.JSON).get("/").then().statusCode(401).contentType("application/json");
        gateway().header("Sec-Fetch-Mode", "cors").accept("text/html").get("/").then().statusCode(401);
        gateway().accept("text/html").redirects().follow(false).get("/")
                .then().statusCode(302).header("Location", "/oauth2/login?rd=%2F");
        gateway().header("Sec-Fetch-Mode", "navigate").redirects().follow(false).get("/static-files/x?y=1")
                .then().statusCode(302).header("Location", "/oauth2/login?rd=%2Fstatic-files%2Fx%3Fy%3D1");
    }

    @Test
    void anotherSiteCannotUseTheCookie() {
        browser.get(LocalStack.gatewayUrl() + "/");
        chromium.signIn("dana", "dana");
        chromium.waitUntil(() -> chromium.bodyText().contains("Experiments"));
        String cookie = "MLFLOW_SESSION=" + browser.manage().getCookieNamed("MLFLOW_SESSION").getValue();
        Map<String, String> create = Map.of("name", "csrf-" + UUID.randomUUID());

        gateway().header("Cookie", cookie).header("Origin", "http://evil.example").contentType(ContentType.JSON).body(create)
                .post("/ajax-api/2.0/mlflow/experiments/create")
                .then().statusCode(403).body("message", containsString("Cross-site"));
        gateway().header("Cookie", cookie).header("Sec-Fetch-Site", "cross-site").contentType(ContentType.JSON).body(create)
                .post("/ajax-api/2.0/mlflow/experiments/create")
                .then().statusCode(403);
        gateway().header("Cookie", cookie).header("Origin", LocalStack.gatewayUrl()).contentType(ContentType.JSON).body(create)
                .post("/ajax-api/2.0/mlflow/experiments/create")
                .then().statusCode(200);
        // Reading with the cookie from anywhere is harmless: the browser keeps the answer from other sites.
        gateway().header("Cookie", cookie).get("/ajax-api/2.0/mlflow/experiments/get?experiment_id=" + experimentId)
                .then().statusCode(200);
    }

    /**
     * The gateway's URL is its configuration: a request's Host or a proxy header cannot move the
     * callback, the cookie or the cross-site rule, and the sign-in pages reached on Keycloak's
     * own port, where anyone could name a gateway URL, have none.
     */
    @Test
    void theGatewayUrlComesFromConfigurationNotFromTheRequest() {
        String callback = URLEncoder.encode(LocalStack.gatewayUrl() + "/oauth2/callback", StandardCharsets.UTF_8);
        gateway().header("Host", "evil.example").header("X-Forwarded-Proto", "https").header("X-MLflow-Gateway-Url", "https://evil.example")
                .get("/oauth2/login").then().statusCode(302)
                .header("Location", containsString("redirect_uri=" + callback))
                .header("Set-Cookie", not(containsString("Secure")));
        for (String secret : new String[] {null, "wrong-secret-of-sixteen-chars"}) {
            var direct = RestAssured.given().baseUri(LocalStack.keycloakUrl()).redirects().follow(false)
                    .header("X-MLflow-Gateway-Url", LocalStack.gatewayUrl());
            if (secret != null) {
                direct.header("X-MLflow-Gateway-Secret", secret);
            }
            direct.get("/realms/mlflow/mlflow/oauth2/login").then().statusCode(400)
                    .header("Set-Cookie", nullValue())
                    .body(containsString("Open MLflow through its gateway"));
        }

        browser.get(LocalStack.gatewayUrl() + "/");
        chromium.signIn("dana", "dana");
        chromium.waitUntil(() -> chromium.bodyText().contains("Experiments"));
        String cookie = "MLFLOW_SESSION=" + browser.manage().getCookieNamed("MLFLOW_SESSION").getValue();
        Map<String, String> create = Map.of("name", "host-" + UUID.randomUUID());
        // A page of another host that names itself in Host cannot pass for the gateway's own.
        gateway().header("Cookie", cookie).header("Host", "evil.example").header("Origin", "http://evil.example")
                .contentType(ContentType.JSON).body(create).post("/ajax-api/2.0/mlflow/experiments/create")
                .then().statusCode(403).body("message", containsString("Cross-site"));
    }

    @Test
    void aForgedOrForeignCookieIsNoCredential() {
        gateway().header("Cookie", "MLFLOW_SESSION=eyJhbGciOiJub25lIn0.eyJ0eXAiOiJtbGZsb3ctc2Vzc2lvbiJ9.")
                .get("/ajax-api/2.0/mlflow/experiments/search").then().statusCode(401);
        gateway().header("Cookie", "MLFLOW_SESSION=" + LocalStack.token("dana"))
                .get("/ajax-api/2.0/mlflow/experiments/search").then().statusCode(401);
    }

    /** A fetch from the page, as the MLflow UI makes its calls: "STATUS BODY". */
    private String fetch(String method, String path, String json) {
        Object result = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const init = {method: arguments[0], credentials: 'same-origin'};
                if (arguments[2] !== null) { init.body = arguments[2]; init.headers = {'Content-Type': 'application/json'}; }
                fetch(arguments[1], init).then(r => r.text().then(t => done(r.status + ' ' + t))).catch(e => done('error ' + e));
                """, method, path, json);
        return String.valueOf(result);
    }
}
