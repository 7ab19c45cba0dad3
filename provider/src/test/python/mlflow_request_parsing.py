"""MLflow's own reading of requests into their protobuf messages, for RequestParsingDifferentialIT.

For each JSON line on stdin,
  {"message": FULL_NAME, "method": METHOD, "query": RAW_QUERY, "body": BASE64 or null,
   "contentType": CONTENT_TYPE or null, "ids": [FIELD, ...]}
runs mlflow.server.handlers._get_request_message with a message of that type in a Flask request
made of those, and prints one JSON line:
  {"parsed": true, "ids": {FIELD: [VALUE, ...]}}   ParseDict parsed the request completely
  {"parsed": false, "error": E, "ids": {...}}      ParseDict failed; MLflow goes on with what it parsed
  {"raised": E}                                    _get_request_message raised: MLflow answers an error

Ids are read from the message as a handler reads them: FIELD is a dotted path, name[] standing for
each element of a repeated message field; a repeated field gives each of its values, a singular
one its value when it is set. Values are written as the gateway reads them from JSON: str() of
strings and integers, true or false for bools."""
import base64
import json
import sys
import warnings

warnings.simplefilter("ignore")

from google.protobuf import descriptor_pool, message_factory  # noqa: E402
from google.protobuf.json_format import ParseError  # noqa: E402
from mlflow.server import app  # noqa: E402
from mlflow.server import handlers  # noqa: E402

parse_errors = []
_parse_dict = handlers.parse_dict


def recording_parse_dict(js_dict, message):
    try:
        _parse_dict(js_dict, message)
    except ParseError as e:
        parse_errors.append(str(e))
        raise


handlers.parse_dict = recording_parse_dict


def text(value):
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def values(message, path):
    segments = path.split(".")
    found = []

    def walk(current, index):
        segment = segments[index]
        name = segment[:-2] if segment.endswith("[]") else segment
        field = current.DESCRIPTOR.fields_by_name[name]
        value = getattr(current, name)
        if index == len(segments) - 1:
            if field.is_repeated:
                found.extend(text(v) for v in value)
            elif current.HasField(name) if field.has_presence else value != field.default_value:
                found.append(text(value))
        elif field.is_repeated:
            for element in value:
                walk(element, index + 1)
        elif current.HasField(name):
            walk(value, index + 1)

    walk(message, 0)
    return found


def parse(case):
    message_class = message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName(case["message"]))
    body = base64.b64decode(case["body"]) if case["body"] is not None else None
    del parse_errors[:]
    with app.test_request_context("/", method=case["method"], query_string=case["query"], data=body,
                                  content_type=case["contentType"]):
        try:
            message = handlers._get_request_message(message_class())
        except Exception as e:  # noqa: BLE001 - whatever MLflow raises, it answers an error
            return {"raised": f"{type(e).__name__}: {e}"}
    answer = {"parsed": not parse_errors, "ids": {field: values(message, field) for field in case["ids"]}}
    if parse_errors:
        answer["error"] = parse_errors[0]
    return answer


def main():
    for line in sys.stdin:
        print(json.dumps(parse(json.loads(line))), flush=False)


if __name__ == "__main__":
    sys.exit(main())
