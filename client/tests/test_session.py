"""Session: the tokens of one tracking server in the user's token file."""
import json
import os
import tempfile
import unittest
from unittest import mock

import requests

from mlflow_keycloak import session as sessions
from mlflow_keycloak.provider import KeycloakAuth
from tests.fakes import FakeGateway

ISSUER = "http://keycloak/realms/mlflow"


def signed_in(session):
    """What a completed device login for the session's server returns."""
    return sessions._received({"access_token": f"token of {session.server}", "expires_in": 300,
                               "refresh_token": "refresh", "refresh_expires_in": 1800})


class TokenFileTest(unittest.TestCase):

    def setUp(self):
        config = tempfile.TemporaryDirectory()
        self.addCleanup(config.cleanup)
        self.directory = os.path.join(config.name, "mlflow-keycloak")
        self.logins = mock.Mock(side_effect=signed_in)
        for patch in (
            mock.patch.dict(os.environ, {"XDG_CONFIG_HOME": config.name, "NO_PROXY": "127.0.0.1"}),
            mock.patch.dict(sessions._sessions, clear=True),
            mock.patch.object(sessions.Session, "_device_login", lambda session: self.logins(session)),
        ):
            patch.start()
            self.addCleanup(patch.stop)
        for name in ("MLFLOW_KEYCLOAK_ISSUER", "MLFLOW_KEYCLOAK_CLIENT_ID"):
            os.environ.pop(name, None)

    def tokens(self):
        with open(os.path.join(self.directory, "tokens.json"), encoding="utf-8") as file:
            return json.load(file)

    def test_two_servers_that_advertise_one_keycloak_each_get_a_login_and_tokens_of_their_own(self):
        a, b = FakeGateway(ISSUER), FakeGateway(ISSUER, prefix="/mlflow")
        self.addCleanup(a.close)
        self.addCleanup(b.close)

        requests.get(a.url + "/api/2.0/mlflow/experiments/get", auth=KeycloakAuth())
        requests.get(b.url + "/api/2.0/mlflow/experiments/get", auth=KeycloakAuth())

        self.assertEqual(a.authorizations()[-1], f"Bearer token of {a.url}")
        self.assertEqual(b.authorizations()[-1], f"Bearer token of {b.url}")
        self.assertEqual(self.logins.call_count, 2)
        self.assertEqual(sorted(self.tokens()), sorted(f"{server} {ISSUER} mlflow-cli" for server in (a.url, b.url)))

    def test_a_later_process_uses_the_servers_login_from_the_file(self):
        sessions.Session("https://mlflow.example.com", ISSUER, "mlflow-cli").access_token()

        again = sessions.Session("https://mlflow.example.com", ISSUER, "mlflow-cli").access_token()
        other = sessions.Session("https://other.example.com", ISSUER, "mlflow-cli").access_token()

        self.assertEqual((again, other), ("token of https://mlflow.example.com", "token of https://other.example.com"))
        self.assertEqual(self.logins.call_count, 2)

    def test_the_cli_and_the_sdk_share_the_session_of_one_server(self):
        gateway = FakeGateway(ISSUER)
        self.addCleanup(gateway.close)
        requests.get(gateway.url + "/api/2.0/mlflow/experiments/get", auth=KeycloakAuth())

        self.assertIs(sessions.session_for_tracking_uri(gateway.url.upper() + "/"), sessions._sessions[gateway.url])

    @unittest.skipUnless(os.name == "posix", "POSIX file modes")
    def test_the_token_file_is_the_users_alone(self):
        sessions.Session("https://mlflow.example.com", ISSUER, "mlflow-cli").access_token()

        self.assertEqual(os.stat(self.directory).st_mode & 0o777, 0o700)
        for name in ("tokens.json", "tokens.lock"):
            self.assertEqual(os.stat(os.path.join(self.directory, name)).st_mode & 0o777, 0o600, name)
        self.assertEqual([name for name in os.listdir(self.directory) if name.startswith(".tokens-")], [],
                         "no temporary file is left behind")


if __name__ == "__main__":
    unittest.main()
