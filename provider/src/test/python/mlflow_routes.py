"""Prints every (method, path) the installed MLflow server serves, one "METHOD PATH" a line, in
the route table's notation: <name> for one path segment, <path:name> for the rest of the path.

Reads the routes from MLflow itself: the Flask app's URL map, and the FastAPI app that MLflow's
server puts in front of it (the FastAPI routes are matched first; Flask serves the rest).
HEAD and OPTIONS are left out: HEAD is served as GET, OPTIONS only answers CORS preflights."""
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


def main():
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
