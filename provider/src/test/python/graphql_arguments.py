"""The object ids MLflow's GraphQL resolvers receive, computed by MLflow's own GraphQL stack: for
each request body on stdin (one JSON document a line, as POSTed to /graphql), the body is read
and run as MLflow's /graphql view runs it (mlflow.server.handlers._graphql: parse, the query
safety check, then graphene's schema.execute, which validates, picks the operation, coerces the
variables and executes). A middleware stands in for the resolvers: it records the arguments each
top-level field is called with and returns null, so that nothing reaches a store.

For each line it prints one JSON line:

  {"error": "<stage>: <message>"}   nothing was executed; the stage is one of body, syntax,
                                     safety, validation, operation, variables, execution
  {"executed": [[field, ids], ...]}  the top-level fields executed, in order, with the ids their
                                     resolvers received

MLflow's schema declares one directive, @component, in place of GraphQL's own: a query with @skip
or @include fails validation, so every field of a valid query is executed.

ids maps the names of the `input` fields that name objects (snake_case, as the resolvers and the
route table name them) to the value received: a string, a list (items may be null), or null."""
import json
import sys
import warnings

warnings.simplefilter("ignore")

from graphql import GraphQLError, parse, validate  # noqa: E402
from graphql.execution.execute import ExecutionContext  # noqa: E402

from mlflow.server.graphql.graphql_no_batching import check_query_safety  # noqa: E402
from mlflow.server.graphql.graphql_schema_extensions import schema  # noqa: E402

# The top-level fields whose `input` names objects, and which of its fields do.
ID_FIELDS = {
    "mlflowGetExperiment": ("experiment_id",),
    "mlflowGetRun": ("run_id", "run_uuid"),
    "mlflowListArtifacts": ("run_id", "run_uuid"),
    "mlflowGetMetricHistoryBulkInterval": ("run_ids",),
    "mlflowSearchRuns": ("experiment_ids",),
    "mlflowSearchDatasets": ("experiment_ids",),
    "mlflowSearchModelVersions": (),
}
GRAPHQL_SCHEMA = schema.graphql_schema


class Recorder:
    """A middleware that records the arguments of each top-level field that reads objects, in place
    of resolving it; other fields (__typename, test) are resolved."""

    def __init__(self):
        self.fields = []

    def resolve(self, next_, root, info, **args):
        if info.path.prev is None and info.field_name in ID_FIELDS:
            received = args.get("input")
            ids = {} if received is None else {name: received.get(name) for name in ID_FIELDS[info.field_name]}
            self.fields.append([info.field_name, ids])
            return None
        return next_(root, info, **args)


def run(body):
    """What MLflow's /graphql view does with the body, up to its resolvers."""
    if not isinstance(body, dict):
        return {"error": "body: not a JSON object"}
    query = body.get("query")
    variables = body.get("variables")
    operation_name = body.get("operationName")
    if not isinstance(query, str):
        return {"error": "body: the query is not a string"}
    if variables is not None and not isinstance(variables, dict):
        return {"error": "body: the variables are not an object"}
    try:
        document = parse(query)
    except GraphQLError as e:
        return {"error": "syntax: " + e.message}
    if check_query_safety(document):
        return {"error": "safety: too many root fields, aliases, selections or levels"}
    errors = validate(GRAPHQL_SCHEMA, document)
    if errors:
        return {"error": "validation: " + errors[0].message}
    # The stages of schema.execute before execution, told apart for the report.
    context = ExecutionContext.build(GRAPHQL_SCHEMA, document, raw_variable_values=variables,
                                     operation_name=operation_name)
    if isinstance(context, list):
        message = context[0].message
        stage = "operation" if message.startswith(("Must provide", "Unknown operation")) else "variables"
        return {"error": stage + ": " + message}
    executed = Recorder()
    result = schema.execute(query, variables=variables, operation_name=operation_name, middleware=[executed])
    if result.data is None:
        return {"error": "execution: " + "; ".join(e.message for e in result.errors or [])}
    return {"executed": executed.fields}


def main():
    for line in sys.stdin:
        try:
            body = json.loads(line)
        except ValueError:
            answer = {"error": "body: not JSON"}
        else:
            answer = run(body)
        print(json.dumps(answer))


if __name__ == "__main__":
    main()
