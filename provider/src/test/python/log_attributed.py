"""Logs what MLflow records an author of, with MLflow's own client, through the gateway, for
AttributionIT: the environment's credentials are one user's, while LOGNAME, USER and
MLFLOW_TRACKING_USERNAME name another (the client records mlflow.user from them). A run with a
parameter, a traced call with a human's feedback on it, a logged model, a registered model and
a version of it. Prints the ids as JSON on the last line.

usage: log_attributed.py EXPERIMENT_NAME MODEL_NAME"""
import json
import sys

import mlflow
from mlflow import MlflowClient
from mlflow.entities import AssessmentSource


@mlflow.trace
def answer(question):
    return question.upper()


def main():
    experiment_name, model_name = sys.argv[1], sys.argv[2]
    experiment = mlflow.set_experiment(experiment_name)
    with mlflow.start_run() as run:
        mlflow.log_param("alpha", 0.5)
        logged_model = mlflow.initialize_logged_model(name="model")
    answer("who logged this?")
    trace_id = mlflow.get_last_active_trace_id()
    mlflow.flush_trace_async_logging()
    mlflow.log_feedback(trace_id=trace_id, name="helpful", value=True,
                        source=AssessmentSource(source_type="HUMAN", source_id="alice"))
    client = MlflowClient()
    client.create_registered_model(model_name)
    version = client.create_model_version(model_name, source=f"models:/{logged_model.model_id}", run_id=run.info.run_id,
                                          model_id=logged_model.model_id)
    print(json.dumps({"experiment_id": experiment.experiment_id, "run_id": run.info.run_id, "trace_id": trace_id,
                      "model_id": logged_model.model_id, "model_name": model_name, "model_version": version.version}))


if __name__ == "__main__":
    main()
