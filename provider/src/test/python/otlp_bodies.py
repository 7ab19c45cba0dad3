"""OTLP/HTTP trace export bodies for OtlpTraceIdsTest, built with the OpenTelemetry protobuf classes
that MLflow's server parses them with, and the trace ids MLflow's own handler reads from each: every
body is posted to mlflow.server.otel_api.export_traces (with a tracking store that only keeps the
spans it is given), so the expected ids and statuses are MLflow's, not this script's.

  otlp_bodies.py DIR   writes DIR/*.pb, *.json, ... (the bodies), DIR/cases.json (for each body its
                       headers, MLflow's status and trace ids, and why the gateway refuses it where
                       it deliberately reads more strictly than MLflow) and DIR/mutations.json
                       (randomly mutated bodies MLflow accepts, with the ids it reads)."""
import asyncio
import base64
import gzip
import json
import random
import struct
import sys
import warnings
import zlib
from pathlib import Path

warnings.simplefilter("ignore")

from fastapi import HTTPException  # noqa: E402
from google.protobuf.json_format import MessageToDict  # noqa: E402
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest  # noqa: E402
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, InstrumentationScope, KeyValue  # noqa: E402
from opentelemetry.proto.resource.v1.resource_pb2 import Resource  # noqa: E402
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span  # noqa: E402
from starlette.requests import Request  # noqa: E402

import mlflow.server.otel_api as otel_api  # noqa: E402

PROTOBUF = "application/x-protobuf"
JSON = "application/json"
TRACE_A = bytes.fromhex("0af7651916cd43dd8448eb211c80319c")
TRACE_B = bytes.fromhex("4bf92f3577b34da6a3ce929d0e0e4736")
TRACE_C = bytes.fromhex("00000000000000000000000000000abc")


class SpanStore:
    """The tracking store export_traces logs to: it keeps the spans."""

    def __init__(self):
        self.spans = []

    async def log_spans_async(self, experiment_id, spans):
        self.spans.extend(spans)


STORE = SpanStore()
otel_api._get_tracking_store = lambda: STORE
otel_api._record_event = lambda *args, **kwargs: None


def mlflow_reads(body, content_type, content_encoding):
    """MLflow's status for the body and the MLflow trace ids of the spans it logs, distinct, in order."""

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    request = Request({"type": "http", "method": "POST", "path": "/v1/traces", "headers": []}, receive)
    STORE.spans = []
    try:
        status = asyncio.run(otel_api.export_traces(
            request, x_mlflow_experiment_id="0", x_mlflow_run_id=None, content_type=content_type,
            content_encoding=content_encoding, user_agent=None, x_mlflow_workspace=None)).status_code
    except HTTPException as e:
        status = e.status_code
    except Exception:  # what the server answers with 500
        status = 500
    return status, list(dict.fromkeys(span.trace_id for span in STORE.spans)) if status == 200 else []


def varint(n):
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def field(number, wire_type, payload=b""):
    """One encoded field: payload is the varint's value for wire type 0, the bytes otherwise."""
    tag = varint(number << 3 | wire_type)
    if wire_type == 0:
        return tag + varint(payload)
    if wire_type == 2:
        return tag + varint(len(payload)) + payload
    return tag + payload


# Fields no OTLP message has, of each wire type a parser must skip.
UNKNOWN = (field(1000, 0, 300) + field(1001, 1, b"\1" * 8) + field(1002, 2, b"unknown")
           + field(1003, 5, b"\2" * 4))


def with_unknown(message):
    """The message with UNKNOWN fields, which protobuf keeps and serializes again."""
    return type(message).FromString(message.SerializeToString() + UNKNOWN)


def span(trace_id, number, parent=None):
    return Span(trace_id=trace_id, span_id=struct.pack(">Q", number), parent_span_id=parent or b"",
                name=f"span-{number}", kind=Span.SPAN_KIND_INTERNAL, start_time_unix_nano=1_700_000_000_000_000_000,
                end_time_unix_nano=1_700_000_001_000_000_000,
                attributes=[KeyValue(key="k", value=AnyValue(string_value="v"))])


def several():
    """Two resources, three scopes, spans of three traces in no order, unknown fields at each level."""
    service = Resource(attributes=[KeyValue(key="service.name", value=AnyValue(string_value="svc"))])
    return ExportTraceServiceRequest(resource_spans=[
        with_unknown(ResourceSpans(resource=service, schema_url="https://opentelemetry.io/schemas/1.21.0", scope_spans=[
            with_unknown(ScopeSpans(scope=InstrumentationScope(name="a", version="1"), spans=[
                span(TRACE_A, 1), with_unknown(span(TRACE_A, 2, struct.pack(">Q", 1))), span(TRACE_B, 3)])),
            ScopeSpans(scope=InstrumentationScope(name="b"), spans=[span(TRACE_C, 4)]),
        ])),
        ResourceSpans(scope_spans=[ScopeSpans(spans=[span(TRACE_B, 5, struct.pack(">Q", 3)), span(TRACE_A, 6)])]),
    ])


def small():
    return ExportTraceServiceRequest(resource_spans=[ResourceSpans(scope_spans=[ScopeSpans(spans=[
        span(TRACE_A, 1), span(TRACE_B, 2)])])])


def one_span(trace_id_fields):
    """A request of one span whose trace_id is given by the raw fields (and a span_id)."""
    span_bytes = trace_id_fields + field(2, 2, b"\7" * 8) + field(5, 2, b"raw")
    return field(1, 2, field(2, 2, field(2, 2, span_bytes)))


def otlp_json(request, snake_case=False, hex_ids=True, extra=None):
    """The request in OTLP JSON: as protobuf's JSON mapping, but ids in hex, as OTLP/JSON writes them."""
    data = MessageToDict(request, preserving_proto_field_name=snake_case)
    for resource_spans in data.get("resource_spans" if snake_case else "resourceSpans", []):
        for scope_spans in resource_spans.get("scope_spans" if snake_case else "scopeSpans", []):
            for s in scope_spans.get("spans", []):
                for key in ("trace_id", "span_id", "parent_span_id") if snake_case else ("traceId", "spanId", "parentSpanId"):
                    if key in s and hex_ids:
                        s[key] = base64.b64decode(s[key]).hex()
                if extra:
                    extra(s)
    return data


def dumps(data):
    return json.dumps(data, indent=1).encode()


def gzip_member(data, flags=0, header_extra=b""):
    """A gzip member with the given header flags (header_extra holds their fields)."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw = deflate.compress(data) + deflate.flush()
    return (b"\x1f\x8b\x08" + bytes([flags]) + b"\0\0\0\0\0\xff" + header_extra + raw
            + struct.pack("<II", zlib.crc32(data), len(data)))


def raw_deflate(data):
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return deflate.compress(data) + deflate.flush()


def cases():
    """(file, body, content type, content encoding, why the gateway refuses it although MLflow does not)."""
    pb = several().SerializeToString()
    sm = small().SerializeToString()
    js = dumps(otlp_json(several()))
    yield "several.pb", pb, PROTOBUF, None, None
    yield "several-charset.pb", pb, PROTOBUF + "; charset=binary", "", None
    yield "several.pb.gz", gzip.compress(pb, mtime=0), PROTOBUF, "gzip", None
    yield "several-upper.pb.gz", gzip.compress(pb, mtime=0), PROTOBUF, "GZip", None
    yield "several-members.pb.gz", gzip_member(pb[:100]) + b"\0\0" + gzip_member(pb[100:], 0x1E, (
        b"\4\0abcd" + b"name\0" + b"comment\0" + b"\0\0")) + b"\0", PROTOBUF, "gzip", None
    yield "several-header-crc.pb.gz", gzip_member(pb, 0x02, b"\0\0"), PROTOBUF, "gzip", None
    yield "several.pb.zlib", zlib.compress(pb), PROTOBUF, "deflate", None
    yield "several-trailing.pb.zlib", zlib.compress(pb) + b"trailing", PROTOBUF, "deflate", None
    yield "several.pb.deflate", raw_deflate(pb), PROTOBUF, "deflate", None
    yield "several-trailing.pb.deflate", raw_deflate(pb) + b"trailing", PROTOBUF, "deflate", None
    yield "several.json", js, JSON, None, None
    yield "several-charset.json", js, JSON + ";charset=utf-8", None, None
    yield "several.json.gz", gzip.compress(js, mtime=0), JSON, "gzip", None
    yield "small.pb", sm, PROTOBUF, None, None
    # Protobuf appends the repeated fields of concatenated messages.
    yield "concatenated.pb", sm + pb, PROTOBUF, None, None
    yield "last-trace-id-wins.pb", one_span(field(1, 2, TRACE_A) + field(1, 2, TRACE_B)), PROTOBUF, None, None
    yield "zero-trace-id.pb", one_span(field(1, 2, bytes(16))), PROTOBUF, None, None
    yield "no-spans.pb", ExportTraceServiceRequest(resource_spans=[ResourceSpans(
        scope_spans=[ScopeSpans()])]).SerializeToString(), PROTOBUF, None, None
    yield "no-spans.json", b'{"resourceSpans": [{"scopeSpans": [{"spans": []}]}, {}]}', JSON, None, None
    yield "snake-case-base64.json", dumps(otlp_json(several(), snake_case=True, hex_ids=False)), JSON, None, None
    # MLflow turns hex into base64 only under resourceSpans.scopeSpans.spans.traceId: other spellings are base64.
    yield "mixed-case-base64.json", dumps({"resourceSpans": [{"scope_spans": [{"spans": [
        {"traceId": base64.b64encode(TRACE_A).decode(), "spanId": "AQIDBAUGBwg="},
        {"trace_id": base64.urlsafe_b64encode(TRACE_B).decode().rstrip("="), "spanId": "AQIDBAUGBwg="}]}]}]}), JSON, None, None
    yield "camel-case-base64-spelled-snake.json", dumps({"resourceSpans": [{"scopeSpans": [{"spans": [
        {"trace_id": "AAECAwQFBgcICQoLDA0ODx", "spanId": "0102030405060708"}]}]}]}), JSON, None, None
    yield "uppercase-hex.json", dumps(otlp_json(small(), extra=lambda s: s.update(traceId=s["traceId"].upper()))), JSON, None, None
    yield "unknown-fields.json", dumps({"extra": [1, {"x": None}], **otlp_json(small(), extra=lambda s: s.update(
        unknownField={"nested": [1.5, "x"]}, TraceId="ignored"))}), JSON, None, None

    # What MLflow refuses.
    yield "empty.pb", b"", PROTOBUF, None, None
    yield "empty.json", b"", JSON, None, None
    yield "no-resource-spans.json", b'{"resourceSpans": []}', JSON, None, None
    yield "no-content-type.pb", pb, None, None, None
    yield "other-case-content-type.pb", pb, "Application/x-protobuf", None, None
    yield "other-content-type.pb", pb, "application/protobuf", None, None
    yield "identity-encoding.pb", pb, PROTOBUF, "identity", None
    yield "brotli-encoding.pb", pb, PROTOBUF, "br", None
    yield "several-garbage.pb.gz", gzip.compress(pb, mtime=0) + b"x", PROTOBUF, "gzip", None
    yield "several-bad-crc.pb.gz", gzip.compress(pb, mtime=0)[:-8] + b"\0\0\0\0" + gzip.compress(pb, mtime=0)[-4:], PROTOBUF, "gzip", None
    yield "several-truncated.pb.gz", gzip.compress(pb, mtime=0)[:-1], PROTOBUF, "gzip", None
    yield "several-truncated.pb.deflate", raw_deflate(pb)[:-3], PROTOBUF, "deflate", None
    yield "several-not-gzip.pb", pb, PROTOBUF, "gzip", None
    yield "truncated.pb", pb[:-1], PROTOBUF, None, None
    yield "no-trace-id.pb", one_span(b""), PROTOBUF, None, None
    yield "empty-trace-id.pb", one_span(field(1, 2, b"")), PROTOBUF, None, None
    yield "non-hex.json", dumps(otlp_json(small(), extra=lambda s: s.update(traceId="0g" + s["traceId"][2:]))), JSON, None, None
    yield "odd-hex.json", dumps(otlp_json(small(), extra=lambda s: s.update(traceId=s["traceId"][1:]))), JSON, None, None
    yield "number-trace-id.json", b'{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": 12, "spanId": "0102030405060708"}]}]}]}', JSON, None, None
    yield "not-an-object.json", b"[]", JSON, None, None
    yield "not-json.json", b"{", JSON, None, None
    yield "null-resource-spans.json", b'{"resourceSpans": null}', JSON, None, None

    # What MLflow reads, but the gateway refuses: there is more than one reading, or no OTLP client sends it.
    yield "short-trace-id.pb", one_span(field(1, 2, b"\1")), PROTOBUF, None, (
        "a trace_id of 1 byte names the trace of the 16 bytes 00..01")
    yield "long-trace-id.pb", one_span(field(1, 2, b"\1" * 17)), PROTOBUF, None, "a trace_id of 17 bytes"
    yield "snake-case-hex.json", dumps(otlp_json(several(), snake_case=True)), JSON, None, (
        "MLflow reads hex ids spelled in snake_case as base64: 24 bytes")
    yield "hex-with-spaces.json", dumps(otlp_json(small(), extra=lambda s: s.update(
        traceId=" ".join(s["traceId"][i:i + 2] for i in range(0, 32, 2))))), JSON, None, "hex with spaces"
    yield "base64-with-spaces.json", dumps({"resource_spans": [{"scope_spans": [{"spans": [
        {"trace_id": "AAEC AwQFBgcICQoLDA0ODw==", "span_id": "AQIDBAUGBwg="}]}]}]}), JSON, None, "base64 with spaces"
    yield "both-spellings.json", dumps({"resourceSpans": [{"scopeSpans": [{"spans": [
        {"traceId": TRACE_A.hex(), "trace_id": base64.b64encode(TRACE_B).decode(), "spanId": "0102030405060708"}]}]}]}), JSON, None, (
        "traceId and trace_id: protobuf keeps the last")
    yield "both-spellings-resource-spans.json", dumps({"resourceSpans": [], **otlp_json(small(), snake_case=True, hex_ids=False)}), JSON, None, (
        "resourceSpans and resource_spans")
    yield "duplicate-key.json", js[:-2] + b', "resourceSpans": []}', JSON, None, None
    yield "duplicate-key-last.json", b'{"resourceSpans": [], ' + js[1:], JSON, None, "a key given twice: Python keeps the last"
    yield "group.pb", one_span(field(1, 2, TRACE_A) + field(7, 3) + field(1, 0, 5) + field(7, 4)), PROTOBUF, None, (
        "a group, which protobuf skips")
    yield "trace-id-as-varint.pb", one_span(field(1, 2, TRACE_A) + field(1, 0, 5)), PROTOBUF, None, (
        "trace_id with another wire type, which protobuf skips as an unknown field")
    yield "scope-spans-as-varint.pb", sm + field(1, 2, field(2, 0, 1)), PROTOBUF, None, (
        "scope_spans with another wire type")


def mutate(rng, body):
    body = bytearray(body)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(body) + 1)
        op = rng.randrange(6)
        if op == 0 and i < len(body):
            body[i] = rng.randrange(256)
        elif op == 1 and i < len(body):
            body[i] ^= 1 << rng.randrange(8)
        elif op == 2:
            body[i:i] = bytes([rng.randrange(256)])
        elif op == 3:
            del body[i:i + rng.randint(1, 4)]
        elif op == 4:
            j = rng.randrange(len(body) + 1)
            body[i:i] = body[min(i, j):max(i, j)][:64]
        else:
            del body[i:]
    return bytes(body)


def mutations(count_per_body):
    """Mutated bodies that MLflow still accepts with spans: the gateway must read the same ids or refuse."""
    rng = random.Random(20260509)
    bases = [(small().SerializeToString(), PROTOBUF, None),
             (one_span(field(1, 2, TRACE_A) + field(1, 2, TRACE_B)), PROTOBUF, None),
             (json.dumps(otlp_json(small())).encode(), JSON, None),
             (json.dumps(otlp_json(small(), snake_case=True, hex_ids=False)).encode(), JSON, None),
             (zlib.compress(small().SerializeToString()), PROTOBUF, "deflate")]
    for body, content_type, content_encoding in bases:
        found = 0
        for _ in range(count_per_body * 100):
            mutated = mutate(rng, body)
            status, ids = mlflow_reads(mutated, content_type, content_encoding)
            if status == 200 and ids:
                yield {"body": base64.b64encode(mutated).decode(), "contentType": content_type,
                       "contentEncoding": content_encoding, "traceIds": ids}
                found += 1
                if found == count_per_body:
                    break


def main(directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if (directory / "cases.json").exists():  # the bodies of cases since left out go too
        for case in json.loads((directory / "cases.json").read_text()):
            (directory / case["file"]).unlink(missing_ok=True)
    manifest = []
    for name, body, content_type, content_encoding, refused in cases():
        (directory / name).write_bytes(body)
        status, ids = mlflow_reads(body, content_type, content_encoding)
        if refused and status != 200:
            raise SystemExit(f"{name}: MLflow answers {status}, not 200")
        manifest.append({"file": name, "contentType": content_type, "contentEncoding": content_encoding,
                         "mlflowStatus": status, "traceIds": ids, "refused": refused})
    (directory / "cases.json").write_text(json.dumps(manifest, indent=1) + "\n")
    (directory / "mutations.json").write_text(json.dumps(list(mutations(50)), indent=0) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
