package io.github.mlflowkeycloak.stack;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Completes a device login the way a person does in a browser: opens the link the client
 * printed, signs in on Keycloak's login page, and grants the access on the consent page. Form
 * posts with the pages' own action URLs and hidden fields, cookies kept.
 */
public final class DeviceLogin {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
    private static final Pattern LINK = Pattern.compile("open (https?://\\S+user_code=\\S+)");

    private DeviceLogin() {
    }

    /** The verification link in what the client printed, if it printed one. */
    public static java.util.Optional<String> link(String printed) {
        Matcher matcher = LINK.matcher(printed);
        return matcher.find() ? java.util.Optional.of(matcher.group(1)) : java.util.Optional.empty();
    }

    /** Signs in as {@code user} (password = user name) and grants the device its access. */
    public static void complete(String verificationLink, String user) throws IOException, InterruptedException {
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieJar())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpResponse<String> loginPage = browser.send(HttpRequest.newBuilder(URI.create(verificationLink)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> consentPage = post(browser, loginPage, Map.of("username", user, "password", user, "credentialId", ""));
        if (!consentPage.body().contains("name=\"accept\"")) {
            throw new IllegalStateException("no consent page after signing in as " + user + ": " + title(consentPage.body()));
        }
        Matcher code = Pattern.compile("name=\"code\" value=\"([^\"]+)\"").matcher(consentPage.body());
        if (!code.find()) {
            throw new IllegalStateException("the consent page has no code");
        }
        HttpResponse<String> done = post(browser, consentPage, Map.of("code", code.group(1), "accept", "Yes"));
        if (done.statusCode() != 200 || !done.body().contains("Device Login Successful")) {
            throw new IllegalStateException("the device login did not succeed: " + title(done.body()));
        }
    }

    private static HttpResponse<String> post(HttpClient browser, HttpResponse<String> page, Map<String, String> fields)
            throws IOException, InterruptedException {
        Matcher action = FORM_ACTION.matcher(page.body());
        if (!action.find()) {
            throw new IllegalStateException("no form on " + page.uri() + ": " + title(page.body()));
        }
        URI target = page.uri().resolve(action.group(1).replace("&amp;", "&"));
        String form = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return browser.send(HttpRequest.newBuilder(target)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Keeps every cookie and sends it back, as a browser does on http://localhost (a secure
     * context to browsers); java.net.CookieManager would hold back Keycloak's Secure cookies.
     */
    private static final class CookieJar extends CookieHandler {
        private final Map<String, String> cookies = new LinkedHashMap<>();

        @Override
        public synchronized Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
            if (cookies.isEmpty()) {
                return Map.of();
            }
            return Map.of("Cookie", List.of(cookies.entrySet().stream()
                    .map(c -> c.getKey() + "=" + c.getValue()).collect(Collectors.joining("; "))));
        }

        @Override
        public synchronized void put(URI uri, Map<String, List<String>> responseHeaders) {
            responseHeaders.forEach((name, values) -> {
                if ("Set-Cookie".equalsIgnoreCase(name)) {
                    for (String value : values) {
                        String pair = value.split(";", 2)[0];
                        int equals = pair.indexOf('=');
                        if (equals > 0) {
                            cookies.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
                        }
                    }
                }
            });
        }
    }

    private static String title(String html) {
        Matcher title = Pattern.compile("<title>([^<]*)</title>").matcher(html);
        return title.find() ? title.group(1).strip() : html.substring(0, Math.min(200, html.length()));
    }
}
