"""What bin/bench reads from a wrk report (wrk --latency): requests per second, p50 and p99 in ms."""
import re

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def read(path):
    with open(path, encoding="utf-8") as report:
        text = report.read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50, p99 = (float(v) * UNITS[u] for v, u in
                (re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups() for p in (50, 99)))
    return rps, p50, p99
