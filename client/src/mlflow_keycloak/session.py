"""Tokens for one tracking server: found on disk, refreshed, or obtained by device login.

One login is shared by every thread (a lock) and every process (a file lock) of the user; the
token file is only ever replaced whole, so no reader sees half of it."""
import base64
import hashlib
import json
import os
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from mlflow_keycloak.locking import locked

WELL_KNOWN = "/.well-known/mlflow-keycloak"
TIMEOUT = 30

_sessions = {}
_sessions_lock = threading.Lock()


class LoginError(RuntimeError):
    """Signing in to MLflow failed; the message says what to do."""


def config_dir():
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(Path.home(), ".config")
    return Path(base) / "mlflow-keycloak"


def server_url(tracking_uri):
    """A tracking server's URL as sessions are kept: scheme and host in lower case, no trailing slash."""
    parts = urlsplit(tracking_uri)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), "", ""))


def session_for_tracking_uri(tracking_uri):
    """The session of the tracking server's Keycloak, created once per process and server."""
    server = server_url(tracking_uri)
    with _sessions_lock:
        session = _sessions.get(server)
        if session is None:
            issuer, client_id = discover(server)
            session = Session(server, issuer, client_id)
            _sessions[server] = session
        return session


def discover(server):
    """Where Keycloak is and which client to sign in with, as the server's gateway advertises it."""
    issuer = os.environ.get("MLFLOW_KEYCLOAK_ISSUER")
    client_id = os.environ.get("MLFLOW_KEYCLOAK_CLIENT_ID")
    if issuer and client_id:
        return issuer.rstrip("/"), client_id
    url = server + WELL_KNOWN
    try:
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        advertised = response.json()
    except (requests.RequestException, ValueError) as error:
        raise LoginError(
            f"Could not learn from {url} where to sign in ({error}). Is {server} the "
            "mlflow-keycloak gateway? Otherwise set MLFLOW_KEYCLOAK_ISSUER and MLFLOW_KEYCLOAK_CLIENT_ID."
        ) from error
    return (issuer or advertised["issuer"]).rstrip("/"), client_id or advertised["client_id"]


class Session:
    """The tokens of one tracking server, from its Keycloak realm and client, kept in the user's
    token file."""

    def __init__(self, server, issuer, client_id, directory=None):
        self.server = server
        self.issuer = issuer
        self.client_id = client_id
        # Tokens are kept per server too: another server that advertises the same Keycloak (an
        # artifact location on another host, say) gets a login of its own, never these tokens.
        self.key = f"{server} {issuer} {client_id}"
        self.directory = Path(directory) if directory else config_dir()
        self.path = self.directory / "tokens.json"
        self._lock = threading.Lock()
        self._tokens = None

    def access_token(self):
        """A token valid for a while yet: the one held, a refreshed one, or a new login's."""
        with self._lock:
            if _fresh(self._tokens):
                return self._tokens["access_token"]
            with self._file_lock():
                tokens = self._read().get(self.key)
                if not _fresh(tokens):
                    tokens = self._refresh(tokens) if _refreshable(tokens) else None
                    if tokens is None:
                        tokens = self._device_login()
                    self._write(tokens)
                self._tokens = tokens
                return tokens["access_token"]

    def login(self):
        with self._lock, self._file_lock():
            self._tokens = self._device_login()
            self._write(self._tokens)

    def logout(self):
        with self._lock, self._file_lock():
            tokens = self._read().get(self.key)
            if tokens and tokens.get("refresh_token"):
                requests.post(self._endpoint("logout"), data={
                    "client_id": self.client_id, "refresh_token": tokens["refresh_token"]}, timeout=TIMEOUT)
            self._tokens = None
            self._write(None)

    def _endpoint(self, name):
        return f"{self.issuer}/protocol/openid-connect/{name}"

    def _refresh(self, tokens):
        response = requests.post(self._endpoint("token"), data={
            "grant_type": "refresh_token", "client_id": self.client_id,
            "refresh_token": tokens["refresh_token"]}, timeout=TIMEOUT)
        if response.status_code == 200:
            return _received(response.json())
        if response.status_code in (400, 401):
            print("mlflow-keycloak: your MLflow sign-in has expired or was ended "
                  f"({_error(response)}); signing in again.", file=sys.stderr)
            return None
        raise LoginError(f"Keycloak refused to refresh the MLflow sign-in: {response.status_code} {_error(response)}")

    def _device_login(self):
        # PKCE binds the polling to this process: a leaked device code alone cannot be redeemed.
        verifier = secrets.token_urlsafe(64)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")
        # Tokens live as long as the Keycloak session (10 h at most in the shipped realm);
        # MLFLOW_KEYCLOAK_OFFLINE=true asks for offline tokens instead, for longer runs.
        scope = "openid offline_access" if os.environ.get("MLFLOW_KEYCLOAK_OFFLINE", "").lower() == "true" else "openid"
        response = requests.post(self._endpoint("auth/device"), data={
            "client_id": self.client_id, "scope": scope,
            "code_challenge": challenge, "code_challenge_method": "S256"}, timeout=TIMEOUT)
        if response.status_code != 200:
            raise LoginError(f"Keycloak refused the device login for client {self.client_id}: {_error(response)}")
        device = response.json()
        print(f"To sign in to MLflow at {self.server}, open {device.get('verification_uri_complete') or device['verification_uri']}\n"
              f"  (or open {device['verification_uri']} and enter the code {device['user_code']})",
              file=sys.stderr, flush=True)
        interval = device.get("interval", 5)
        deadline = time.time() + device.get("expires_in", 600)
        while time.time() < deadline:
            time.sleep(interval)
            response = requests.post(self._endpoint("token"), data={
                "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                "client_id": self.client_id, "device_code": device["device_code"],
                "code_verifier": verifier}, timeout=TIMEOUT)
            if response.status_code == 200:
                print("mlflow-keycloak: signed in.", file=sys.stderr, flush=True)
                return _received(response.json())
            code = _error_code(response)
            if code == "slow_down":
                interval += 5
            elif code != "authorization_pending":
                raise LoginError(f"The MLflow sign-in did not complete: {_error(response)}")
        raise LoginError("The MLflow sign-in was not completed in time; run again to get a new code.")

    def _file_lock(self):
        """Taken by every process of the user before it reads or replaces the token file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        return locked(self.directory / "tokens.lock")

    def _read(self):
        try:
            with open(self.path, encoding="utf-8") as file:
                return json.load(file)
        except FileNotFoundError:
            return {}
        except ValueError:
            print(f"mlflow-keycloak: {self.path} is unreadable; starting afresh.", file=sys.stderr)
            return {}

    def _write(self, tokens):
        """Replaces the token file whole, readable by the user alone."""
        everything = self._read()
        if tokens is None:
            everything.pop(self.key, None)
        else:
            everything[self.key] = tokens
        # mkstemp makes the file 0600 (os.fchmod is missing on Windows before Python 3.13).
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tokens-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(everything, file)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            os.unlink(temporary)
            raise


def _received(body):
    now = time.time()
    return {
        "access_token": body["access_token"],
        "refresh_token": body.get("refresh_token"),
        "expires_at": now + body.get("expires_in", 60),
        "lifetime": body.get("expires_in", 60),
        "refresh_expires_at": now + body["refresh_expires_in"] if body.get("refresh_expires_in") else None,
    }


def _fresh(tokens):
    """Valid for a while yet: refreshed ahead of expiry (30 s, or a third of a short lifetime)."""
    if not tokens:
        return False
    margin = min(30.0, tokens.get("lifetime", 60) / 3)
    return tokens["expires_at"] - margin > time.time()


def _refreshable(tokens):
    if not tokens or not tokens.get("refresh_token"):
        return False
    expires = tokens.get("refresh_expires_at")
    return expires is None or expires > time.time() + 5


def _error_code(response):
    try:
        return response.json().get("error")
    except ValueError:
        return None


def _error(response):
    try:
        body = response.json()
        return body.get("error_description") or body.get("error") or response.text
    except ValueError:
        return response.text[:200]
