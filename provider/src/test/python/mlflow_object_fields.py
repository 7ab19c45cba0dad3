"""The request fields of every route the installed MLflow server serves that could name an object,
read from MLflow itself, one "METHOD PATH FIELD" a line, in the route table's notation (paths as
mlflow_routes.py writes them; a route served under /api/ and /ajax-api/ once, under /api/):

  - protobuf routes (mlflow.server.handlers.get_endpoints): every field of the request message,
    walked recursively: a dotted path for a nested message, name[] for each message of a repeated
    field, name{} for the keys of a map;
  - every handler (protobuf or not, Flask or FastAPI) read with ast: the keys it (the decorators
    around it, and the helpers of mlflow.server and mlflow.gateway it calls, with the values it
    passes them) reads from the query string (request.args,
    request.query_params), the JSON body (request.json, request.get_json(), _get_request_json(),
    _get_normalized_request_json(), await request.json(), _get_request_body()), by MLflow's
    request rule (_get_validated_flask_request_json(), its and _get_request_message()'s schema
    keys) or from a header (request.headers): x.get("k"), x["k"], x.getlist("k"), "k" in x, and
    the same on what those return (a dotted path; name[] for what a for loop or comprehension
    takes from a list);
  - FastAPI routes: path, query and header parameters, and the fields of pydantic body models,
    walked recursively as messages are;
  - path variables of every route;
  - the trace ids of the spans an OTLP export carries, which no JSON field can name:
    otlp:trace_ids (otel_api.export_traces).
Not read: middleware that runs for every route alike (MLflow's workspace header, host and CORS
checks), which the gateway handles for every request.

FIELD is written as the route table writes ids: a bare name where MLflow reads it by its request
rule (a GET's query string, else the JSON body) or from the path, query:NAME, body:NAME or
header:Name where a handler reads that place whatever the method.

A field is listed when its name (its last segment) could name an object: see OBJECT_FIELD. The
names were chosen from every field name of every route (run with --all to see them all):

  id, ids, uuid                 an id of something
  uri, url, source, location, path, root, table, link
                                a place MLflow may read or write (URIs, artifact locations)
  name, names, alias            a name of something (most objects have names)
  key, keys, and every map key  tag keys (MLflow interprets some) and keys within an object
  endpoint, secret, provider, model, route, run, experiment, trace, dataset, records, scorer,
  prompt, schema, queue, workspace, owner, json, config, filter, filter_string, span, overrides
                                fields named after the object they hold, serialized objects
                                (scorers, dataset records, configurations) and search filters,
                                which might reach other objects
  version, file, folder, directory, src, tags
                                versions of objects, files, and lists of tags read whole
  every header but those that only say how the request is sent (Host, Content-Type…)
  every path variable
Left out: values, descriptions, times, counts, flags, statuses, sizes, page tokens, orderings,
and user names (users are not MLflow objects: who MLflow records is the gateway's caller).

  mlflow_object_fields.py         the fields, sorted
  mlflow_object_fields.py --all   every field found, whatever its name"""
import ast
import importlib
import inspect
import re
import sys
import textwrap
import types
import typing
import warnings

warnings.simplefilter("ignore")

from google.protobuf.message import Message  # noqa: E402

from mlflow.server import app as flask_app  # noqa: E402
from mlflow.server import handlers  # noqa: E402
from mlflow.server.fastapi_app import create_fastapi_app  # noqa: E402
from mlflow_routes import fastapi_path, flask_path  # noqa: E402

IGNORED_METHODS = {"HEAD", "OPTIONS"}

OBJECT_FIELD = re.compile(
    r"(^|_)(id|ids|uuid|uri|uris|url|urls|source|sources|location|locations|path|paths|root|table|link"
    r"|name|names|alias|aliases|key|keys|endpoint|endpoints|secret|secrets|provider|providers|model|models"
    r"|route|run|runs|experiment|experiments|trace|traces|dataset|datasets|records|scorer|scorers"
    r"|prompt|prompts|schema|schemas|queue|workspace|owner|json|config|filter|filters|filter_string\d*|span"
    r"|version|versions|file|filename|folder|subfolder|dir|directory|src|tags|overrides)$"
)

# The OTLP body (protobuf or JSON) names the traces its spans belong to, and the trace tags their
# attributes set (mlflow.traceTag.<key>): no JSON field of ours
# can say so, so it is named here (see otel_api.export_traces: mlflow_span.trace_id).
OTLP_FIELDS = {("POST", "/v1/traces"): ["otlp:trace_ids", "otlp:trace_tags"]}

# Helpers followed from a handler: those of MLflow's server and gateway, which read the request.
FOLLOWED_MODULES = ("mlflow.server", "mlflow.gateway", "mlflow.tracing.distributed")
MAX_DEPTH = 6
# Helpers not followed: they read only the keys of the schema they are given (listed from the
# schema itself), and run_uuid where the schema has run_id (listed from the message).
NOT_FOLLOWED = {"_validate_request_json_with_schema", "_reject_conflicting_field_aliases"}


def path_variables(path):
    return re.findall(r"<(?:path:)?(\w+)>", path)


# Headers that only say how the request is sent.
TRANSPORT_HEADERS = {"host", "content-type", "content-encoding", "content-length", "user-agent", "accept"}


def snake_case(name):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def is_object_field(field, path):
    source, _, name = field.rpartition(":")
    if source == "header":
        return name not in TRANSPORT_HEADERS
    if name in path_variables(path):
        return True
    last = name.rsplit(".", 1)[-1]
    if last.endswith("{}"):
        return True
    return bool(OBJECT_FIELD.search(snake_case(last.removesuffix("[]"))))


# --- protobuf request messages ---------------------------------------------------------------


def message_fields(descriptor, prefix="", seen=()):
    for field in descriptor.fields:
        name = prefix + field.name
        message = field.message_type
        if message is None:
            yield name
        elif message.GetOptions().map_entry:
            yield name + "{}"
        elif message.full_name.startswith("google.protobuf."):
            yield name  # Struct, Value, Timestamp, Duration…: one value, not walked
        elif message.full_name in seen:
            yield name  # recursive message: named, not walked again
        else:
            each = "[]" if field.is_repeated else ""
            yield from message_fields(message, name + each + ".", (*seen, message.full_name))


# --- handlers read with ast ------------------------------------------------------------------

QUERY, BODY, REQUEST, HEADER = "query", "body", "request", "header"
BODY_READERS = {"_get_request_json", "_get_normalized_request_json", "_get_request_body"}
DICT_METHODS = {"get", "getlist", "pop", "setdefault", "to_dict", "copy", "items", "values", "keys", "model_dump",
                "update", "lower", "strip", "split", "startswith", "endswith"}
SCHEMA_READERS = {"_get_validated_flask_request_json", "_get_request_message"}


def render(source, name):
    return name if source == REQUEST else f"{source}:{name}"


class Taint(typing.NamedTuple):
    source: str
    prefix: str  # "" or "a." or "a[]."


def merge(a, b):
    if a is None:
        return b
    if b is None or a == b:
        return a
    return Taint(REQUEST if a.source != b.source else a.source, a.prefix)


class HandlerReader(ast.NodeVisitor):
    """The request keys one function reads, following the helpers it calls."""

    def __init__(self, function, tainted, found, visited, depth):
        self.function = function
        self.globals = getattr(function, "__globals__", {})
        self.tainted = dict(tainted)
        self.imported = {}  # names a function imports itself
        self.found = found
        self.visited = visited
        self.depth = depth

    # values
    def constant(self, node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name) and isinstance(self.globals.get(node.id), str):
            return self.globals[node.id]
        if isinstance(node, ast.Attribute):
            owner = self.resolve(node.value)
            value = getattr(owner, node.attr, None) if owner is not None else None
            if isinstance(value, str):
                return value
            if value is not None and hasattr(value, "value") and isinstance(value.value, str):
                return value.value  # a str Enum member
        return None

    def resolve(self, node):
        if isinstance(node, ast.Name):
            if node.id in self.imported:
                return self.imported[node.id]
            return self.globals.get(node.id)
        if isinstance(node, ast.Attribute):
            owner = self.resolve(node.value)
            try:
                return getattr(owner, node.attr, None) if owner is not None else None
            except RuntimeError:  # flask.request outside a request
                return None
        return None

    def emit(self, taint, key):
        if taint.source == HEADER:
            self.found.add(f"header:{key.lower()}")
        else:
            self.found.add(render(taint.source, taint.prefix + key))

    def is_request(self, node):
        return isinstance(node, ast.Name) and node.id in ("request", "flask_request")

    def taint(self, node):  # noqa: C901
        if node is None:
            return None
        if isinstance(node, ast.Await):
            return self.taint(node.value)
        if isinstance(node, ast.Name):
            return self.tainted.get(node.id)
        if isinstance(node, ast.Attribute):
            if self.is_request(node.value):
                if node.attr in ("args", "query_params"):
                    return Taint(QUERY, "")
                if node.attr == "json":
                    return Taint(BODY, "")
                if node.attr == "headers":
                    return Taint(HEADER, "")
            owner = self.taint(node.value)
            if owner is not None and owner.source != HEADER and node.attr not in DICT_METHODS:
                # pydantic payloads and request messages: payload.field
                self.emit(owner, node.attr)
                return Taint(owner.source, owner.prefix + node.attr + ".")
            return None
        if isinstance(node, ast.IfExp):
            return merge(self.taint(node.body), self.taint(node.orelse))
        if isinstance(node, ast.BoolOp):
            result = None
            for value in node.values:
                result = result or self.taint(value)
            return result
        if isinstance(node, ast.Subscript):
            owner = self.taint(node.value)
            key = self.constant(node.slice)
            if owner is not None and key is not None:
                self.emit(owner, key)
                return Taint(owner.source, owner.prefix + key + ".")
            if owner is not None:
                return owner
            return None
        if isinstance(node, ast.Call):
            return self.call_taint(node)
        return None

    def call_taint(self, node):
        func = node.func
        if isinstance(func, ast.Attribute):
            if self.is_request(func.value):
                if func.attr in ("get_json", "json"):
                    return Taint(BODY, "")
                if func.attr == "body":
                    return None
            owner = self.taint(func.value)
            if owner is not None:
                if func.attr in ("get", "getlist", "pop", "setdefault") and node.args:
                    key = self.constant(node.args[0])
                    if key is not None:
                        if owner.source == HEADER:
                            self.emit(owner, key)
                            return None
                        self.emit(owner, key)
                        return Taint(owner.source, owner.prefix + key + ".")
                if func.attr in ("to_dict", "copy", "items", "values", "keys"):
                    return owner
                if func.attr == "model_dump":
                    return owner
        if isinstance(func, ast.Name):
            if func.id in BODY_READERS:
                return Taint(BODY, "")
            if func.id == "_get_validated_flask_request_json":
                return Taint(REQUEST, "")
            if func.id in ("dict", "list", "set", "tuple", "sorted", "reversed") and node.args:
                return self.taint(node.args[0])
        return None

    # statements
    def visit_ImportFrom(self, node):
        if node.level == 0 and node.module:
            try:
                module = importlib.import_module(node.module)
            except ImportError:
                return
            for alias in node.names:
                self.imported[alias.asname or alias.name] = getattr(module, alias.name, None)

    def assign(self, target, taint):
        if isinstance(target, ast.Name):
            if taint is not None:
                self.tainted[target.id] = taint
            else:
                self.tainted.pop(target.id, None)

    def visit_Assign(self, node):
        self.generic_visit(node)
        taint = self.taint(node.value)
        for target in node.targets:
            self.assign(target, taint)

    def visit_AnnAssign(self, node):
        self.generic_visit(node)
        if node.value is not None:
            self.assign(node.target, self.taint(node.value))

    def visit_NamedExpr(self, node):
        self.generic_visit(node)
        self.assign(node.target, self.taint(node.value))

    def each(self, taint):
        if taint is None:
            return None
        prefix = taint.prefix[:-1] + "[]." if taint.prefix.endswith(".") else taint.prefix
        return Taint(taint.source, prefix)

    def visit_For(self, node):
        self.assign(node.target, self.each(self.taint(node.iter)))
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_comprehension(self, node):
        self.assign(node.target, self.each(self.taint(node.iter)))
        self.generic_visit(node)

    def comprehension_first(self, node):
        for generator in node.generators:
            self.visit(generator)
        for field in ("elt", "key", "value"):
            if hasattr(node, field):
                self.visit(getattr(node, field))

    visit_ListComp = comprehension_first
    visit_SetComp = comprehension_first
    visit_DictComp = comprehension_first
    visit_GeneratorExp = comprehension_first

    def visit_Compare(self, node):
        self.generic_visit(node)
        for op, right in zip(node.ops, node.comparators):
            if isinstance(op, (ast.In, ast.NotIn)):
                owner = self.taint(right)
                key = self.constant(node.left)
                if owner is not None and key is not None:
                    self.emit(owner, key)

    def visit_Attribute(self, node):
        self.generic_visit(node)
        if node.attr not in DICT_METHODS:
            self.taint(node)

    def visit_Subscript(self, node):
        self.generic_visit(node)
        self.taint(node)

    def visit_Call(self, node):
        if isinstance(node.func, ast.Attribute):
            self.visit(node.func.value)
        else:
            self.visit(node.func)
        for argument in node.args:
            self.visit(argument)
        for keyword in node.keywords:
            self.visit(keyword.value)
        self.call_taint(node)
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name == "_get_request_message" and node.args:
            message = node.args[0].func if isinstance(node.args[0], ast.Call) else None
            message = self.resolve(message) if message is not None else None
            if inspect.isclass(message) and issubclass(message, Message):
                self.found.update(message_fields(message.DESCRIPTOR))
        if name in SCHEMA_READERS:
            for keyword in node.keywords:
                if keyword.arg == "schema" and isinstance(keyword.value, ast.Dict):
                    for key in keyword.value.keys:
                        if (text := self.constant(key)) is not None:
                            self.found.add(text)
        self.follow(node)

    def follow(self, node):
        if self.depth >= MAX_DEPTH:
            return
        callee = self.resolve(node.func)
        if not isinstance(callee, types.FunctionType):
            return
        if not (callee.__module__ or "").startswith(FOLLOWED_MODULES) or callee.__name__ in NOT_FOLLOWED:
            return
        try:
            parameters = list(inspect.signature(inspect.unwrap(callee)).parameters)
        except (TypeError, ValueError):
            return
        tainted = {}
        for parameter, argument in zip(parameters, node.args):
            if (taint := self.taint(argument)) is not None:
                tainted[parameter] = taint
        for keyword in node.keywords:
            if keyword.arg in parameters and (taint := self.taint(keyword.value)) is not None:
                tainted[keyword.arg] = taint
        read(callee, tainted, self.found, self.visited, self.depth + 1)


def layers(function):
    """A handler and the decorators wrapped around it (which may read the request too)."""
    while callable(function):
        yield function
        function = getattr(function, "__wrapped__", None)


def read(function, tainted, found, visited, depth=0):
    for layer in layers(function):
        innermost = not hasattr(layer, "__wrapped__")
        read_one(layer, tainted if innermost else {}, found, visited, depth)


def read_one(function, tainted, found, visited, depth):
    code = getattr(function, "__code__", None)
    if code is None:
        return
    key = (code, tuple(sorted(tainted.items())))
    if key in visited:
        return
    visited.add(key)
    try:
        source = textwrap.dedent(inspect.getsource(code))
    except (OSError, TypeError):
        return
    tree = ast.parse(source)
    reader = HandlerReader(function, tainted, found, visited, depth)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for statement in node.body:
                reader.visit(statement)
        else:
            reader.visit(node)


def handler_fields(function, tainted=None):
    found = set()
    read(function, tainted or {}, found, set())
    return found


# --- FastAPI ---------------------------------------------------------------------------------


def model_fields(annotation, prefix="", seen=()):
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        for argument in arguments:
            if argument is not type(None):
                yield from model_fields(argument, prefix, seen)
        return
    if origin is typing.Annotated:
        yield from model_fields(arguments[0], prefix, seen)
        return
    if origin in (list, set, tuple, typing.Sequence) and arguments:
        yield from model_fields(arguments[0], prefix[:-1] + "[]." if prefix else prefix, seen)
        return
    if origin is dict:
        if prefix:
            yield prefix[:-1] + "{}"
        return
    fields = getattr(annotation, "model_fields", None)
    if not isinstance(fields, dict) or annotation in seen:
        if prefix:
            yield prefix[:-1]
        return
    for name, info in fields.items():
        alias = info.alias or name
        inner = info.annotation
        if isinstance(inner, typing.ForwardRef):  # a model defined after the one using it
            inner = eval(inner.__forward_arg__, vars(sys.modules[annotation.__module__]))  # noqa: S307
        nested = list(model_fields(inner, prefix + alias + ".", (*seen, annotation)))
        yield from nested if nested else [prefix + alias]


def fastapi_fields(context):
    fields = set()
    dependant = context.dependant
    for parameter in dependant.path_params:
        fields.add(parameter.name)
    for parameter in dependant.query_params:
        fields.add("query:" + (parameter.alias or parameter.name))
    for parameter in dependant.header_params:
        fields.add("header:" + (parameter.alias or parameter.name).lower())
    for parameter in dependant.body_params:
        embedded = len(dependant.body_params) > 1
        prefix = parameter.alias + "." if embedded else ""
        for name in model_fields(parameter.field_info.annotation, prefix):
            fields.add("body:" + name)
    endpoint = context.endpoint
    tainted = {}
    for parameter in dependant.body_params:
        tainted[parameter.name] = Taint(BODY, (parameter.alias + ".") if len(dependant.body_params) > 1 else "")
    fields |= handler_fields(endpoint, tainted)
    return fields


def fastapi_routes(app):
    for route in app.routes:
        if hasattr(route, "effective_route_contexts"):
            for context in route.effective_route_contexts():
                for method in context.methods or ():
                    yield method, fastapi_path(context.path), context
        elif hasattr(route, "methods") and hasattr(route, "dependant"):
            for method in route.methods or ():
                yield method, fastapi_path(route.path), route


# --- all routes ------------------------------------------------------------------------------


def collect():
    fields = {}  # (method, path) -> set of fields

    def add(method, path, names):
        if method in IGNORED_METHODS:
            return
        entry = fields.setdefault((method, path), set())
        entry.update(path_variables(path))
        entry.update(names)

    for path, handler, methods in handlers.get_endpoints(get_handler=lambda cls: cls):
        if inspect.isclass(handler) and issubclass(handler, Message):
            names = set(message_fields(handler.DESCRIPTOR))
            function = handlers.HANDLERS.get(handler)
            if function is not None:
                names |= handler_fields(function)
        else:
            names = handler_fields(handler)
        for method in methods:
            add(method, flask_path(path), names)

    for rule in flask_app.url_map.iter_rules():
        view = flask_app.view_functions[rule.endpoint]
        for method in rule.methods:
            add(method, flask_path(rule.rule), handler_fields(view))

    for method, path, context in fastapi_routes(create_fastapi_app(flask_app)):
        add(method, path, fastapi_fields(context))

    for (method, path), names in OTLP_FIELDS.items():
        add(method, path, names)
    return fields


def without_containers(names):
    """A list, message or map walked into is named by its parts, not itself as well."""
    def walked(name):
        return any(other.startswith((name + ".", name + "[].")) or other == name + "{}" for other in names)

    return {name for name in names if not walked(name)}


def fold(fields):
    """A route served under /ajax-api/ and /api/ is one line of the table, under /api/."""
    folded = {}
    for (method, path), names in fields.items():
        if path.startswith("/ajax-api/"):
            twin = "/api/" + path[len("/ajax-api/"):]
            if (method, twin) in fields:
                path = twin
        folded.setdefault((method, path), set()).update(names)
    return folded


def main():
    everything = sys.argv[1:] == ["--all"]
    lines = set()
    for (method, path), names in fold(collect()).items():
        for name in without_containers(names):
            if everything or is_object_field(name, path):
                lines.add((path, method, name))
    for path, method, name in sorted(lines):
        print(method, path, name)


if __name__ == "__main__":
    sys.exit(main())
