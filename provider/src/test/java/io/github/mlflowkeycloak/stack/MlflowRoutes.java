package io.github.mlflowkeycloak.stack;

import java.io.IOException;
import java.util.List;

/**
 * What the installed MLflow (the stack's virtualenv) says about its own routes, through
 * provider/src/test/python/mlflow_routes.py.
 */
public final class MlflowRoutes {

    private MlflowRoutes() {
    }

    /** Every route MLflow serves, as "METHOD PATH" in the route table's notation. */
    public static List<String> served() throws IOException, InterruptedException {
        return run(List.of());
    }

    /** For each "METHOD TARGET" line, the route MLflow's routers pick ("METHOD PATH"), or "-". */
    public static List<String> match(List<String> requests) throws IOException, InterruptedException {
        List<String> answers = run(requests, "--match");
        if (answers.size() != requests.size()) {
            throw new IllegalStateException("mlflow_routes.py --match answered " + answers.size() + " of " + requests.size());
        }
        return answers;
    }

    private static List<String> run(List<String> input, String... arguments) throws IOException, InterruptedException {
        return VenvPython.run("mlflow_routes.py", input, arguments);
    }
}
