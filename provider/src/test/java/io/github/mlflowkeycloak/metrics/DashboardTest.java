package io.github.mlflowkeycloak.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard in docs/grafana queries the extension's meters, by the names Prometheus gives them, and all of them. */
class DashboardTest {

    private static final Path DASHBOARD = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize()
            .resolve("docs/grafana/mlflow-keycloak.json");
    private static final Pattern METRIC = Pattern.compile("\\bmlflow_keycloak_[a-z_]+");

    @Test
    void queriesOnlyMetricsTheExtensionRegisters() throws Exception {
        assertThat(queried()).isNotEmpty().isSubsetOf(prometheusNames());
    }

    @Test
    void showsEveryMeter() throws Exception {
        Set<String> queried = queried();
        for (MlflowMetrics.Meter meter : MlflowMetrics.ALL) {
            String base = meter.name().replace('.', '_');
            assertThat(queried).as(meter.name()).anyMatch(name -> name.startsWith(base));
        }
    }

    @Test
    void everyPanelHasAQuery() throws Exception {
        for (JsonNode panel : dashboard().path("panels")) {
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
        }
    }

    private static JsonNode dashboard() throws Exception {
        return new ObjectMapper().readTree(DASHBOARD.toFile());
    }

    private static Set<String> queried() throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher matcher = METRIC.matcher(target.path("expr").asText());
                while (matcher.find()) {
                    names.add(matcher.group());
                }
            }
        }
        return names;
    }

    /** The series Micrometer's Prometheus registry writes for each meter. */
    private static List<String> prometheusNames() {
        List<String> names = new ArrayList<>();
        for (MlflowMetrics.Meter meter : MlflowMetrics.ALL) {
            String base = meter.name().replace('.', '_');
            switch (meter.type()) {
                case COUNTER -> names.add(base + "_total");
                case TIMER -> List.of("_bucket", "_count", "_sum", "_max").forEach(suffix -> names.add(base + "_seconds" + suffix));
                case SUMMARY -> List.of("_bucket", "_count", "_sum", "_max").forEach(suffix -> names.add(base + suffix));
            }
        }
        return names;
    }
}
