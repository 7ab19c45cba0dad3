package io.github.mlflowkeycloak.stack;

import java.io.IOException;
import java.util.List;

import io.github.mlflowkeycloak.route.MlflowVersion;

/**
 * What the installed MLflow (the stack's virtualenv) says about its own routes, through
 * provider/src/test/python/mlflow_routes.py, mlflow_object_fields.py and mlflow_author_fields.py.
 */
public final class MlflowRoutes {

    private static final String ROUTES = "mlflow_routes.py";
    private static final String OBJECT_FIELDS = "mlflow_object_fields.py";
    private static final String AUTHOR_FIELDS = "mlflow_author_fields.py";

    private MlflowRoutes() {
    }

    /** Every route MLflow serves, as "METHOD PATH" in the route table's notation. */
    public static List<String> served() throws IOException, InterruptedException {
        return run(ROUTES, List.of());
    }

    /** Every route one MLflow release serves. */
    public static List<String> served(MlflowVersion version) throws IOException, InterruptedException {
        return VenvPython.run(version, ROUTES, List.of());
    }

    /**
     * The request fields of every route that could name an object, as "METHOD PATH FIELD" in the
     * route table's notation; with {@code all}, every field whatever its name.
     */
    public static List<String> objectFields(boolean all) throws IOException, InterruptedException {
        return all ? run(OBJECT_FIELDS, List.of(), "--all") : run(OBJECT_FIELDS, List.of());
    }

    /** The request fields that could name an object, of one MLflow release. */
    public static List<String> objectFields(MlflowVersion version) throws IOException, InterruptedException {
        return VenvPython.run(version, OBJECT_FIELDS, List.of());
    }

    /** The request fields of every route through which a client could say who did something, as "METHOD PATH FIELD". */
    public static List<String> authorFields() throws IOException, InterruptedException {
        return run(AUTHOR_FIELDS, List.of());
    }

    /** For each "METHOD TARGET" line, the route MLflow's routers pick ("METHOD PATH"), or "-". */
    public static List<String> match(List<String> requests) throws IOException, InterruptedException {
        List<String> answers = run(ROUTES, requests, "--match");
        if (answers.size() != requests.size()) {
            throw new IllegalStateException("mlflow_routes.py --match answered " + answers.size() + " of " + requests.size());
        }
        return answers;
    }

    private static List<String> run(String script, List<String> input, String... arguments) throws IOException, InterruptedException {
        return VenvPython.run(script, input, arguments);
    }
}
