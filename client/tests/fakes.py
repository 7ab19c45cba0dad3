"""Stand-ins for what the client talks to, on loopback ports of their own."""
import errno
import json
import os
import threading
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class FakeGateway:
    """An MLflow tracking server behind an mlflow-keycloak gateway, served under a static prefix:
    it advertises its Keycloak issuer, answers experiments/get, and records each request's path
    and Authorization header."""

    def __init__(self, issuer, prefix=""):
        self.issuer = issuer
        self.prefix = prefix
        self.received = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                gateway.received.append((self.path, self.headers.get("Authorization")))
                path = urlsplit(self.path).path
                if path == gateway.prefix + "/.well-known/mlflow-keycloak":
                    self._answer(200, {"issuer": gateway.issuer, "client_id": "mlflow-cli"})
                elif path == gateway.prefix + "/api/2.0/mlflow/experiments/get":
                    self._answer(200, {"experiment": {"experiment_id": "1", "name": "e", "lifecycle_stage": "active"}})
                else:
                    self._answer(404, {"error_code": "ENDPOINT_NOT_FOUND", "message": path})

            def _answer(self, status, body):
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}{prefix}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def authorizations(self):
        """The Authorization headers received, None for a request without one."""
        return [authorization for _, authorization in self.received]

    def close(self):
        self._server.shutdown()
        self._server.server_close()


class FakeMsvcrt(types.ModuleType):
    """Windows' msvcrt.locking as its C runtime documents it, on any system: bytes locked by one
    descriptor (handle) cannot be locked by another, even of the same process, until it unlocks
    them; LK_NBLCK fails at once with EACCES."""

    LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = range(5)

    def __init__(self):
        super().__init__("msvcrt")
        self.calls = []
        self.refused = 0
        self._holders = {}
        self._guard = threading.Lock()

    def locking(self, descriptor, mode, nbytes):
        status = os.fstat(descriptor)
        region = (status.st_dev, status.st_ino, os.lseek(descriptor, 0, os.SEEK_CUR), nbytes)
        with self._guard:
            self.calls.append((mode, region[2], nbytes))
            holder = self._holders.get(region)
            if mode == self.LK_NBLCK and holder is None:
                self._holders[region] = descriptor
            elif mode == self.LK_UNLCK and holder == descriptor:
                del self._holders[region]
            elif mode in (self.LK_NBLCK, self.LK_UNLCK):
                self.refused += 1
                raise PermissionError(errno.EACCES, "Permission denied")
            else:
                raise NotImplementedError(f"mode {mode}")

    def held(self):
        return list(self._holders)
