"""The request fields of every route the installed MLflow server serves through which a client
could say who did something, read from MLflow itself (the fields mlflow_object_fields.py reads
from MLflow's request messages and handlers), one "METHOD PATH FIELD" a line, in the route
table's notation:

  - a field named after a person: user, users, user_id, username, owner, author, creator,
    created_by, updated_by, last_updated_by, completed_by, new_owner, source_id (an assessment's
    source: a reviewer's name for HUMAN sources);
  - every field that sets tags or metadata (in any form: a list of key/value messages, a map, JSON
    text), since MLflow records who created an object under the key mlflow.user there (a run's
    tag, a trace's metadata): named once, as the field itself;
  - the key of a request that sets or deletes one tag (key, tag_key) and the trace tags an OTLP
    export's spans set (otlp:trace_tags);
  - records held as JSON text (an evaluation dataset's records, each with its own tags).

AuthorFieldCoverageIT requires each to be in its route's WHO column or in unattributed-fields.txt
with the reason MLflow records no author from it."""
import re
import sys
import warnings

warnings.simplefilter("ignore")

from mlflow_object_fields import collect, fold, snake_case, without_containers  # noqa: E402

PERSON = re.compile(
    r"(^|_)(user|users|user_id|user_ids|username|usernames|owner|new_owner|author|creator"
    r"|created_by|updated_by|last_updated_by|completed_by|source_id)$"
)
TAG_KEY = re.compile(r"^(key|tag_key)$")


def source_and_name(field):
    source, colon, name = field.rpartition(":")
    return (source + colon), name


def author_field(method, path, field):
    """The field as it is listed, or None when it cannot say who."""
    prefix, name = source_and_name(field)
    if prefix == "otlp:":
        return field if name == "trace_tags" else None
    segments = name.split(".")
    for index, segment in enumerate(segments):
        bare = segment.removesuffix("[]").removesuffix("{}")
        if bare in ("tags", "metadata") or bare.endswith("_metadata"):
            return prefix + ".".join(segments[:index] + [segment])
    last = segments[-1].removesuffix("[]").removesuffix("{}")
    if last == "records" and segments[-1] == last:
        return field
    if PERSON.search(snake_case(last)):
        return field
    if len(segments) == 1 and TAG_KEY.match(last) and "tag" in path.lower():
        return field
    return None


def main():
    lines = set()
    for (method, path), names in fold(collect()).items():
        for name in without_containers(names):
            listed = author_field(method, path, name)
            if listed is not None:
                lines.add((path, method, listed))
    for path, method, name in sorted(lines):
        print(method, path, name)


if __name__ == "__main__":
    sys.exit(main())
