package io.github.mlflowkeycloak.cluster;

import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayTlsUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import io.github.mlflowkeycloak.stack.LocalStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The MLflow UI over TLS, at the cluster's gateway: Chromium trusts the stack's CA (added to its
 * NSS database, as a user adds a CA on Linux; no certificate error is ignored), signs in, and
 * creates and renames an experiment with the UI's own dialogs.
 */
class BrowserOverTlsClusterIT {

    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    @TempDir
    Path home;

    private ChromeDriver browser;

    @BeforeEach
    void startBrowserTrustingTheStacksCa() throws Exception {
        Path nssDatabase = Files.createDirectories(home.resolve(".pki/nssdb"));
        run("certutil", "-N", "-d", "sql:" + nssDatabase, "--empty-password");
        run("certutil", "-A", "-d", "sql:" + nssDatabase, "-n", "mlflow-keycloak stack CA", "-t", "C,,",
                "-i", LocalStack.tlsCa().toString());
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + home.resolve("profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .withEnvironment(Map.of("HOME", home.toString())).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() {
        browser.quit();
    }

    @Test
    void aBrowserSignsInOverTlsAndCreatesAndRenamesAnExperiment() throws Exception {
        browser.get(gatewayTlsUrl() + "/");
        waitUntil(() -> browser.getCurrentUrl().startsWith(LocalStack.keycloakUrl() + "/realms/mlflow/"));
        signIn("dana");
        waitUntil(() -> browser.getCurrentUrl().startsWith(gatewayTlsUrl() + "/") && bodyText().contains("Experiments"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.isSecureContext")).isEqualTo(true);
        Cookie session = browser.manage().getCookieNamed("MLFLOW_SESSION");
        assertThat(session).isNotNull();
        assertThat(session.isSecure()).as("the session cookie of an https gateway").isTrue();

        String name = "tls-" + UUID.randomUUID();
        browser.get(gatewayTlsUrl() + "/#/experiments");
        click(By.cssSelector("[data-testid=create-experiment-button]"));
        waitUntil(() -> browser.findElement(By.id("experimentName")).isDisplayed());
        browser.findElement(By.id("experimentName")).sendKeys(name);
        click(dialogButton("Create"));
        Pattern experimentPage = Pattern.compile("#/experiments/(\\d+)");
        waitUntil(() -> experimentPage.matcher(browser.getCurrentUrl()).find());
        Matcher page = experimentPage.matcher(browser.getCurrentUrl());
        assertThat(page.find()).isTrue();
        String experimentId = page.group(1);
        screenshot("cluster-tls-experiment.png");

        String renamed = name + "-renamed";
        chooseFromMenu(By.cssSelector("[data-testid=overflow-menu-trigger]"),
                By.xpath("//*[@role='menuitem'][normalize-space()='Edit experiment']"));
        By nameField = By.id("mlflow.experiment.edit.name");
        waitUntil(() -> browser.findElement(nameField).isDisplayed());
        browser.findElement(nameField).sendKeys(Keys.chord(Keys.CONTROL, "a"), renamed);
        click(dialogButton("Save"));
        waitUntil(() -> browser.findElements(nameField).stream().noneMatch(WebElement::isDisplayed) && bodyText().contains(renamed));
        screenshot("cluster-tls-renamed.png");

        gatewayAs("dana").queryParam("experiment_id", experimentId).get("/api/2.0/mlflow/experiments/get")
                .then().statusCode(200).body("experiment.name", equalTo(renamed));
        // The gateway reported the create to Keycloak: dana owns the experiment.
        assertThat(KeycloakAdmin.resourceId("experiment/" + experimentId)).isNotBlank();
    }

    private void signIn(String user) {
        waitUntil(() -> !browser.findElements(By.id("username")).isEmpty());
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(user);
        browser.findElement(By.id("kc-login")).click();
    }

    private static By dialogButton(String label) {
        return By.xpath("//*[@role='dialog']//button[normalize-space()='" + label + "']");
    }

    /** Clicks once the element takes the click. */
    private void click(By element) {
        waitUntil(() -> {
            dismissTip();
            browser.findElement(element).click();
            return true;
        });
    }

    /** Opens the menu and picks the item; again while a tip that shows up late closes the menu. */
    private void chooseFromMenu(By menu, By item) {
        waitUntil(() -> {
            dismissTip();
            if (browser.findElements(item).stream().noneMatch(WebElement::isDisplayed)) {
                browser.findElement(menu).click();
                new WebDriverWait(browser, Duration.ofSeconds(3))
                        .until(driver -> driver.findElements(item).stream().anyMatch(WebElement::isDisplayed));
            }
            browser.findElement(item).click();
            return true;
        });
    }

    /** The feature tip MLflow shows, a moment after it opens, over a new experiment's page. */
    private void dismissTip() {
        browser.findElements(By.xpath("//button[normalize-space()='Got it']")).stream()
                .filter(WebElement::isDisplayed).forEach(WebElement::click);
    }

    private String bodyText() {
        return browser.findElement(By.tagName("body")).getText();
    }

    /** Waits up to 30 s; on a timeout, what the browser showed is in target/screenshots/cluster-timeout.png. */
    private void waitUntil(BooleanSupplier condition) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> {
                try {
                    return condition.getAsBoolean();
                } catch (RuntimeException e) {
                    return false;
                }
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            try {
                screenshot("cluster-timeout.png");
            } catch (IOException | RuntimeException ignored) {
                // The timeout is what the test reports; a missing screenshot must not hide it.
            }
            throw e;
        }
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
