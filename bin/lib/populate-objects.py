"""populate-objects DB_URI KEYCLOAK_URL SECRET ALICE_ID BOB_ID OUT_DIR: for bin/bench objects,
10,000 experiments with 10 runs each in the stack's MLflow store, one in ten owned by alice and the
rest by bob (recorded in Keycloak through object-events, as the gateway reports a create), and the
run ids of each owner in OUT_DIR/alice-runs.txt and OUT_DIR/bob-runs.txt. Runs are written to the
store in bulk: through MLflow's API, 100,000 runs would take longer than the benchmark itself."""
import concurrent.futures
import json
import os
import sqlite3
import sys
import time
import uuid

import requests
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

EXPERIMENTS = int(os.environ.get("BENCH_EXPERIMENTS", "10000"))
RUNS_PER_EXPERIMENT = int(os.environ.get("BENCH_RUNS_PER_EXPERIMENT", "10"))


def main(db_uri, keycloak, secret, alice, bob, out):
    store = SqlAlchemyStore(db_uri, os.path.join(out, "artifacts"))
    prefix = f"bench-{int(time.time())}"
    experiments = [store.create_experiment(f"{prefix}-{i:05d}") for i in range(EXPERIMENTS)]
    owners = {experiment: (alice if i % 10 == 0 else bob) for i, experiment in enumerate(experiments)}

    runs = {alice: [], bob: []}
    rows = []
    now = int(time.time() * 1000)
    for experiment in experiments:
        for _ in range(RUNS_PER_EXPERIMENT):
            run = uuid.uuid4().hex
            runs[owners[experiment]].append(run)
            rows.append((run, "bench", "UNKNOWN", "", "", "bench", "FINISHED", now, now, "", "active",
                         f"mlflow-artifacts:/{experiment}/{run}/artifacts", int(experiment), None))
    with sqlite3.connect(db_uri[len("sqlite:///"):]) as db:
        db.executemany("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    session = requests.Session()

    def record(experiment):
        report = {"request": json.dumps({"name": f"{prefix}-{experiment}"}),
                  "response": json.dumps({"experiment_id": experiment})}
        answer = session.post(f"{keycloak}/realms/mlflow/mlflow/object-events", json=report, headers={
            "X-MLflow-Gateway-Secret": secret, "X-Original-Method": "POST",
            "X-Original-URI": "/api/2.0/mlflow/experiments/create", "X-MLflow-User-Id": owners[experiment]})
        answer.raise_for_status()

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(record, experiments))
    for name, owner in (("alice", alice), ("bob", bob)):
        with open(os.path.join(out, f"{name}-runs.txt"), "w") as f:
            f.write("\n".join(runs[owner]) + "\n")
    print(f"{len(experiments)} experiments, {len(rows)} runs")


if __name__ == "__main__":
    main(*sys.argv[1:])
