package io.github.mlflowkeycloak.sdk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.mlflowkeycloak.stack.DeviceLogin;
import io.github.mlflowkeycloak.stack.LocalStack;

/**
 * A Python process of the stack's virtualenv, where MLflow and the mlflow-keycloak client are
 * installed, pointed at the gateway; it can complete the device login the process asks for.
 */
final class PythonClient {

    static final Path LOG_RUN = LocalStack.ROOT.resolve("provider/src/test/python/log_run.py");

    private final Process process;
    private final StringBuffer stderr = new StringBuffer();
    private final CompletableFuture<String> stdout;
    private final CompletableFuture<Void> errors;

    private PythonClient(Process process) {
        this.process = process;
        this.stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        this.errors = CompletableFuture.runAsync(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    stderr.append(line).append('\n');
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Starts {@code python ARGS…} with the given environment added to the gateway's tracking URI. */
    static PythonClient start(Map<String, String> environment, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(LocalStack.STACK_DIR.resolve("venv/bin/python").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("MLFLOW_TRACKING_TOKEN");
        builder.environment().put("MLFLOW_TRACKING_URI", LocalStack.gatewayUrl());
        builder.environment().putAll(environment);
        return new PythonClient(builder.start());
    }

    /** Waits for the device-login link the process prints, and signs in as {@code user}. */
    void completeDeviceLogin(String user) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            var link = DeviceLogin.link(stderr.toString());
            if (link.isPresent()) {
                DeviceLogin.complete(link.get(), user);
                return;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no device-login link printed; stderr:\n" + stderr);
    }

    /** Waits for the process; returns its exit code. */
    int waitFor() throws InterruptedException {
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the Python client did not finish; stderr:\n" + stderr);
        }
        errors.join();
        return process.exitValue();
    }

    String stdout() {
        return stdout.join();
    }

    String stderr() {
        return stderr.toString();
    }

    /** The last line of standard output: the JSON log_run.py prints. */
    String lastLine() {
        List<String> lines = stdout().strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
