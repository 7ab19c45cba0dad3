package io.github.mlflowkeycloak.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;

class CheckSettingsTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void unsetOptionsTakeTheirDeclaredDefaults() {
        CheckSettings settings = CheckSettings.from(new Options(Map.of()));
        assertThat(settings.clientId()).isEqualTo("mlflow");
        assertThat(settings.sdkClientId()).isEqualTo("mlflow-cli");
        assertThat(settings.uiClientId()).isEqualTo("mlflow-ui");
        assertThat(settings.staticPrefix()).isEmpty();
        assertThat(settings.mlflowUrl()).isEqualTo("http://127.0.0.1:5001");
        assertThat(settings.gatewaySecret().isConfigured()).isFalse();
        assertThat(settings.failedSignInLimit()).isEqualTo(5);
        assertThat(settings.failedSignInWindowSeconds()).isEqualTo(60);
        assertThat(settings.lookupCacheSize()).isEqualTo(100_000);
        assertThat(settings.missingObjectSeconds()).isEqualTo(10);
        assertThat(settings.maxObjectsPerRequest()).isEqualTo(1000);
        assertThat(settings.acceptedTokenClients()).containsExactly("mlflow-cli");
        for (ProviderConfigProperty declared : CheckSettings.metadata()) {
            if (declared.getDefaultValue() != null) {
                assertThat(settings.shown()).containsEntry(declared.getName(), declared.getDefaultValue().toString());
            }
        }
    }

    @Test
    void readsEveryOptionAndShowsTheSecretAsSetAlone() {
        CheckSettings settings = CheckSettings.from(new Options(Map.ofEntries(entry("client-id", "rs"), entry("sdk-client-id", "cli"),
                entry("ui-client-id", "ui"), entry("static-prefix", "/team-a/mlflow/"), entry("mlflow-url", "https://mlflow.internal:8443/"),
                entry("gateway-secret", SECRET), entry("failed-sign-in-limit", "3"), entry("failed-sign-in-window-seconds", "120"),
                entry("lookup-cache-size", "10"), entry("missing-object-seconds", "0"), entry("max-objects-per-request", " 50 "))));
        assertThat(settings).extracting(CheckSettings::clientId, CheckSettings::sdkClientId, CheckSettings::uiClientId,
                CheckSettings::staticPrefix, CheckSettings::mlflowUrl, CheckSettings::failedSignInLimit, CheckSettings::failedSignInWindowSeconds,
                CheckSettings::lookupCacheSize, CheckSettings::missingObjectSeconds, CheckSettings::maxObjectsPerRequest)
                .containsExactly("rs", "cli", "ui", "/team-a/mlflow", "https://mlflow.internal:8443/", 3, 120, 10, 0, 50);
        assertThat(settings.gatewaySecret().matches(SECRET)).isTrue();
        assertThat(CheckSettings.from(new Options(Map.of("token-clients", " jupyter-hub, ,ci-portal "))).acceptedTokenClients())
                .containsExactly("mlflow-cli", "jupyter-hub", "ci-portal");
        assertThat(settings.shown()).containsEntry("gateway-secret", "set").containsEntry("static-prefix", "/team-a/mlflow")
                .containsEntry("max-objects-per-request", "50");
        assertThat(settings.shown().values()).noneMatch(value -> value.contains(SECRET));
    }

    @Test
    void everyOptionReadIsDeclaredAndEveryDeclaredOneIsRead() {
        Options options = new Options(Map.of());
        CheckSettings.from(options);
        assertThat(options.asked).containsExactlyElementsOf(CheckSettings.metadata().stream().map(ProviderConfigProperty::getName).toList());
        assertThat(CheckSettings.metadata()).allSatisfy(declared -> {
            assertThat(declared.getType()).isIn("string", "int");
            assertThat(declared.getHelpText()).isNotBlank();
        });
        assertThat(CheckSettings.metadata()).filteredOn(ProviderConfigProperty::isSecret).extracting(ProviderConfigProperty::getName)
                .containsExactly("gateway-secret");
    }

    @Test
    void aMalformedValueIsRefusedNamingItsOption() {
        assertRefused("failed-sign-in-limit", "0", "must be 1 or more, not 0");
        assertRefused("failed-sign-in-window-seconds", "1m", "'1m' is not a whole number");
        assertRefused("lookup-cache-size", "99999999999", "is not a whole number");
        assertRefused("missing-object-seconds", "-1", "must be 0 or more, not -1");
        assertRefused("max-objects-per-request", "", "is not a whole number");
        assertRefused("client-id", " ", "must name a client");
        assertRefused("mlflow-url", "mlflow:5001", "must be an http or https URL");
        assertRefused("mlflow-url", "ftp://mlflow:5001", "must be an http or https URL");
        assertRefused("mlflow-url", "http:///health", "must be an http or https URL");
        assertRefused("mlflow-url", "http://user:pw@mlflow:5001", "must be an http or https URL");
        assertRefused("mlflow-url", "http://mlflow:5001/?x=1", "must be an http or https URL");
        assertRefused("mlflow-url", "http://mlflow:5001/#x", "must be an http or https URL");
        assertRefused("mlflow-url", "http://mlflow 5001", "is not a URL");
        assertRefused("static-prefix", "mlflow", "must be empty or a path");
        assertRefused("static-prefix", "/ml.flow", "must be empty or a path");
        assertRefused("static-prefix", "/mlflow//x", "must be empty or a path");
        assertRefused("static-prefix", "/$uri", "must be empty or a path");
    }

    @Test
    void aMalformedSecretIsRefusedWithoutQuotingIt() {
        for (String secret : new String[] {"short-secret", SECRET + "$x", SECRET + "\"", SECRET + " x"}) {
            assertThatThrownBy(() -> CheckSettings.from(new Options(Map.of("gateway-secret", secret))))
                    .hasMessageStartingWith("Invalid value for option '--spi-realm-restapi-extension--mlflow--gateway-secret': ")
                    .hasMessageNotContaining(secret.substring(0, 8));
        }
        assertThat(CheckSettings.from(new Options(Map.of("gateway-secret", "  "))).shown()).containsEntry("gateway-secret", "not set");
    }

    @Test
    void everyMalformedOptionIsNamedAtOnce() {
        assertThatThrownBy(() -> CheckSettings.from(new Options(Map.of("mlflow-url", "x", "lookup-cache-size", "0"))))
                .hasMessageContaining("'--spi-realm-restapi-extension--mlflow--mlflow-url'")
                .hasMessageContaining("'--spi-realm-restapi-extension--mlflow--lookup-cache-size'");
    }

    @Test
    void namesTheOptionAsTheCommandLineAndTheEnvironmentSpellIt() {
        assertThat(CheckSettings.MLFLOW_URL.optionName()).isEqualTo("--spi-realm-restapi-extension--mlflow--mlflow-url");
        assertThat(CheckSettings.MLFLOW_URL.environmentVariable()).isEqualTo("KC_SPI_REALM_RESTAPI_EXTENSION__MLFLOW__MLFLOW_URL");
    }

    @Test
    void withoutAStaticPrefixEveryPathIsMlflows() {
        assertThat(withStaticPrefix("").withoutStaticPrefix("/health")).contains("/health");
        assertThat(withStaticPrefix("/").withoutStaticPrefix("/health")).contains("/health");
    }

    @Test
    void stripsTheStaticPrefixAndRefusesPathsOutsideIt() {
        CheckSettings settings = withStaticPrefix("/mlflow");
        assertThat(settings.withoutStaticPrefix("/mlflow/api/2.0/mlflow/runs/get")).contains("/api/2.0/mlflow/runs/get");
        assertThat(settings.withoutStaticPrefix("/mlflow/")).contains("/");
        assertThat(settings.withoutStaticPrefix("/mlflow")).isEmpty();
        assertThat(settings.withoutStaticPrefix("/mlflowx/health")).isEmpty();
        assertThat(settings.withoutStaticPrefix("/api/2.0/mlflow/runs/get")).isEmpty();
        assertThat(settings.withoutStaticPrefix("/health")).isEmpty();
    }

    private static CheckSettings withStaticPrefix(String staticPrefix) {
        return CheckSettings.from(new Options(Map.of("static-prefix", staticPrefix)));
    }

    private static void assertRefused(String name, String value, String why) {
        assertThatThrownBy(() -> CheckSettings.from(new Options(Map.of(name, value))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid value for option '--spi-realm-restapi-extension--mlflow--" + name + "': ")
                .hasMessageContaining(why);
    }

    /** The provider's scope of Keycloak's configuration, from a map; remembers which options were asked for. */
    private static final class Options implements Config.Scope {

        private final Map<String, String> values;
        private final Set<String> asked = new LinkedHashSet<>();

        Options(Map<String, String> values) {
            this.values = new HashMap<>(values);
        }

        @Override
        public String get(String key) {
            asked.add(key);
            return values.get(key);
        }

        @Override
        public String get(String key, String defaultValue) {
            String value = get(key);
            return value == null ? defaultValue : value;
        }

        @Override
        public String[] getArray(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Integer getInt(String key, Integer defaultValue) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Long getLong(String key, Long defaultValue) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Boolean getBoolean(String key, Boolean defaultValue) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Config.Scope scope(String... scope) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<String> getPropertyNames() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Config.Scope root() {
            throw new UnsupportedOperationException();
        }
    }
}
