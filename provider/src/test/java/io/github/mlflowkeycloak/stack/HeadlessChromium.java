package io.github.mlflowkeycloak.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, through its chromedriver, as the browser tests drive it: a home
 * and profile of its own (where a CA it trusts goes), waits that leave a screenshot of what the
 * browser showed when they time out, and Keycloak's sign-in form filled in.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    private final ChromeDriver driver;
    private final String timeoutScreenshot;

    private HeadlessChromium(ChromeDriver driver, String timeoutScreenshot) {
        this.driver = driver;
        this.timeoutScreenshot = timeoutScreenshot;
    }

    /** @param home its HOME and profile; @param timeoutScreenshot where a timed-out wait leaves what it showed */
    public static HeadlessChromium start(Path home, String timeoutScreenshot) {
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + home.resolve("profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .withEnvironment(Map.of("HOME", home.toString())).build();
        return new HeadlessChromium(new ChromeDriver(service, options), timeoutScreenshot);
    }

    /** Makes a browser started with this home trust the CA (its NSS database, as a user adds a CA on Linux). */
    public static void trust(Path home, Path caPem) throws IOException, InterruptedException {
        Path nssDatabase = Files.createDirectories(home.resolve(".pki/nssdb"));
        run("certutil", "-N", "-d", "sql:" + nssDatabase, "--empty-password");
        run("certutil", "-A", "-d", "sql:" + nssDatabase, "-n", "mlflow-keycloak stack CA", "-t", "C,,", "-i", caPem.toString());
    }

    public ChromeDriver driver() {
        return driver;
    }

    public String bodyText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Waits up to 30 s; on a timeout, what the browser showed is in target/screenshots. */
    public void waitUntil(BooleanSupplier condition) {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(ignored -> {
                try {
                    return condition.getAsBoolean();
                } catch (RuntimeException e) {
                    return false;
                }
            });
        } catch (TimeoutException e) {
            try {
                screenshot(timeoutScreenshot);
            } catch (IOException | RuntimeException ignored) {
                // The timeout is what the test reports; a missing screenshot must not hide it.
            }
            throw e;
        }
    }

    public void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Fills in Keycloak's sign-in form once it shows. */
    public void signIn(String user, String password) {
        waitUntil(() -> !driver.findElements(By.id("username")).isEmpty());
        driver.findElement(By.id("username")).clear();
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
    }

    @Override
    public void close() {
        driver.quit();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
