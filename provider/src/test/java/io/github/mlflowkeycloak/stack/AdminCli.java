package io.github.mlflowkeycloak.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code mlflow-keycloak} of the stack's virtualenv as an admin's script runs it: signed in as a
 * confidential client whose service account holds a realm-management role, Keycloak found
 * through the gateway.
 */
public final class AdminCli {

    /** What the command answered: its exit status, and its output and errors without surrounding blanks. */
    public record Run(int exit, String out, String err) {
    }

    private AdminCli() {
    }

    public static Run run(String clientId, String secret, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LocalStack.STACK_DIR.resolve("venv/bin/mlflow-keycloak").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("MLFLOW_TRACKING_URI", LocalStack.gatewayUrl());
        builder.environment().put("MLFLOW_KEYCLOAK_ADMIN_CLIENT_ID", clientId);
        builder.environment().put("MLFLOW_KEYCLOAK_ADMIN_CLIENT_SECRET", secret);
        // The admin client's secret goes only to the issuer named here, never to one the gateway names.
        builder.environment().put("MLFLOW_KEYCLOAK_ISSUER", LocalStack.keycloakUrl() + "/realms/" + LocalStack.REALM);
        Process process = builder.start();
        process.getOutputStream().close();
        // Both streams at once: a command that fills one pipe while the other is read would never end.
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> text(process.getErrorStream()));
        String out = text(process.getInputStream());
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("mlflow-keycloak " + String.join(" ", arguments) + " did not end within 5 minutes");
        }
        return new Run(process.exitValue(), out.strip(), err.join().strip());
    }

    private static String text(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
