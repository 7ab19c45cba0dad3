package io.github.mlflowkeycloak.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.mlflowkeycloak.route.MlflowVersion;
import io.github.mlflowkeycloak.stack.MlflowVenv;
import io.github.mlflowkeycloak.stack.VenvPython;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For each MLflow release the built-in table covers, its committed mlflow-messages-VERSION.json is
 * what mlflow_messages.py reads from that release (in its virtualenv), so that a new
 * MLflow (or protobuf) cannot change a request message unnoticed.
 */
class MlflowMessagesIT {

    static List<MlflowVersion> releases() {
        return MlflowVenv.supported();
    }

    @ParameterizedTest(name = "MLflow {0}")
    @MethodSource("releases")
    void theCommittedMessagesAreTheReleases(MlflowVersion release) throws Exception {
        List<String> generated = VenvPython.run(release, "mlflow_messages.py", List.of());
        assertThat(committed(release)).as("regenerate with: $(bin/mlflow-venv " + release + ")/bin/python provider/src/test/python/mlflow_messages.py"
                        + " > provider/src/main/resources/io/github/mlflowkeycloak/request/" + MlflowMessages.resource(release))
                .isEqualTo(generated);
    }

    private static List<String> committed(MlflowVersion release) throws Exception {
        try (InputStream in = MlflowMessages.class.getResourceAsStream(MlflowMessages.resource(release))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
