package io.github.mlflowkeycloak.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A helper of provider/src/test/python run by the stack's virtualenv, where MLflow is installed. */
public final class VenvPython {

    private VenvPython() {
    }

    /** The lines the script prints for the lines given on its standard input. */
    public static List<String> run(String script, List<String> input, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LocalStack.STACK_DIR.resolve("venv/bin/python").toString(),
                LocalStack.ROOT.resolve("provider/src/test/python").resolve(script).toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // Read while writing, so that neither side waits on a full pipe.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try (OutputStream in = process.getOutputStream()) {
            for (String line : input) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(script + " " + String.join(" ", arguments) + " failed");
        }
        return output.join().lines().toList();
    }
}
