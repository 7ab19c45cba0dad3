package io.github.mlflowkeycloak.cluster;

import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayTlsUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.mlflowkeycloak.stack.HeadlessChromium;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The MLflow UI over TLS, at the cluster's gateway: Chromium trusts the stack's CA (added to its
 * NSS database, as a user adds a CA on Linux; no certificate error is ignored), signs in, and
 * creates and renames an experiment with the UI's own dialogs.
 */
class BrowserOverTlsClusterIT {

    @TempDir
    Path home;

    private HeadlessChromium chromium;
    private ChromeDriver browser;

    @BeforeEach
    void startBrowserTrustingTheStacksCa() throws Exception {
        HeadlessChromium.trust(home, LocalStack.tlsCa());
        chromium = HeadlessChromium.start(home, "cluster-timeout.png");
        browser = chromium.driver();
    }

    @AfterEach
    void stopBrowser() {
        chromium.close();
    }

    @Test
    void aBrowserSignsInOverTlsAndCreatesAndRenamesAnExperiment() throws Exception {
        browser.get(gatewayTlsUrl() + "/");
        chromium.waitUntil(() -> browser.getCurrentUrl().startsWith(LocalStack.keycloakUrl() + "/realms/mlflow/"));
        chromium.signIn("dana", "dana");
        chromium.waitUntil(() -> browser.getCurrentUrl().startsWith(gatewayTlsUrl() + "/") && chromium.bodyText().contains("Experiments"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.isSecureContext")).isEqualTo(true);
        Cookie session = browser.manage().getCookieNamed("MLFLOW_SESSION");
        assertThat(session).isNotNull();
        assertThat(session.isSecure()).as("the session cookie of an https gateway").isTrue();

        String name = "tls-" + UUID.randomUUID();
        browser.get(gatewayTlsUrl() + "/#/experiments");
        click(By.cssSelector("[data-testid=create-experiment-button]"));
        chromium.waitUntil(() -> browser.findElement(By.id("experimentName")).isDisplayed());
        browser.findElement(By.id("experimentName")).sendKeys(name);
        click(dialogButton("Create"));
        Pattern experimentPage = Pattern.compile("#/experiments/(\\d+)");
        chromium.waitUntil(() -> experimentPage.matcher(browser.getCurrentUrl()).find());
        Matcher page = experimentPage.matcher(browser.getCurrentUrl());
        assertThat(page.find()).isTrue();
        String experimentId = page.group(1);
        chromium.screenshot("cluster-tls-experiment.png");

        String renamed = name + "-renamed";
        chooseFromMenu(By.cssSelector("[data-testid=overflow-menu-trigger]"),
                By.xpath("//*[@role='menuitem'][normalize-space()='Edit experiment']"));
        By nameField = By.id("mlflow.experiment.edit.name");
        chromium.waitUntil(() -> browser.findElement(nameField).isDisplayed());
        browser.findElement(nameField).sendKeys(Keys.chord(Keys.CONTROL, "a"), renamed);
        click(dialogButton("Save"));
        chromium.waitUntil(() -> browser.findElements(nameField).stream().noneMatch(WebElement::isDisplayed) && chromium.bodyText().contains(renamed));
        chromium.screenshot("cluster-tls-renamed.png");

        gatewayAs("dana").queryParam("experiment_id", experimentId).get("/api/2.0/mlflow/experiments/get")
                .then().statusCode(200).body("experiment.name", equalTo(renamed));
        // The gateway reported the create to Keycloak: dana owns the experiment.
        assertThat(KeycloakAdmin.resourceId("experiment/" + experimentId)).isNotBlank();
    }

    private static By dialogButton(String label) {
        return By.xpath("//*[@role='dialog']//button[normalize-space()='" + label + "']");
    }

    /** Clicks once the element takes the click. */
    private void click(By element) {
        chromium.waitUntil(() -> {
            dismissTip();
            browser.findElement(element).click();
            return true;
        });
    }

    /** Opens the menu and picks the item; again while a tip that shows up late closes the menu. */
    private void chooseFromMenu(By menu, By item) {
        chromium.waitUntil(() -> {
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
}
