package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.createRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import io.github.mlflowkeycloak.stack.LocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 100 MB artifact through the gateway's streaming path (auth_request): checked without its
 * body, passed to MLflow as NGINX receives it, never written to NGINX's temporary files, and
 * read back byte for byte. (bin/bench upload reports the memory of NGINX and Keycloak meanwhile.)
 */
class ArtifactStreamingIT {

    private static final int SIZE = 100 * 1024 * 1024;

    @Test
    void aHundredMegabyteArtifactIsStreamedUpAndDown(@TempDir Path scratch) throws Exception {
        String experimentId = createExperiment("dana");
        String runId = createRun("dana", experimentId);
        Path file = scratch.resolve("model.bin");
        String sent = writeRandom(file);
        String url = LocalStack.gatewayUrl() + "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId
                + "/artifacts/model.bin";
        String token = LocalStack.token("dana");
        HttpClient client = HttpClient.newHttpClient();

        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + LocalStack.token("victor"))
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);

        HttpResponse<String> upload = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);

        HttpResponse<InputStream> download = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(sha256(download.body())).isEqualTo(sent);

        assertThat(Files.readString(LocalStack.STACK_DIR.resolve("logs/nginx-error.log")))
                .as("NGINX held no request body in a temporary file")
                .doesNotContain("a client request body is buffered to a temporary file");
    }

    private static String writeRandom(Path file) throws IOException, java.security.NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(1);
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < SIZE; written += chunk.length) {
                random.nextBytes(chunk);
                digest.update(chunk);
                out.write(chunk);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(InputStream in) throws IOException, java.security.NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
