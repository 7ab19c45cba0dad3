"""KeycloakAuth: each request carries the token of the tracking server it goes to, and no other."""
import os
import tempfile
import unittest
from unittest import mock

import requests

from mlflow_keycloak import session as sessions
from mlflow_keycloak.provider import KeycloakAuth, tracking_server
from tests.fakes import FakeGateway


class TrackingServerTest(unittest.TestCase):

    def test_the_base_url_is_the_request_url_cut_before_mlflows_endpoint(self):
        for url, server in {
            "http://127.0.0.1:5000/api/2.0/mlflow/runs/get?run_id=1": "http://127.0.0.1:5000",
            "HTTPS://MLflow.Example.com/api/3.0/mlflow/traces/tr-1": "https://mlflow.example.com",
            "https://host/mlflow/api/2.0/mlflow/experiments/get": "https://host/mlflow",
            "https://host/mlflow//ajax-api/2.0/mlflow/runs/search": "https://host/mlflow",
            "https://host/mlflow/get-artifact?path=api/2.0/a&run_uuid=1": "https://host/mlflow",
            "https://host/mlflow/model-versions/get-artifact?path=a": "https://host/mlflow",
            "https://host/mlflow/graphql": "https://host/mlflow",
            "https://host/mlflow/v1/traces": "https://host/mlflow",
        }.items():
            with self.subTest(url):
                self.assertEqual(tracking_server(url), server)

    def test_a_prefix_holding_a_marker_stays_in_the_base_url(self):
        self.assertEqual(tracking_server("https://host/api/2.0/graphql/api/2.0/mlflow/runs/get"),
                         "https://host/api/2.0/graphql")
        self.assertEqual(tracking_server("https://host/ajax-api/v1/traces/graphql"), "https://host/ajax-api/v1/traces")

    def test_an_artifact_path_holding_a_marker_does_not_move_the_cut(self):
        for path in ("api/2.0/a.txt", "v1/traces", "graphql", "model-versions/get-artifact"):
            with self.subTest(path):
                self.assertEqual(
                    tracking_server(f"https://host/mlflow/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/{path}"),
                    "https://host/mlflow")

    def test_a_url_that_names_no_mlflow_endpoint_has_no_tracking_server(self):
        for url in ("https://host/files/model.pkl", "https://host/api/2.0", "https://host/graphql/x",
                    "https://host/v1/traces.json", "ftp://host/api/2.0/mlflow/runs/get", "/api/2.0/mlflow/runs/get"):
            with self.subTest(url):
                self.assertIsNone(tracking_server(url))


class KeycloakAuthTest(unittest.TestCase):
    """Two gateways with Keycloaks of their own; a session's token names its issuer."""

    def setUp(self):
        self.a = FakeGateway("http://keycloak-a/realms/mlflow")
        self.b = FakeGateway("http://keycloak-b/realms/mlflow", prefix="/mlflow")
        for gateway in (self.a, self.b):
            self.addCleanup(gateway.close)
        config = tempfile.TemporaryDirectory()
        self.addCleanup(config.cleanup)
        for patch in (
            mock.patch.dict(os.environ, {"XDG_CONFIG_HOME": config.name, "MLFLOW_TRACKING_AUTH": "keycloak",
                                         "MLFLOW_DISABLE_TELEMETRY": "true", "NO_PROXY": "127.0.0.1"}),
            mock.patch.dict(sessions._sessions, clear=True),
            mock.patch.object(sessions.Session, "access_token", lambda session: f"token of {session.issuer}"),
        ):
            patch.start()
            self.addCleanup(patch.stop)
        for name in ("MLFLOW_KEYCLOAK_ISSUER", "MLFLOW_KEYCLOAK_CLIENT_ID", "MLFLOW_TRACKING_TOKEN"):
            os.environ.pop(name, None)

    def test_an_mlflow_client_of_server_b_sends_bs_token_while_the_tracking_uri_is_a(self):
        import mlflow

        previous = mlflow.get_tracking_uri()
        self.addCleanup(mlflow.set_tracking_uri, previous)
        mlflow.set_tracking_uri(self.a.url)

        experiment = mlflow.MlflowClient(tracking_uri=self.b.url).get_experiment("1")

        self.assertEqual(experiment.name, "e")
        self.assertEqual(self.b.received[-1], ("/mlflow/api/2.0/mlflow/experiments/get?experiment_id=1",
                                               "Bearer token of http://keycloak-b/realms/mlflow"))
        self.assertEqual(self.a.received, [], "server A is not even asked where to sign in")

    def test_each_request_gets_the_token_of_its_own_server(self):
        auth = KeycloakAuth()
        for _ in range(2):
            requests.get(self.a.url + "/api/2.0/mlflow/experiments/get", params={"experiment_id": "1"}, auth=auth)
            requests.get(self.b.url + "/api/2.0/mlflow/experiments/get", params={"experiment_id": "1"}, auth=auth)

        self.assertEqual(set(self.a.authorizations()) - {None}, {"Bearer token of http://keycloak-a/realms/mlflow"})
        self.assertEqual(set(self.b.authorizations()) - {None}, {"Bearer token of http://keycloak-b/realms/mlflow"})
        self.assertEqual(sorted(sessions._sessions), sorted([self.a.url, self.b.url]), "one session per server, kept")
        well_known = [path for gateway in (self.a, self.b) for path, _ in gateway.received if "well-known" in path]
        self.assertEqual(len(well_known), 2, "each server is asked once where to sign in")

    def test_a_request_that_names_no_mlflow_endpoint_goes_without_a_token(self):
        requests.get(self.b.url + "/files/model.pkl", auth=KeycloakAuth())

        self.assertEqual(self.b.received, [("/mlflow/files/model.pkl", None)])
        self.assertEqual(sessions._sessions, {})

    def test_a_server_that_advertises_no_keycloak_gets_no_token_but_a_clear_error(self):
        with self.assertRaisesRegex(sessions.LoginError, "Is http://127.0.0.1:[0-9]+/other the mlflow-keycloak gateway"):
            requests.get(self.a.url + "/other/api/2.0/mlflow/experiments/get", auth=KeycloakAuth())

        self.assertEqual(self.a.authorizations(), [None])


if __name__ == "__main__":
    unittest.main()
