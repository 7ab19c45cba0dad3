package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The real MLflow Python client, with nothing but a tracking URI and a token, through the gateway. */
class MlflowClientIT {

    private static final Path SCRIPT = LocalStack.ROOT.resolve("provider/src/test/python/mlflow_client_roundtrip.py");

    @Test
    @Tag("smoke")
    void anEditorLogsAndReadsBackARunWithTheMlflowClient() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(LocalStack.mlflowPython().toString(), SCRIPT.toString())
                .redirectErrorStream(true);
        builder.environment().put("MLFLOW_TRACKING_URI", LocalStack.gatewayUrl());
        builder.environment().put("MLFLOW_TRACKING_TOKEN", LocalStack.token("dana"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        List<String> lines = output.strip().lines().toList();
        JsonPath created = JsonPath.from(lines.get(lines.size() - 1));
        // What the client logged is there for another user with read access, too.
        gatewayAs("victor").queryParam("run_id", created.getString("run_id")).get("/api/2.0/mlflow/runs/get")
                .then().statusCode(200)
                .body("run.info.experiment_id", equalTo(created.getString("experiment_id")))
                .body("run.data.params.key", hasItems("learning_rate", "epochs", "optimizer"));
    }

    @Test
    void theClientShowsTheGatewaysRefusalWithoutAToken() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                LocalStack.STACK_DIR.resolve("venv/bin/python").toString(), "-c",
                "import mlflow; mlflow.search_experiments()")
                .redirectErrorStream(true);
        builder.environment().put("MLFLOW_TRACKING_URI", LocalStack.gatewayUrl());
        builder.environment().remove("MLFLOW_TRACKING_TOKEN");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(output).contains("UNAUTHENTICATED");
    }
}
