"""The routes of the installed MLflow server, read from MLflow itself: the Flask app's URL map,
and the FastAPI app that MLflow's server puts in front of it (FastAPI's routes are matched first;
Flask serves the rest). Paths are written in the route table's notation: <name> for (part of) one
segment, <path:name> for one or more segments.

  mlflow_routes.py          every (method, path) MLflow serves, one "METHOD PATH" a line. HEAD and
                            OPTIONS are left out: HEAD is served as GET, OPTIONS only answers CORS.
  mlflow_routes.py --match  for each "METHOD TARGET" line on stdin, the route MLflow's routers
                            pick for that raw request target, as "METHOD PATH", or "-" for none."""
import re
import sys
import warnings

warnings.simplefilter("ignore")

from mlflow.server import app as flask_app  # noqa: E402
from mlflow.server.fastapi_app import create_fastapi_app  # noqa: E402

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def flask_path(rule):
    # <path:name> stays; <int:x>, <string:x>, <x> become <x>.
    return re.sub(r"<(?!path:)(?:\w+:)?(\w+)>", r"<\1>", rule)


def fastapi_path(path):
    path = re.sub(r"\{(\w+):path\}", r"<path:\1>", path)
    return re.sub(r"\{(\w+)(?::\w+)?\}", r"<\1>", path)


def fastapi_routes(routes):
    for route in routes:
        if hasattr(route, "effective_route_contexts"):  # an included router, with its full paths
            for context in route.effective_route_contexts():
                for method in context.methods or ():
                    yield method, context.path
        elif hasattr(route, "methods"):
            for method in route.methods or ():
                yield method, route.path
        # else: the Mount of the Flask app, whose routes come from its URL map


def match(app, method, target):
    """The route MLflow serves a raw request target with: uvicorn percent-decodes the path, the
    FastAPI routes are tried in order, and the Flask app (mounted last) routes what they leave."""
    from urllib.parse import unquote

    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import RequestRedirect

    raw_path = target.split("?", 1)[0]
    try:
        raw_path.encode("ascii")
    except UnicodeEncodeError:
        return "-"  # uvicorn refuses a request target that is not ASCII
    path = unquote(raw_path)
    lookup_method = "GET" if method == "HEAD" else method
    for route in app.routes:
        contexts = route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]
        for context in contexts:
            methods = getattr(context, "methods", None)
            regex = getattr(context, "path_regex", None)
            if methods and regex is not None and lookup_method in methods and regex.match(path):
                return f"{lookup_method} {fastapi_path(context.path)}"
    adapter = flask_app.url_map.bind("localhost")
    try:
        rule, _ = adapter.match(path, method, return_rule=True)
    except (HTTPException, RequestRedirect):
        return "-"
    return f"{lookup_method} {flask_path(rule.rule)}"


def match_stdin():
    app = create_fastapi_app(flask_app)
    for line in sys.stdin:
        method, _, target = line.rstrip("\n").partition(" ")
        print(match(app, method, target))


def main():
    if sys.argv[1:] == ["--match"]:
        return match_stdin()
    served = set()
    for rule in flask_app.url_map.iter_rules():
        for method in rule.methods - IGNORED_METHODS:
            served.add((method, flask_path(rule.rule)))
    for method, path in fastapi_routes(create_fastapi_app(flask_app).routes):
        if method not in IGNORED_METHODS:
            served.add((method, fastapi_path(path)))
    for method, path in sorted(served, key=lambda r: (r[1], r[0])):
        print(method, path)


if __name__ == "__main__":
    sys.exit(main())
