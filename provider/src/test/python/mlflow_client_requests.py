"""The requests the mlflow client puts on the wire, for ClientRequestsIT: a range of MlflowClient
calls against a fake tracking server, recorded where requests sends them (method, target, body)
and answered with an empty 200. A call that fails on that answer has made its request already; the
failure is ignored. Prints one JSON line per request: {"method": M, "target": T, "body": BASE64 or null}."""
import base64
import contextlib
import json
import logging
import math
import sys
import warnings

warnings.simplefilter("ignore")

import requests  # noqa: E402
from requests.adapters import HTTPAdapter  # noqa: E402

TRACKING_URI = "http://mlflow.invalid"
sent = []


def fake_send(self, request, **kwargs):
    body = request.body.encode() if isinstance(request.body, str) else request.body
    if request.url.startswith(TRACKING_URI + "/"):
        sent.append({"method": request.method, "target": request.path_url,
                     "body": base64.b64encode(body).decode() if body else None})
    response = requests.Response()
    response.status_code = 200
    response._content = b"{}"
    response.headers["Content-Type"] = "application/json"
    response.url = request.url
    response.request = request
    return response


HTTPAdapter.send = fake_send

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.entities import Metric, Param, RunTag, ViewType  # noqa: E402
from mlflow.entities.assessment import AssessmentSource, Feedback  # noqa: E402

logging.getLogger("mlflow").setLevel(logging.CRITICAL)  # its log goes to stdout
mlflow.set_tracking_uri(TRACKING_URI)
client = MlflowClient()

CALLS = [
    lambda: client.create_experiment("e", artifact_location="s3://b/p", tags={"t": "v"}),
    lambda: client.get_experiment("1"),
    lambda: client.get_experiment_by_name("e"),
    lambda: client.search_experiments(view_type=ViewType.ALL, max_results=10, filter_string="name = 'e'",
                                      order_by=["name"]),
    lambda: client.rename_experiment("1", "f"),
    lambda: client.set_experiment_tag("1", "t", "v"),
    lambda: client.delete_experiment_tag("1", "t"),
    lambda: client.delete_experiment("1"),
    lambda: client.restore_experiment("1"),
    lambda: client.create_run("1", start_time=1700000000000, tags={"t": "v"}, run_name="r"),
    lambda: client.get_run("r1"),
    lambda: client.update_run("r1", status="FINISHED", name="n"),
    lambda: client.set_terminated("r1", end_time=1700000000001),
    lambda: client.log_metric("r1", "m", 1.5, timestamp=1700000000000, step=3),
    lambda: client.log_metric("r1", "m", math.nan, step=-1),
    lambda: client.log_metric("r1", "m", math.inf),
    lambda: client.log_metric("r1", "m", -math.inf),
    lambda: client.log_metric("r1", "m", 1e300),
    lambda: client.log_param("r1", "p", "v"),
    lambda: client.set_tag("r1", "t", "é"),
    lambda: client.delete_tag("r1", "t"),
    lambda: client.log_batch("r1", metrics=[Metric("m", math.nan, 1, 0), Metric("n", 2.0, 2**62, 5)],
                             params=[Param("p", "v")], tags=[RunTag("t", "v")]),
    lambda: client.search_runs(["1", "2"], filter_string="metrics.m > 1", run_view_type=ViewType.ACTIVE_ONLY,
                               max_results=100, order_by=["metrics.m DESC"]),
    lambda: client.get_metric_history("r1", "m"),
    lambda: client.list_artifacts("r1", "dir"),
    lambda: client.delete_run("r1"),
    lambda: client.restore_run("r1"),
    lambda: client.create_registered_model("m", tags={"t": "v"}, description="d"),
    lambda: client.get_registered_model("m"),
    lambda: client.search_registered_models(filter_string="name = 'm'", max_results=10, order_by=["name"]),
    lambda: client.update_registered_model("m", description="e"),
    lambda: client.rename_registered_model("m", "n"),
    lambda: client.set_registered_model_tag("m", "t", "v"),
    lambda: client.delete_registered_model_tag("m", "t"),
    lambda: client.set_registered_model_alias("m", "champion", "1"),
    lambda: client.get_model_version_by_alias("m", "champion"),
    lambda: client.delete_registered_model_alias("m", "champion"),
    lambda: client.create_model_version("m", "runs:/r1/model", run_id="r1", tags={"t": "v"},
                                        await_creation_for=0),
    lambda: client.get_model_version("m", "1"),
    lambda: client.update_model_version("m", "1", description="d"),
    lambda: client.search_model_versions("name = 'm'", max_results=10),
    lambda: client.get_model_version_download_uri("m", "1"),
    lambda: client.set_model_version_tag("m", "1", "t", "v"),
    lambda: client.delete_model_version_tag("m", "1", "t"),
    lambda: client.delete_model_version("m", "1"),
    lambda: client.delete_registered_model("m"),
    lambda: client.create_logged_model("1", name="lm", params={"p": "v"}, tags={"t": "v"}),
    lambda: client.get_logged_model("m-1"),
    lambda: client.finalize_logged_model("m-1", "READY"),
    lambda: client.set_logged_model_tags("m-1", {"t": "v"}),
    lambda: client.search_logged_models(["1"], filter_string="name = 'lm'", max_results=10),
    lambda: client.search_traces(["1"], filter_string="tags.t = 'v'", max_results=10),
    lambda: client.get_trace("tr-1"),
    lambda: client.set_trace_tag("tr-1", "t", "v"),
    lambda: client.delete_trace_tag("tr-1", "t"),
    lambda: client.delete_traces("1", max_timestamp_millis=1700000000000, max_traces=10),
    lambda: client.delete_traces("1", trace_ids=["tr-1", "tr-2"]),
    lambda: mlflow.log_feedback(trace_id="tr-1", name="quality", value={"a": [1, None, {"b": "c"}], "n": 1.5},
                                source=AssessmentSource(source_type="HUMAN", source_id="bob"), rationale="r"),
    lambda: mlflow.log_expectation(trace_id="tr-1", name="expected", value=["a", "b"]),
    lambda: mlflow.update_assessment(trace_id="tr-1", assessment_id="a-1",
                                     assessment=Feedback(name="quality", value=True)),
    lambda: mlflow.get_assessment(trace_id="tr-1", assessment_id="a-1"),
]


def start_trace_v3():
    """A trace as the client exports it to the tracking server: StartTraceV3."""
    from mlflow.entities import TraceInfo, TraceLocation, TraceState
    from mlflow.tracing.client import TracingClient

    info = TraceInfo(trace_id="tr-1", trace_location=TraceLocation.from_experiment_id("1"),
                     request_time=1700000000123, execution_duration=1500, state=TraceState.OK,
                     request_preview="q", response_preview="r", client_request_id="c",
                     trace_metadata={"mlflow.user": "bob"}, tags={"t": "v"})
    TracingClient().start_trace(info)


CALLS.append(start_trace_v3)


def main():
    with contextlib.redirect_stdout(sys.stderr):  # the client prints links to runs
        for call in CALLS:
            try:
                call()
            except Exception:  # noqa: BLE001 - the request was recorded; the fake answer may not suit the call
                pass
    for request in sent:
        print(json.dumps(request))


if __name__ == "__main__":
    sys.exit(main())
