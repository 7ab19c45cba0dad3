"""The MLflow request auth provider: MLFLOW_TRACKING_AUTH=keycloak."""
from urllib.parse import urlsplit, urlunsplit

import requests.auth

from mlflow_keycloak.session import server_url, session_for_tracking_uri

# MLflow's client sends each request to <tracking URI> + an endpoint: one under these prefixes,
_API_PREFIXES = ("/api/2.0/", "/api/3.0/", "/ajax-api/")
# or one of these whole paths (longest first: /model-versions/get-artifact ends with /get-artifact).
_ENDPOINTS = ("/model-versions/get-artifact", "/get-artifact", "/graphql", "/v1/traces")
_ARTIFACTS = "/mlflow-artifacts/"


def tracking_server(url):
    """The tracking server (its base URL) a request of MLflow's client is for, or None when the
    URL names no MLflow endpoint."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    path = parts.path
    # What follows mlflow-artifacts/ is an artifact's path, named by users: it must not move the cut.
    artifacts = path.find(_ARTIFACTS)
    if artifacts >= 0:
        path = path[:artifacts + 1]
    for endpoint in _ENDPOINTS:
        if path.endswith(endpoint):
            return _base(parts, path[:-len(endpoint)])
    # The last marker, as a gateway's static prefix may hold one too (https://host/api/2.0/mlflow).
    cut = max(path.rfind(prefix) for prefix in _API_PREFIXES)
    return _base(parts, path[:cut]) if cut >= 0 else None


def _base(parts, path):
    return server_url(urlunsplit((parts.scheme, parts.netloc, path, "", "")))


class KeycloakAuth(requests.auth.AuthBase):
    """Adds to each request MLflow's client sends the access token of the server it goes to."""

    def __call__(self, request):
        # The server is read from the request, not from mlflow.get_tracking_uri(): an
        # MlflowClient(tracking_uri=...) or an artifact repository may send it elsewhere.
        server = tracking_server(request.url)
        if server is None:
            # Not for a tracking server (an HTTP artifact store, say): it goes without a token.
            return request
        token = session_for_tracking_uri(server).access_token()
        request.headers["Authorization"] = f"Bearer {token}"
        return request


class KeycloakRequestAuthProvider:
    """Registered through the entry point group mlflow.request_auth_provider."""

    def get_name(self):
        return "keycloak"

    def get_auth(self):
        return KeycloakAuth()
