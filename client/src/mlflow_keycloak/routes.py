"""mlflow-keycloak routes check TABLE [OVERRIDE]: the route table against the installed MLflow.

Prints the routes the installed MLflow serves that no line of the table covers (the gateway
denies them), each with a suggested line to start from, and the table lines that no route of it
matches; exits 1 when there is either. TABLE is a route-table file (the provider's built-in
mlflow-routes.txt, or a file of your own); OVERRIDE, an override file whose lines add to TABLE's
or replace the one of the same method and path, as the gateway reads one that EXTENDS a release
of TABLE. Only the lines whose range (mlflow>=FIRST,<NEXT) holds the installed release count."""
import argparse
import re
import sys
import warnings

IGNORED_METHODS = {"HEAD", "OPTIONS"}
RANGE = re.compile(r"^mlflow(>=[0-9.]+)?(?:,?(<[0-9.]+))?$")


def release(text):
    """A release number as a tuple, for comparing; a pre-release or a dev build is compared by its release."""
    return tuple(int(part) for part in re.match(r"[0-9]+(?:\.[0-9]+)*", text).group(0).split("."))


def in_range(column, version):
    """Whether a line's range column (mlflow>=FIRST, mlflow<NEXT, mlflow>=FIRST,<NEXT) holds the release."""
    found = RANGE.match(column)
    if not found or not any(found.groups()):
        raise ValueError(f"not a range: {column}")
    first, until = found.groups()
    return (first is None or release(version) >= release(first[2:])) and (until is None or release(version) < release(until[1:]))


def table_lines(text, version, source):
    """The route lines of a route-table file that apply to a release: {"METHOD PATH": (source:line, line)}."""
    lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#") or fields[0] in ("MLFLOW-VERSIONS", "EXTENDS"):
            continue
        if len(fields) < 3:
            raise ValueError(f"{source}:{number}: expected METHOD PATH ACCESS …: {line}")
        if RANGE.match(fields[-1]) and len(fields) > 3 and not in_range(fields[-1], version):
            continue
        paths = [fields[1]]
        if fields[1].startswith("/api/"):
            paths.append("/ajax-api/" + fields[1][len("/api/"):])
        for path in paths:
            lines[f"{fields[0]} {path}"] = (f"{source}:{number}", line.strip())
    return lines


def flask_path(rule):
    return re.sub(r"<(?!path:)(?:\w+:)?(\w+)>", r"<\1>", rule)


def fastapi_path(path):
    path = re.sub(r"\{(\w+):path\}", r"<path:\1>", path)
    return re.sub(r"\{(\w+)(?::\w+)?\}", r"<\1>", path)


def served_routes():
    """Every (method, path) the installed MLflow's server serves: its Flask URL map and the
    FastAPI app in front of it, in the route table's notation."""
    warnings.simplefilter("ignore")
    import mlflow
    from mlflow.server import app as flask_app
    from mlflow.server.fastapi_app import create_fastapi_app

    served = set()
    for rule in flask_app.url_map.iter_rules():
        for method in rule.methods - IGNORED_METHODS:
            served.add(f"{method} {flask_path(rule.rule)}")
    for route in create_fastapi_app(flask_app).routes:
        contexts = route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]
        for context in contexts:
            for method in getattr(context, "methods", None) or ():
                if method not in IGNORED_METHODS:
                    served.add(f"{method} {fastapi_path(context.path)}")
    return mlflow.__version__, served


KINDS = (
    ("registered-model", ("registered-models", "model-versions", "prompts")),
    ("gateway", ("gateway", "mcp-servers", "secrets", "endpoints")),
    ("experiment", ("experiments", "runs", "metrics", "artifacts", "traces", "logged-models", "datasets", "scorers",
                    "assessments", "issues", "label-schemas", "review-queues", "jobs")),
)
SCOPES = {"GET": "read", "DELETE": "delete"}


def suggested_line(route, version):
    """A line to start from for a route the table lacks: the kind its path names, the scope its
    method implies, its path variables as the ids; REFS and WHO are for a reader of its handler."""
    method, path = route.split(" ", 1)
    segments = set(path.split("/"))
    kind = next((kind for kind, words in KINDS if segments & set(words)), "server")
    scope = SCOPES.get(method, "update")
    ids = ",".join(re.findall(r"<(?:path:)?(\w+)>", path)) or "-"
    if path.startswith("/ajax-api/"):
        path = "/api/" + path[len("/ajax-api/"):]
    return f"{method:7} {path}  {kind}:{scope}  {ids}  mlflow>={version}"


def check(lines, served, version):
    """The routes served that no line covers (each /api/ route and its /ajax-api/ twin once, under
    /api/, when both are missing), and the lines no route served matches."""
    missing = sorted(served - lines.keys())
    twins = {route for route in missing if route.replace(" /ajax-api/", " /api/", 1) in missing and "/ajax-api/" in route}
    uncovered = [route for route in missing if route not in twins]
    dead = sorted({lines[route] for route in lines.keys() - served})
    return uncovered, dead


def run(table, override, out):
    version, served = served_routes()
    with open(table, encoding="utf-8") as file:
        lines = table_lines(file.read(), version, table)
    if override:
        with open(override, encoding="utf-8") as file:
            lines.update(table_lines(file.read(), version, override))
    uncovered, dead = check(lines, served, version)
    print(f"MLflow {version}: {len(served)} routes served, {len(lines)} covered by the table", file=out)
    if uncovered:
        print(f"\n{len(uncovered)} routes the table does not cover (the gateway denies them), each with a line to start from"
              " (check IDS, REFS and WHO against its handler):", file=out)
        for route in uncovered:
            print(f"  {route}\n    {suggested_line(route, version)}", file=out)
    if dead:
        print(f"\n{len(dead)} table lines no route of MLflow {version} matches:", file=out)
        for where, line in dead:
            print(f"  {where}: {line}", file=out)
    return 1 if uncovered or dead else 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="mlflow-keycloak routes", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["check"])
    parser.add_argument("table", help="a route-table file, such as the provider's mlflow-routes.txt")
    parser.add_argument("override", nargs="?", help="an override file that extends TABLE")
    args = parser.parse_args(argv)
    try:
        return run(args.table, args.override, sys.stdout)
    except (OSError, ValueError) as error:
        print(f"mlflow-keycloak routes: {error}", file=sys.stderr)
        return 2
    except ImportError as error:
        print(f"mlflow-keycloak routes: MLflow's server is not installed here ({error})", file=sys.stderr)
        return 2
