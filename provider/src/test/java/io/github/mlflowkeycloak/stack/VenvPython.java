package io.github.mlflowkeycloak.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.mlflowkeycloak.route.MlflowVersion;

/**
 * A script of provider/src/test/python, run by the stack's virtualenv (where MLflow is installed), or
 * by the virtualenv of another MLflow release:
 * lines in on stdin, lines out from stdout.
 */
public final class VenvPython {

    private VenvPython() {
    }

    public static List<String> run(String script, List<String> input, String... arguments) throws IOException, InterruptedException {
        return run(LocalStack.STACK_DIR.resolve("venv/bin/python"), script, input, arguments);
    }

    /** The script run by the Python of one MLflow release ({@link MlflowVenv}). */
    public static List<String> run(MlflowVersion version, String script, List<String> input, String... arguments)
            throws IOException, InterruptedException {
        return run(MlflowVenv.python(version), script, input, arguments);
    }

    private static List<String> run(Path python, String script, List<String> input, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python.toString(),
                LocalStack.ROOT.resolve("provider/src/test/python").resolve(script).toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).start();
        // Read while writing, so that neither side waits on a full pipe.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process, false));
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process, true));
        try (OutputStream in = process.getOutputStream()) {
            for (String line : input) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(script + " " + String.join(" ", arguments) + " failed:\n" + errors.join());
        }
        return output.join().lines().toList();
    }

    private static String read(Process process, boolean errors) {
        try {
            return new String((errors ? process.getErrorStream() : process.getInputStream()).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
