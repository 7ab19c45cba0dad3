"""mlflow-keycloak access: arguments, the admin API's paths and bodies, and what it prints."""
import io
import os
import unittest
from contextlib import redirect_stderr
from unittest import mock

from mlflow_keycloak import access
from mlflow_keycloak.session import LoginError


class FakeResponse:
    def __init__(self, status, body):
        self.status_code = status
        self._body = body
        self.text = "" if body is None else str(body)

    def json(self):
        if self._body is None:
            raise ValueError("no JSON")
        return self._body


class FakeHttp:
    """Answers each request with the next of its answers, and records what was asked."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests = []

    def request(self, method, url, json=None, params=None, timeout=None, headers=None):
        self.requests.append((method, url, json, params, headers))
        return self.answers.pop(0)

    def post(self, url, data=None, timeout=None):
        self.requests.append(("POST", url, data, None, None))
        return self.answers.pop(0)


BASE = "https://kc.example.com/admin/realms/mlflow/mlflow"
EXPERIMENT = {"kind": "experiment", "id": "14", "name": "alice-exp", "resource": "r", "owner": "alice"}


def run(argv, *answers):
    http = FakeHttp(*answers)
    api = access.AccessApi(BASE, "t0ken", http)
    answer, text = access.run(access.parser().parse_args(argv), api)
    return http.requests, answer, text


class AdminApiTest(unittest.TestCase):

    def test_the_admin_api_is_under_the_issuers_realm(self):
        self.assertEqual(access.admin_api("https://kc.example.com/realms/mlflow"), BASE)
        self.assertEqual(access.admin_api("https://host/auth/realms/team/"), "https://host/auth/admin/realms/team/mlflow")

    def test_an_issuer_that_names_no_realm_is_refused(self):
        for issuer in ("https://kc.example.com", "https://kc.example.com/realms/", "https://kc/realms/a/b"):
            with self.assertRaises(LoginError):
                access.admin_api(issuer)


class ArgumentsTest(unittest.TestCase):

    def test_principals_are_type_and_name(self):
        self.assertEqual(access.principal("group:data-team"), ("group", "data-team"))
        self.assertEqual(access.principal("role:mlflow/viewer"), ("role", "mlflow/viewer"))

    def test_a_principal_without_a_known_type_or_a_name_is_an_error(self):
        with redirect_stderr(io.StringIO()):
            for bad in ("bob", "team:a", "user:"):
                with self.assertRaises(SystemExit):
                    access.parser().parse_args(["grant", "experiment", "e", bad, "read"])

    def test_only_instance_scopes_can_be_granted(self):
        with redirect_stderr(io.StringIO()):
            with self.assertRaises(SystemExit):
                access.parser().parse_args(["grant", "experiment", "e", "user:bob", "create"])


class RunTest(unittest.TestCase):

    def test_grant_finds_the_experiment_by_name_then_puts_exactly_the_scopes(self):
        grant = {"principal": {"type": "group", "name": "data-team"}, "scopes": ["read", "update"], "via": "grant"}
        requests, _, text = run(["grant", "experiment", "alice exp", "group:data-team", "update", "read", "read"],
                                FakeResponse(200, EXPERIMENT), FakeResponse(200, grant))
        self.assertEqual(requests[0][:4], ("GET", BASE + "/objects/experiment", None, {"name": "alice exp"}))
        self.assertEqual(requests[1][:3], ("PUT", BASE + "/objects/experiment/14/grants/group/data-team",
                                           {"scopes": ["read", "update"]}))
        self.assertEqual(requests[1][4]["Authorization"], "Bearer t0ken")
        self.assertEqual(text, "group data-team: read, update via grant")

    def test_a_registered_models_name_is_its_id_encoded_as_a_path_segment(self):
        requests, _, _ = run(["revoke", "registered-model", "churn model", "role:mlflow/viewer"],
                             FakeResponse(200, {"principal": {"type": "role", "name": "mlflow/viewer"}, "scopes": [], "via": "grant"}))
        self.assertEqual(requests[0][:2], ("DELETE", BASE + "/objects/registered-model/churn%20model/grants/role/mlflow/viewer"))

    def test_an_experiment_id_is_used_as_it_is(self):
        requests, _, _ = run(["list", "experiment", "14", "--id"], FakeResponse(200, []))
        self.assertEqual(requests[0][:2], ("GET", BASE + "/objects/experiment/14/grants"))

    def test_list_shows_grants_and_who_shared(self):
        grants = [{"principal": {"type": "group", "name": "t"}, "scopes": ["read"], "via": "grant"},
                  {"principal": {"type": "user", "name": "bob"}, "scopes": ["read", "update"], "via": "share", "sharedBy": "alice"}]
        _, _, text = run(["list", "experiment", "14", "--id"], FakeResponse(200, grants))
        self.assertEqual(text, "group t: read via grant\nuser bob: read, update via share (shared by alice)")

    def test_explain_for_a_user_says_why_and_whom_to_ask(self):
        explained = dict(EXPERIMENT, user="bob", scopes=[
            {"scope": "read", "granted": True, "reasons": [{"via": "share", "permission": "p", "sharedBy": "alice", "policies": []}]},
            {"scope": "update", "granted": False, "reasons": []}])
        requests, _, text = run(["explain", "experiment", "14", "--id", "--user", "bob"], FakeResponse(200, explained))
        self.assertEqual(requests[0][3], {"user": "bob"})
        self.assertIn("read: yes, share 'p', shared by alice", text)
        self.assertIn("update: no (ask its owner alice or an MLflow admin)", text)

    def test_owner_only_if_none_says_when_it_left_the_owner(self):
        requests, _, text = run(["owner", "experiment", "14", "--id", "bob", "--only-if-none"],
                                FakeResponse(200, dict(EXPERIMENT, changed=False)))
        self.assertEqual(requests[0][2], {"username": "bob", "onlyIfNone": True})
        self.assertEqual(text, "experiment alice-exp: left as it is, owned by alice")

    def test_the_admin_apis_error_is_shown(self):
        with self.assertRaisesRegex(access.AccessError, "403: This needs"):
            run(["list", "experiment", "14", "--id"], FakeResponse(403, {"error": "This needs manage-authorization"}))
        with self.assertRaisesRegex(access.AccessError, "502"):
            run(["list", "experiment", "14", "--id"], FakeResponse(502, None))


ADMIN_CLIENT = {"MLFLOW_KEYCLOAK_ADMIN_CLIENT_ID": "ops", "MLFLOW_KEYCLOAK_ADMIN_CLIENT_SECRET": "s"}
SIGN_IN = ("MLFLOW_KEYCLOAK_ADMIN_CLIENT_ID", "MLFLOW_KEYCLOAK_ADMIN_CLIENT_SECRET", "MLFLOW_KEYCLOAK_ISSUER",
           "MLFLOW_KEYCLOAK_CLIENT_ID")


class AdminTokenTest(unittest.TestCase):

    def setUp(self):
        environment = mock.patch.dict(os.environ)
        environment.start()
        self.addCleanup(environment.stop)
        for name in SIGN_IN:
            os.environ.pop(name, None)

    def test_an_admin_client_signs_in_with_client_credentials_at_the_issuer_it_is_given(self):
        http = FakeHttp(FakeResponse(200, {"access_token": "svc"}))
        os.environ.update(ADMIN_CLIENT, MLFLOW_KEYCLOAK_ISSUER="https://kc/realms/mlflow/")
        self.assertEqual(access.admin_token("https://mlflow.example.com", http), "svc")
        self.assertEqual(http.requests[0][1], "https://kc/realms/mlflow/protocol/openid-connect/token")
        self.assertEqual(http.requests[0][2], {"grant_type": "client_credentials", "client_id": "ops", "client_secret": "s"})

    def test_the_admin_clients_issuer_is_never_asked_of_the_gateway(self):
        os.environ.update(ADMIN_CLIENT)
        http = FakeHttp()
        with mock.patch("mlflow_keycloak.access.discover") as discover, \
                mock.patch("mlflow_keycloak.session.requests") as gateway:
            with self.assertRaisesRegex(LoginError, "need MLFLOW_KEYCLOAK_ISSUER"):
                access.keycloak_issuer("https://mlflow.example.com")
            with self.assertRaisesRegex(LoginError, "need MLFLOW_KEYCLOAK_ISSUER"):
                access.admin_token("https://mlflow.example.com", http)
        discover.assert_not_called()
        gateway.get.assert_not_called()
        self.assertEqual([], http.requests)
        os.environ["MLFLOW_KEYCLOAK_ISSUER"] = "https://kc.example.com/realms/mlflow"
        self.assertEqual("https://kc.example.com/realms/mlflow", access.keycloak_issuer("https://mlflow.example.com"))

    def test_the_admin_client_secret_goes_over_http_only_to_this_machine(self):
        os.environ.update(ADMIN_CLIENT)
        for issuer in ("http://localhost:8080/realms/mlflow", "http://127.0.0.1/realms/mlflow",
                       "http://127.8.9.10:8080/realms/mlflow", "http://[::1]:8080/realms/mlflow", "HTTP://LOCALHOST/realms/mlflow"):
            with self.subTest(issuer=issuer):
                os.environ["MLFLOW_KEYCLOAK_ISSUER"] = issuer
                http = FakeHttp(FakeResponse(200, {"access_token": "svc"}))
                self.assertEqual(access.admin_token(None, http), "svc")
        for issuer in ("http://kc.example.com/realms/mlflow", "http://localhost.example.com/realms/mlflow",
                       "http://localhost@kc.example.com/realms/mlflow", "http://10.0.0.1/realms/mlflow",
                       "http://[::ffff:10.0.0.1]/realms/mlflow", "ftp://localhost/realms/mlflow", "kc/realms/mlflow",
                       "https:///realms/mlflow"):
            with self.subTest(issuer=issuer):
                os.environ["MLFLOW_KEYCLOAK_ISSUER"] = issuer
                http = FakeHttp()
                with self.assertRaisesRegex(LoginError, "MLFLOW_KEYCLOAK_ISSUER .* must be an https URL"):
                    access.admin_token(None, http)
                with self.assertRaisesRegex(LoginError, "must be an https URL"):
                    access.keycloak_issuer(None)
                self.assertEqual([], http.requests)

    def test_access_and_migrate_stop_naming_the_variable_before_anything_is_sent(self):
        os.environ.update(ADMIN_CLIENT)
        from mlflow_keycloak import migrate
        gateway_uri = "http://mlflow.example.com"
        for command, main, argv in (("access", access.main, ["--tracking-uri", gateway_uri, "list", "experiment", "14", "--id"]),
                                    ("migrate", migrate.main, ["adopt", "--tracking-uri", gateway_uri, "--mapping", "owners.csv"])):
            with self.subTest(command=command), mock.patch("mlflow_keycloak.session.requests") as gateway, \
                    mock.patch("requests.sessions.Session.request") as sent:
                stderr = io.StringIO()
                with redirect_stderr(stderr):
                    self.assertEqual(1, main(argv))
                self.assertIn(f"mlflow-keycloak {command}: MLFLOW_KEYCLOAK_ADMIN_CLIENT_ID and _SECRET need "
                              "MLFLOW_KEYCLOAK_ISSUER", stderr.getvalue())
                gateway.get.assert_not_called()
                sent.assert_not_called()

    def test_device_login_finds_keycloak_through_the_gateway(self):
        with mock.patch("mlflow_keycloak.access.discover", return_value=("https://kc/realms/mlflow", "mlflow-cli")) as discover:
            self.assertEqual("https://kc/realms/mlflow", access.keycloak_issuer("https://mlflow.example.com/"))
        discover.assert_called_once_with("https://mlflow.example.com")

    def test_half_a_client_is_an_error(self):
        os.environ["MLFLOW_KEYCLOAK_ADMIN_CLIENT_ID"] = "ops"
        os.environ["MLFLOW_KEYCLOAK_ISSUER"] = "https://kc/realms/mlflow"
        with self.assertRaises(LoginError):
            access.admin_token(None, FakeHttp())


if __name__ == "__main__":
    unittest.main()
