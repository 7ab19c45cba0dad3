package io.github.mlflowkeycloak.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The README's configuration reference is generated from the options the extension declares to
 * Keycloak, so that the two cannot drift: this test fails when they differ, and with
 * {@code -Dreadme.update=true} writes the table afresh.
 */
class ConfigurationReferenceTest {

    private static final Path README = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize().resolve("README.md");
    private static final String BEGIN = "<!-- options: generated from the declared options by ConfigurationReferenceTest -->\n";
    private static final String END = "<!-- options: end -->\n";

    @Test
    void theReadmeListsEveryDeclaredOptionAsDeclared() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertThat(begin).as("README.md marks the reference with " + BEGIN.strip()).isNotNegative();
        assertThat(end).as("README.md ends the reference with " + END.strip()).isGreaterThan(begin);
        String table = table();
        String written = readme.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("readme.update") && !written.equals(table)) {
            Files.writeString(README, readme.substring(0, begin + BEGIN.length()) + table + readme.substring(end), StandardCharsets.UTF_8);
            return;
        }
        assertThat(written).as("the configuration reference in README.md; to write it afresh: "
                + "mvn -pl provider test -Dtest=ConfigurationReferenceTest -Dreadme.update=true").isEqualTo(table);
    }

    @Test
    void theDeclarationIsTheOptionsTheSettingsRead() {
        List<ProviderConfigProperty> declared = new CheckResourceProviderFactory().getConfigMetadata();
        assertThat(declared).extracting(ProviderConfigProperty::getName, ProviderConfigProperty::getType, ProviderConfigProperty::getDefaultValue,
                ProviderConfigProperty::getHelpText, ProviderConfigProperty::isSecret)
                .containsExactlyElementsOf(CheckSettings.OPTIONS.stream().map(option -> tuple(option.name(),
                        option.type(), option.defaultValue(), option.help(), option.secret())).toList());
    }

    /** One row an option, in the order the extension declares them. */
    private static String table() {
        StringBuilder table = new StringBuilder("""
                | option (`--spi-realm-restapi-extension--mlflow--…`) | environment variable | type | default | what it sets |
                |---|---|---|---|---|
                """);
        for (Option<?> option : CheckSettings.OPTIONS) {
            String defaultValue = option.defaultValue() == null || option.defaultValue().isEmpty() ? "none" : "`" + option.defaultValue() + "`";
            table.append("| `").append(option.name()).append("` | `").append(option.environmentVariable()).append("` | ")
                    .append(option.type()).append(option.secret() ? ", secret" : "").append(" | ").append(defaultValue).append(" | ")
                    .append(option.help().replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }
}
