"""bin/bench check: the top of a JFR CPU profile (`jfr print --events jdk.ExecutionSample` on stdin):
the methods most samples were in (self), and the methods most samples passed through (total),
those of Keycloak and of this extension only, since the rest (Vert.x, the JDK) is below them."""
import collections
import re
import sys

FRAME = re.compile(r"^\s+([\w$.<>]+)\(")
OURS = ("org.keycloak.", "io.github.mlflowkeycloak.")

samples, own, total, stack = 0, collections.Counter(), collections.Counter(), []


def flush():
    global samples
    if stack:
        samples += 1
        own[stack[0]] += 1
        for method in set(stack):
            if method.startswith(OURS):
                total[method] += 1
    stack.clear()


for line in sys.stdin:
    if line.startswith("jdk.ExecutionSample"):
        flush()
    match = FRAME.match(line)
    if match and "line:" in line:
        stack.append(match.group(1))
flush()
print(f"JFR execution samples: {samples}")
print("top 15 by self samples:")
for method, count in own.most_common(15):
    print(f"  {100 * count / samples:5.1f}%  {method}")
print("top 25 of Keycloak's and the extension's methods by total samples:")
for method, count in total.most_common(25):
    print(f"  {100 * count / samples:5.1f}%  {method}")
