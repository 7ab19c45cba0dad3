"""worst-case-bodies MLFLOW_URL KEYCLOAK_URL SECRET ALICE_ID OUT_DIR: for bin/bench worst-case, the
bodies of runs/search requests that alice may make: one experiment of hers (the normal request),
the same id 500,000 times (3.5 MB), and 1,000 distinct experiments of hers (the most objects one
request may name). Her experiments are made in MLflow directly and recorded in Keycloak as the
gateway records a create (object-events)."""
import json
import os
import sys
import time

import requests

DISTINCT = 1000


def main(mlflow, keycloak, secret, alice, out):
    session = requests.Session()
    prefix = f"worst-case-{int(time.time())}"
    experiments = []
    for i in range(DISTINCT):
        name = f"{prefix}-{i:04d}"
        answer = session.post(f"{mlflow}/api/2.0/mlflow/experiments/create", json={"name": name})
        answer.raise_for_status()
        experiment = answer.json()["experiment_id"]
        report = {"request": json.dumps({"name": name}), "response": json.dumps({"experiment_id": experiment})}
        session.post(f"{keycloak}/realms/mlflow/mlflow/object-events", json=report, headers={
            "X-MLflow-Gateway-Secret": secret, "X-Original-Method": "POST",
            "X-Original-URI": "/api/2.0/mlflow/experiments/create", "X-MLflow-User-Id": alice}).raise_for_status()
        experiments.append(experiment)
    bodies = {
        "normal": [experiments[0]],
        "copies": [experiments[0]] * 500_000,
        "distinct": experiments,
    }
    for name, ids in bodies.items():
        with open(os.path.join(out, f"{name}.json"), "w") as f:
            json.dump({"experiment_ids": ids, "max_results": 1}, f)


if __name__ == "__main__":
    main(*sys.argv[1:])
