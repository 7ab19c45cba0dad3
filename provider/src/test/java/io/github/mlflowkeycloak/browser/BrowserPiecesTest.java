package io.github.mlflowkeycloak.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BrowserPiecesTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/#/experiments/1", "/static-files/index.html?x=1", "/mlflow/#/models"})
    void returnsToLocalPaths(String path) {
        assertThat(ReturnPath.of(path)).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "https://evil.example/", "//evil.example/", "/\\evil.example", "evil", "/a b", "/\u00e9",
            "javascript:alert(1)", "/x\r\nSet-Cookie: a=b"})
    void neverReturnsToAnotherHost(String path) {
        assertThat(ReturnPath.of(path)).isEqualTo("/");
        assertThat(ReturnPath.of(null)).isEqualTo("/");
    }

    @Test
    void readsOneCookieAndRefusesAmbiguity() {
        assertThat(Cookies.read("a=1; MLFLOW_SESSION=abc; b=2", "MLFLOW_SESSION")).contains("abc");
        assertThat(Cookies.read("MLFLOW_SESSION=abc; MLFLOW_SESSION=def", "MLFLOW_SESSION")).isEmpty();
        assertThat(Cookies.read("XMLFLOW_SESSION=abc", "MLFLOW_SESSION")).isEmpty();
        assertThat(Cookies.read("MLFLOW_SESSION=", "MLFLOW_SESSION")).isEmpty();
        assertThat(Cookies.read(null, "MLFLOW_SESSION")).isEmpty();
    }

    @Test
    void writesCookiesTheBrowserKeepsToItself() {
        assertThat(Cookies.set("MLFLOW_SESSION", "v", "/", true, null))
                .isEqualTo("MLFLOW_SESSION=v; Path=/; HttpOnly; SameSite=Lax; Secure");
        assertThat(Cookies.clear("MLFLOW_LOGIN", "/oauth2/", false))
                .isEqualTo("MLFLOW_LOGIN=; Path=/oauth2/; HttpOnly; SameSite=Lax; Max-Age=0");
    }

    @ParameterizedTest
    @CsvSource({
            "http://localhost:8000, http://localhost:8000, '', /, http://localhost:8000/oauth2/callback",
            "https://mlflow.example.com/mlflow, https://mlflow.example.com, /mlflow, /mlflow/, https://mlflow.example.com/mlflow/oauth2/callback",
    })
    void knowsTheMlflowHost(String header, String origin, String prefix, String cookiePath, String callback) {
        GatewayUrl gateway = GatewayUrl.parse(header).orElseThrow();
        assertThat(gateway.origin()).isEqualTo(origin);
        assertThat(gateway.prefix()).isEqualTo(prefix);
        assertThat(gateway.cookiePath()).isEqualTo(cookiePath);
        assertThat(gateway.callback()).isEqualTo(callback);
        assertThat(gateway.isSecure()).isEqualTo(origin.startsWith("https"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost:8000", "ftp://x", "http://x/?q", "http://x/#f", "not a url"})
    void refusesAnOddGatewayUrl(String header) {
        assertThat(GatewayUrl.parse(header)).isEmpty();
    }

    @ParameterizedTest(name = "{0} Origin={1} Sec-Fetch-Site={2} -> {3}")
    @CsvSource(nullValues = "none", value = {
            "GET, http://evil.example, cross-site, true",
            "HEAD, none, none, true",
            "POST, http://localhost:8000, none, true",
            "POST, HTTP://LOCALHOST:8000, none, true",
            "POST, http://evil.example, same-origin, false",
            "POST, http://localhost:8001, none, false",
            "POST, null, none, false",
            "DELETE, none, same-origin, true",
            "PATCH, none, same-site, false",
            "PUT, none, none, false",
    })
    void letsOnlyTheMlflowHostsPagesChangeThingsWithTheCookie(String method, String origin, String fetchSite, boolean allowed) {
        assertThat(CrossSiteRequests.isAllowed(method, "http://localhost:8000", origin, fetchSite)).isEqualTo(allowed);
    }
}
