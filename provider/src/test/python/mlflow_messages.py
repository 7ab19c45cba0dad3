"""The protobuf request message of every MLflow route whose handler reads its request with
_get_request_message, and the descriptors of every message reachable from those, read from the
installed MLflow. The gateway validates each such request the way protobuf's ParseDict would
parse it (request/ProtoJson.java), so that MLflow never acts on a partially parsed message.

  mlflow_messages.py > provider/src/main/resources/io/github/mlflowkeycloak/request/mlflow-messages-<version>.json

Routes are named as Route.operation() names them: "METHOD /api/…" in the route table's notation,
a route under /ajax-api/ by its /api/ twin. A handler's message is the class it passes to
_get_request_message, found in its source or in the source of the functions it calls."""
import ast
import inspect
import json
import re
import sys
import textwrap
import types
import warnings

warnings.simplefilter("ignore")

import google.protobuf  # noqa: E402
import mlflow  # noqa: E402
from google.protobuf import descriptor  # noqa: E402
from mlflow.server import app as flask_app  # noqa: E402
from mlflow.server.fastapi_app import create_fastapi_app  # noqa: E402

from mlflow_routes import IGNORED_METHODS, flask_path, match  # noqa: E402

# How json_format's ParseDict reads the well-known types it does not read field by field.
WELL_KNOWN = {
    "google.protobuf.Any": "any",
    "google.protobuf.Duration": "duration",
    "google.protobuf.FieldMask": "fieldMask",
    "google.protobuf.ListValue": "listValue",
    "google.protobuf.Struct": "struct",
    "google.protobuf.Timestamp": "timestamp",
    "google.protobuf.Value": "value",
}

TYPES = {
    getattr(descriptor.FieldDescriptor, name): name[len("TYPE_"):].lower()
    for name in dir(descriptor.FieldDescriptor)
    if name.startswith("TYPE_")
}


def request_messages(function, seen):
    """The message classes a view function passes to _get_request_message, itself or through
    the module functions it calls."""
    function = inspect.unwrap(function)
    if not isinstance(function, types.FunctionType) or function in seen:
        return set()
    if not function.__module__.startswith("mlflow.server"):
        return set()
    seen.add(function)
    found = set()
    for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(function)))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        if node.func.id == "_get_request_message":
            argument = node.args[0] if node.args else next(
                k.value for k in node.keywords if k.arg == "request_message")
            if not (isinstance(argument, ast.Call) and isinstance(argument.func, ast.Name)):
                raise SystemExit(f"{function.__name__}: cannot tell the message of {ast.unparse(node)}")
            found.add(function.__globals__[argument.func.id].DESCRIPTOR)
        elif node.func.id in function.__globals__:
            found |= request_messages(function.__globals__[node.func.id], seen)
    return found


def concrete(path):
    return re.sub(r"<(?:path:)?\w+>", "x", path)


def operation(method, path):
    if path.startswith("/ajax-api/"):
        path = "/api/" + path[len("/ajax-api/"):]
    return f"{method} {path}"


def routes():
    """{operation: message descriptor} for every Flask route that parses a request message and
    that FastAPI (matched first) does not serve instead."""
    fastapi_app = create_fastapi_app(flask_app)
    found = {}
    for rule in flask_app.url_map.iter_rules():
        messages = request_messages(flask_app.view_functions[rule.endpoint], set())
        if not messages:
            continue
        if len(messages) > 1:
            raise SystemExit(f"{rule.rule} parses several messages: {sorted(m.full_name for m in messages)}")
        message = messages.pop()
        path = flask_path(rule.rule)
        for method in sorted(rule.methods - IGNORED_METHODS):
            if match(fastapi_app, method, concrete(path)) != f"{method} {path}":
                continue
            key = operation(method, path)
            if found.setdefault(key, message) is not message:
                raise SystemExit(f"{key}: {found[key].full_name} and {message.full_name} under /api/ and /ajax-api/")
    return found


def reachable(roots):
    messages, enums = {}, {}
    pending = list(roots)
    while pending:
        message = pending.pop()
        if message.full_name in messages:
            continue
        messages[message.full_name] = message
        if message.full_name in WELL_KNOWN:
            continue
        for field in message.fields:
            if field.message_type is not None:
                pending.append(field.message_type)
            if field.enum_type is not None:
                enums[field.enum_type.full_name] = field.enum_type
    return messages, enums


def field_json(field):
    if field.type == descriptor.FieldDescriptor.TYPE_GROUP:
        raise SystemExit(f"{field.full_name}: groups are not supported")
    out = {"name": field.name, "json": field.json_name, "type": TYPES[field.type]}
    if field.message_type is not None:
        out["message"] = field.message_type.full_name
    if field.enum_type is not None:
        out["enum"] = field.enum_type.full_name
    if field.is_repeated:
        out["repeated"] = True
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        out["map"] = True
    if field.containing_oneof is not None:
        out["oneof"] = field.containing_oneof.name
    return out


def message_json(message):
    out = {}
    if message.full_name in WELL_KNOWN:
        out["wellKnown"] = WELL_KNOWN[message.full_name]
    elif message.file.name == "google/protobuf/wrappers.proto":
        out["wellKnown"] = "wrapper"
    if message.full_name not in WELL_KNOWN:
        out["fields"] = [field_json(field) for field in message.fields]
    return out


def enum_json(enum):
    return {"closed": enum.is_closed, "values": {value.name: value.number for value in enum.values}}


def dump(data):
    """JSON with one route, field or enum a line: small diffs when MLflow changes."""
    def line(value):
        return json.dumps(value, ensure_ascii=False)

    out = ["{"]
    out.append(f'  "mlflow": {line(data["mlflow"])},')
    out.append(f'  "protobuf": {line(data["protobuf"])},')
    out.append('  "routes": {')
    out.append(",\n".join(f"    {line(k)}: {line(v)}" for k, v in data["routes"].items()))
    out.append("  },")
    out.append('  "messages": {')
    messages = []
    for name, message in data["messages"].items():
        head = {k: v for k, v in message.items() if k != "fields"}
        if "fields" not in message:
            messages.append(f"    {line(name)}: {line(head)}")
            continue
        text = f"    {line(name)}: {{" + "".join(f"{line(k)}: {line(v)}, " for k, v in head.items()) + '"fields": ['
        if message["fields"]:
            text += "\n" + ",\n".join(f"      {line(f)}" for f in message["fields"]) + "\n    "
        messages.append(text + "]}")
    out.append(",\n".join(messages))
    out.append("  },")
    out.append('  "enums": {')
    out.append(",\n".join(f"    {line(k)}: {line(v)}" for k, v in data["enums"].items()))
    out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    found = routes()
    messages, enums = reachable(found.values())
    data = {
        "mlflow": mlflow.__version__,
        "protobuf": google.protobuf.__version__,
        "routes": {key: found[key].full_name for key in sorted(found, key=lambda k: (k.split(" ", 1)[1], k))},
        "messages": {name: message_json(messages[name]) for name in sorted(messages)},
        "enums": {name: enum_json(enums[name]) for name in sorted(enums)},
    }
    sys.stdout.write(dump(data))


if __name__ == "__main__":
    sys.exit(main())
