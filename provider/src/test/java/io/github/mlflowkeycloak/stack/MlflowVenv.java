package io.github.mlflowkeycloak.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.mlflowkeycloak.route.MlflowVersion;
import io.github.mlflowkeycloak.route.RouteTable;
import io.github.mlflowkeycloak.route.RouteTableFile;

/**
 * The Python of each MLflow release the built-in route table covers: the stack's virtualenv for
 * the release mlflow/requirements.txt pins, bin/mlflow-venv's (made once, kept in .stack) for
 * the others.
 */
public final class MlflowVenv {

    private MlflowVenv() {
    }

    /** Every release the built-in table covers, oldest first: the releases the coverage tests check. */
    public static List<MlflowVersion> supported() {
        return RouteTableFile.builtIn().versions();
    }

    public static Path python(MlflowVersion version) throws IOException, InterruptedException {
        if (version.equals(RouteTable.mlflow().mlflowVersion())) {
            return LocalStack.STACK_DIR.resolve("venv/bin/python");
        }
        Process process = new ProcessBuilder(LocalStack.ROOT.resolve("bin/mlflow-venv").toString(), version.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String venv = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("bin/mlflow-venv " + version + " failed");
        }
        return Path.of(venv, "bin/python");
    }
}
