"""Logs one run through the gateway, with whatever credentials the environment gives MLflow's
client, for the SDK tests: metrics from several threads for a while, so that tokens expire
meanwhile. Prints the run's id and the metrics logged as JSON on the last line.

usage: log_run.py EXPERIMENT_NAME SECONDS THREADS"""
import json
import sys
import threading
import time

import mlflow
from mlflow import MlflowClient


def main():
    experiment_name, seconds, threads = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    client = MlflowClient()
    experiment = client.get_experiment_by_name(experiment_name)
    experiment_id = experiment.experiment_id if experiment else client.create_experiment(experiment_name)
    run = client.create_run(experiment_id)
    run_id = run.info.run_id
    deadline = time.time() + seconds
    logged = [0] * threads
    failures = []

    def log(thread):
        step = 0
        try:
            while step == 0 or time.time() < deadline:
                client.log_metric(run_id, f"thread_{thread}", step, step=step)
                logged[thread] += 1
                step += 1
                time.sleep(0.2)
        except Exception as error:  # reported, and the run fails
            failures.append(f"thread {thread}: {type(error).__name__}: {error}")

    workers = [threading.Thread(target=log, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        print("\n".join(failures), file=sys.stderr)
        client.set_terminated(run_id, "FAILED")
        sys.exit(1)
    client.set_terminated(run_id)
    print(json.dumps({"run_id": run_id, "experiment_id": experiment_id, "logged": sum(logged)}))


if __name__ == "__main__":
    main()
