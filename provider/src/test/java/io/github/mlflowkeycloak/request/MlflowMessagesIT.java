package io.github.mlflowkeycloak.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.mlflowkeycloak.stack.VenvPython;
import org.junit.jupiter.api.Test;

/**
 * The committed mlflow-messages.json is what mlflow_messages.py reads from the installed MLflow,
 * so that a new MLflow (or protobuf) cannot change a request message unnoticed.
 */
class MlflowMessagesIT {

    private static final String REGENERATE = "regenerate with: .stack/venv/bin/python provider/src/test/python/mlflow_messages.py"
            + " > provider/src/main/resources/io/github/mlflowkeycloak/request/" + MlflowMessages.RESOURCE;

    @Test
    void theCommittedMessagesAreTheInstalledMlflows() throws Exception {
        List<String> generated = VenvPython.run("mlflow_messages.py", List.of());
        String committed;
        try (InputStream in = MlflowMessages.class.getResourceAsStream(MlflowMessages.RESOURCE)) {
            committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(committed.lines().toList()).as(REGENERATE).isEqualTo(generated);
    }
}
