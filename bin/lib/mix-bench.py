"""bin/bench mix: the real mlflow client, one loop = create a run, log_batch of 20 metrics, get_run,
search_runs, set_terminated, on each way to MLflow in turn (interleaved, several rounds, so that
the machine's other load falls on every way alike); then several clients logging at once.

    mix-bench.py OUT KEYCLOAK_URL REALM LOOPS ROUNDS THREADS SECONDS NAME=URL[@USER]...

A way with @USER goes through the gateway with USER's access token (password grant of the
stack's stack-token client, fetched afresh each round: tokens live 5 minutes). Writes
OUT/mix.json and prints the report: medians, and every figure as a ratio to the first way.
"""
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request

# MLflow's telemetry thread sets and unsets an environment variable the requests read: a race
# under several client threads, and none of the bench's business.
os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"

from mlflow.entities import Metric
from mlflow.tracking import MlflowClient

OPERATIONS = ("create_run", "log_batch", "get_run", "search_runs", "set_terminated")


def token(keycloak, realm, user):
    form = urllib.parse.urlencode({"grant_type": "password", "client_id": "stack-token", "username": user,
                                   "password": user, "scope": "openid"}).encode()
    with urllib.request.urlopen(f"{keycloak}/realms/{realm}/protocol/openid-connect/token", form) as answer:
        return json.load(answer)["access_token"]


class Way:
    def __init__(self, spec, keycloak, realm):
        self.name, target = spec.split("=", 1)
        self.url, _, self.user = target.partition("@")
        self.keycloak, self.realm = keycloak, realm
        self.experiment = None

    def use(self):
        """Points the mlflow client at this way: it reads MLFLOW_TRACKING_TOKEN at every request."""
        if self.user:
            os.environ["MLFLOW_TRACKING_TOKEN"] = token(self.keycloak, self.realm, self.user)
        else:
            os.environ.pop("MLFLOW_TRACKING_TOKEN", None)
        client = MlflowClient(tracking_uri=self.url)
        if self.experiment is None:
            self.experiment = client.create_experiment(f"bench-mix-{self.name}-{time.time_ns()}")
        return client


def one_loop(client, experiment, timings=None):
    def timed(name, call):
        started = time.perf_counter()
        result = call()
        if timings is not None:
            timings[name].append((time.perf_counter() - started) * 1000)
        return result

    run = timed("create_run", lambda: client.create_run(experiment)).info.run_id
    now = int(time.time() * 1000)
    metrics = [Metric(f"m{i}", float(i), now, 0) for i in range(20)]
    timed("log_batch", lambda: client.log_batch(run, metrics=metrics))
    timed("get_run", lambda: client.get_run(run))
    timed("search_runs", lambda: client.search_runs([experiment], max_results=10))
    timed("set_terminated", lambda: client.set_terminated(run))


def latency(ways, loops, rounds):
    timings = {way.name: {op: [] for op in OPERATIONS + ("loop",)} for way in ways}
    for _ in range(rounds):
        for way in ways:
            client = way.use()
            one_loop(client, way.experiment)  # the connection is kept alive from here on, as the client does
            for _ in range(loops):
                started = time.perf_counter()
                one_loop(client, way.experiment, timings[way.name])
                timings[way.name]["loop"].append((time.perf_counter() - started) * 1000)
    return {name: {op: statistics.median(values) for op, values in ops.items()} for name, ops in timings.items()}


def throughput(ways, threads, seconds, rounds):
    """Loops per second of THREADS clients at once, each with its own connection, per way and round."""
    rates = {way.name: [] for way in ways}
    for _ in range(rounds):
        for way in ways:
            way.use()
            done, errors = [0] * threads, []
            deadline = time.monotonic() + seconds

            def client_thread(index):
                client = MlflowClient(tracking_uri=way.url)
                try:
                    while time.monotonic() < deadline:
                        one_loop(client, way.experiment)
                        done[index] += 1
                except Exception as e:  # noqa: BLE001 - reported, then the bench fails
                    errors.append(e)

            workers = [threading.Thread(target=client_thread, args=(i,)) for i in range(threads)]
            started = time.monotonic()
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            if errors:
                sys.exit(f"{way.name}: {errors[0]!r}")
            rates[way.name].append(sum(done) / (time.monotonic() - started))
    return {name: statistics.median(values) for name, values in rates.items()}


def main():
    out, keycloak, realm, loops, rounds, threads, seconds, *specs = sys.argv[1:]
    loops, rounds, threads, seconds = int(loops), int(rounds), int(threads), float(seconds)
    ways = [Way(spec, keycloak, realm) for spec in specs]
    per_operation = latency(ways, loops, rounds)
    loops_per_second = throughput(ways, threads, seconds, rounds)
    with open(f"{out}/mix.json", "w") as f:
        json.dump({"latency_ms": per_operation, "loops_per_second": loops_per_second}, f, indent=2)
    base = ways[0].name
    print(f"the mlflow client, {rounds} rounds of {loops} loops a way, interleaved; medians in ms,"
          f" (ratio to {base})")
    print(f"  {'way':<14}" + "".join(f" {op:>20}" for op in OPERATIONS + ("loop",)))
    for way in ways:
        row = per_operation[way.name]
        print(f"  {way.name:<14}" + "".join(
            f" {row[op]:>9.1f} ({row[op] / per_operation[base][op]:>5.2f}x)".rjust(21) for op in OPERATIONS + ("loop",)))
    print(f"{threads} clients at once, {seconds:.0f} s a way and round, median of {rounds} rounds: loops/s (ratio to {base})")
    for way in ways:
        rate = loops_per_second[way.name]
        print(f"  {way.name:<14} {rate:>8.1f} ({rate / loops_per_second[base]:.2f}x)")


if __name__ == "__main__":
    main()
