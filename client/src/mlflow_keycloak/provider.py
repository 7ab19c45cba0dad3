"""The MLflow request auth provider: MLFLOW_TRACKING_AUTH=keycloak."""
import requests.auth

from mlflow_keycloak.session import session_for_tracking_uri


class KeycloakAuth(requests.auth.AuthBase):
    """Adds a current access token to each request MLflow's client sends."""

    def __call__(self, request):
        import mlflow

        token = session_for_tracking_uri(mlflow.get_tracking_uri()).access_token()
        request.headers["Authorization"] = f"Bearer {token}"
        return request


class KeycloakRequestAuthProvider:
    """Registered through the entry point group mlflow.request_auth_provider."""

    def get_name(self):
        return "keycloak"

    def get_auth(self):
        return KeycloakAuth()
