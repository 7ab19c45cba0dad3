"""Logs an experiment, a run, params, metrics and an artifact through the gateway with the real
MLflow client, reads them all back, and prints what it created as JSON on the last line.

Run by MlflowClientIT with MLFLOW_TRACKING_URI (the gateway) and MLFLOW_TRACKING_TOKEN set."""
import json
import os
import sys
import tempfile
import uuid

import mlflow
from mlflow import MlflowClient


def main():
    name = f"client-roundtrip-{uuid.uuid4().hex[:12]}"
    client = MlflowClient()
    experiment_id = mlflow.create_experiment(name)
    mlflow.set_experiment(experiment_id=experiment_id)
    content = f"artifact written through the gateway {uuid.uuid4()}\n"
    with tempfile.TemporaryDirectory() as scratch:
        artifact = os.path.join(scratch, "notes.txt")
        with open(artifact, "w", encoding="utf-8") as out:
            out.write(content)
        with mlflow.start_run() as run:
            mlflow.log_param("learning_rate", "0.01")
            mlflow.log_params({"epochs": "3", "optimizer": "adam"})
            for step, loss in enumerate([0.9, 0.5, 0.2]):
                mlflow.log_metric("loss", loss, step=step)
            mlflow.log_artifact(artifact, artifact_path="docs")
        run_id = run.info.run_id

        fetched = client.get_run(run_id)
        assert fetched.info.experiment_id == experiment_id, fetched.info
        assert fetched.data.params == {"learning_rate": "0.01", "epochs": "3", "optimizer": "adam"}, fetched.data.params
        assert fetched.data.metrics == {"loss": 0.2}, fetched.data.metrics
        history = [(m.step, m.value) for m in client.get_metric_history(run_id, "loss")]
        assert sorted(history) == [(0, 0.9), (1, 0.5), (2, 0.2)], history
        listed = [f.path for f in client.list_artifacts(run_id, "docs")]
        assert listed == ["docs/notes.txt"], listed
        downloaded = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="docs/notes.txt", dst_path=scratch + "/dl")
        with open(downloaded, encoding="utf-8") as back:
            assert back.read() == content
        assert client.get_experiment(experiment_id).name == name

    print(json.dumps({"experiment_id": experiment_id, "experiment_name": name, "run_id": run_id}))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # the IT shows this text when the round trip fails
        print(f"round trip failed: {type(error).__name__}: {error}", file=sys.stderr)
        raise
