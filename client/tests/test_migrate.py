"""migrate: reading basic-auth's database (made by MLflow's own auth store, and in the layout of
releases before MLflow moved permissions to roles), the mapping, and the plans."""
import io
import os
import sqlite3
import tempfile
import unittest
from pathlib import Path

from mlflow_keycloak import migrate
from mlflow_keycloak.migrate import (
    EXPERIMENT, REGISTERED_MODEL, AssignAdmin, BasicAuth, Candidate, Grant, MlflowObject, Permission, SetOwner,
)


def basic_auth_database(path):
    """A basic-auth database written by MLflow's own auth store, as its REST API writes it."""
    from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore
    store = SqlAlchemyStore()
    store.init_db(f"sqlite:///{path}")
    store.create_user("alice", "alice-password-1", is_admin=False)
    store.create_user("bob", "bob-password-12", is_admin=False)
    store.create_user("root", "root-password-1", is_admin=True)
    store.create_user("ghost", "ghost-password1", is_admin=False)
    store.create_experiment_permission("1", "alice", "MANAGE")
    store.create_experiment_permission("1", "bob", "READ")
    store.create_experiment_permission("2", "bob", "EDIT")
    store.create_experiment_permission("2", "ghost", "MANAGE")
    store.create_registered_model_permission("model-a", "alice", "MANAGE")
    team = store.create_role("team-a", "default")
    store.add_role_permission(team.id, "experiment", "3", "READ")
    store.add_role_permission(team.id, "experiment", "*", "EDIT")
    store.add_role_permission(team.id, "scorer", "*", "READ")
    store.assign_role_to_user(store.get_user("bob").id, team.id)
    store.engine.dispose()


def legacy_database(path):
    """The layout of MLflow's basic-auth before 3.6 (its initial migration, no version table), with rows."""
    with sqlite3.connect(path) as db:
        db.executescript("""
            CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(255) UNIQUE,
                password_hash VARCHAR(255), is_admin BOOLEAN);
            CREATE TABLE experiment_permissions (id INTEGER PRIMARY KEY, experiment_id VARCHAR(255) NOT NULL,
                user_id INTEGER NOT NULL, permission VARCHAR(255));
            CREATE TABLE registered_model_permissions (id INTEGER PRIMARY KEY, name VARCHAR(255) NOT NULL,
                user_id INTEGER NOT NULL, permission VARCHAR(255));
            INSERT INTO users VALUES (1, 'admin', 'x', 1), (2, 'alice', 'x', 0);
            INSERT INTO experiment_permissions VALUES (1, '7', 2, 'EDIT');
            INSERT INTO registered_model_permissions VALUES (1, 'model-b', 2, 'NO_PERMISSIONS');
        """)


class ReadBasicAuthTest(unittest.TestCase):

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.directory.name, "basic_auth.db")

    def tearDown(self):
        self.directory.cleanup()

    def test_reads_users_admins_and_each_users_permissions_from_mlflows_own_store(self):
        basic_auth_database(self.path)
        read = migrate.read_basic_auth(migrate.database_uri(self.path))
        self.assertEqual({"alice": False, "bob": False, "root": True, "ghost": False}, read.users)
        self.assertEqual([
            Permission(EXPERIMENT, "1", "alice", "MANAGE"),
            Permission(EXPERIMENT, "1", "bob", "READ"),
            Permission(EXPERIMENT, "2", "bob", "EDIT"),
            Permission(EXPERIMENT, "2", "ghost", "MANAGE"),
            Permission(REGISTERED_MODEL, "model-a", "alice", "MANAGE"),
            Permission(EXPERIMENT, "3", "bob", "READ", via="team-a"),
        ], read.permissions)
        # A role's grant on every experiment and on scorers has no per-object equivalent.
        self.assertEqual(2, len(read.unmapped), read.unmapped)
        self.assertIn("EDIT on every experiment", read.unmapped[0])
        self.assertIn("scorer", read.unmapped[1])

    def test_reads_the_tables_of_releases_before_roles(self):
        legacy_database(self.path)
        read = migrate.read_basic_auth(migrate.database_uri(self.path))
        self.assertEqual({"admin": True, "alice": False}, read.users)
        self.assertEqual([Permission(EXPERIMENT, "7", "alice", "EDIT"),
                          Permission(REGISTERED_MODEL, "model-b", "alice", "NO_PERMISSIONS")], read.permissions)

    def test_never_writes_to_the_database_it_reads(self):
        basic_auth_database(self.path)
        before = os.stat(self.path).st_mtime_ns, Path(self.path).read_bytes()
        migrate.read_basic_auth(migrate.database_uri(self.path))
        self.assertEqual(before, (os.stat(self.path).st_mtime_ns, Path(self.path).read_bytes()))

    def test_a_database_of_something_else_is_refused(self):
        with sqlite3.connect(self.path) as db:
            db.execute("CREATE TABLE experiments (id INTEGER)")
        with self.assertRaisesRegex(migrate.MigrationError, "not MLflow basic-auth's database"):
            migrate.read_basic_auth(migrate.database_uri(self.path))

    def test_a_missing_file_is_refused_not_created(self):
        with self.assertRaisesRegex(migrate.MigrationError, "no such file"):
            migrate.database_uri(self.path)
        self.assertFalse(os.path.exists(self.path))


def experiment(object_id, owner=None, scopes=None, granted=None):
    return MlflowObject(EXPERIMENT, object_id, f"exp-{object_id}", owner, scopes or {}, granted or {})


class DenyFromMlflowsOwnStoreTest(unittest.TestCase):
    """A DENY written by MLflow's own auth store, direct or through a role, on one object or every one."""

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.directory.name, "basic_auth.db")
        from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore
        store = SqlAlchemyStore()
        store.init_db(f"sqlite:///{self.path}")
        for user in ("alice", "bob", "carol"):
            store.create_user(user, f"{user}-password-12345", is_admin=False)
        store.create_experiment_permission("1", "bob", "DENY")
        store.create_experiment_permission("1", "alice", "MANAGE")
        store.create_registered_model_permission("model-a", "carol", "MANAGE")
        editors = store.create_role("editors", "default")
        store.add_role_permission(editors.id, "experiment", "1", "EDIT")
        store.add_role_permission(editors.id, "registered_model", "model-a", "EDIT")
        store.assign_role_to_user(store.get_user("bob").id, editors.id)
        store.assign_role_to_user(store.get_user("alice").id, editors.id)
        locked = store.create_role("locked", "default")
        store.add_role_permission(locked.id, "registered_model", "*", "DENY")
        store.assign_role_to_user(store.get_user("carol").id, locked.id)
        store.engine.dispose()

    def tearDown(self):
        self.directory.cleanup()

    def test_denied_users_get_nothing_on_the_object_and_the_report_says_so(self):
        read = migrate.read_basic_auth(migrate.database_uri(self.path))
        objects = {(EXPERIMENT, "1"): experiment("1"),
                   (REGISTERED_MODEL, "model-a"): MlflowObject(REGISTERED_MODEL, "model-a", "model-a")}
        plan = migrate.plan_migration(read, {"alice", "bob", "carol"}, set(), objects)
        self.assertEqual(["experiment 1 (exp-1): owner alice",
                          "registered-model model-a: grant bob read, update",
                          "registered-model model-a: grant alice read, update"],
                         [a.describe().split("  [")[0] for a in plan.actions])
        self.assertEqual(["experiment 1 (exp-1): bob: denied in basic-auth (DENY in basic-auth): nothing granted",
                          "registered-model model-a: carol: denied in basic-auth "
                          "(DENY in basic-auth on every registered-model through role locked): nothing granted"],
                         plan.unmapped)


class PlanMigrationTest(unittest.TestCase):

    def test_manage_on_an_object_without_owner_makes_its_first_holder_the_owner_and_others_get_grants(self):
        basic_auth = BasicAuth({"alice": False, "bob": False}, [
            Permission(EXPERIMENT, "1", "alice", "MANAGE"),
            Permission(EXPERIMENT, "1", "bob", "MANAGE"),
        ])
        plan = migrate.plan_migration(basic_auth, {"alice", "bob"}, set(), {(EXPERIMENT, "1"): experiment("1")})
        self.assertEqual(["experiment 1 (exp-1): owner alice", "experiment 1 (exp-1): grant bob read, update, delete, manage"],
                         [a.describe().split("  [")[0] for a in plan.actions])

    def test_levels_map_to_scopes(self):
        levels = {"READ": "read", "USE": "read", "EDIT": "read, update"}
        for level, scopes in levels.items():
            with self.subTest(level=level):
                basic_auth = BasicAuth({"bob": False}, [Permission(EXPERIMENT, "1", "bob", level)])
                plan = migrate.plan_migration(basic_auth, {"bob"}, set(), {(EXPERIMENT, "1"): experiment("1", owner="alice")})
                self.assertEqual([f"experiment 1 (exp-1): grant bob {scopes}"], [a.describe().split("  [")[0] for a in plan.actions])

    def test_manage_on_an_owned_object_is_a_grant_of_every_scope(self):
        basic_auth = BasicAuth({"bob": False}, [Permission(EXPERIMENT, "1", "bob", "MANAGE")])
        plan = migrate.plan_migration(basic_auth, {"bob"}, set(), {(EXPERIMENT, "1"): experiment("1", owner="alice")})
        self.assertEqual([("bob", ("read", "update", "delete", "manage"))], [(a.username, a.scopes) for a in plan.actions])

    def test_no_permissions_grants_nothing_and_deny_is_reported(self):
        basic_auth = BasicAuth({"bob": False}, [Permission(EXPERIMENT, "1", "bob", "NO_PERMISSIONS"),
                                                Permission(EXPERIMENT, "2", "bob", "DENY")])
        objects = {(EXPERIMENT, "1"): experiment("1", owner="alice"), (EXPERIMENT, "2"): experiment("2", owner="alice")}
        plan = migrate.plan_migration(basic_auth, {"bob"}, set(), objects)
        self.assertEqual([], plan.actions)
        self.assertEqual(["experiment 2 (exp-2): bob: denied in basic-auth (DENY in basic-auth): nothing granted"],
                         plan.unmapped)

    def test_a_deny_own_or_through_a_role_outweighs_every_grant_and_ownership_of_that_user(self):
        basic_auth = BasicAuth({"alice": False, "bob": False, "carol": False}, [
            Permission(EXPERIMENT, "1", "bob", "DENY"),
            Permission(EXPERIMENT, "1", "bob", "EDIT", via="team-a"),
            Permission(EXPERIMENT, "1", "alice", "MANAGE"),
            Permission(EXPERIMENT, "1", "alice", "DENY", via="team-b"),
            Permission(EXPERIMENT, "1", "carol", "MANAGE"),
            Permission(EXPERIMENT, "1", "carol", "READ", via="team-a"),
        ])
        plan = migrate.plan_migration(basic_auth, {"alice", "bob", "carol"}, set(), {(EXPERIMENT, "1"): experiment("1")})
        # alice made it (first MANAGE) but a role denies her: carol, the next MANAGE, owns it.
        self.assertEqual([SetOwner(experiment("1"), "carol", "MANAGE in basic-auth, no owner yet")], plan.actions)
        self.assertEqual(["experiment 1 (exp-1): alice: denied in basic-auth (DENY in basic-auth through role team-b): nothing granted",
                          "experiment 1 (exp-1): bob: denied in basic-auth (DENY in basic-auth): nothing granted"],
                         plan.unmapped)

    def test_a_deny_on_every_object_of_a_kind_outweighs_grants_on_each_one_of_that_kind_only(self):
        basic_auth = BasicAuth({"bob": False}, [Permission(EXPERIMENT, "1", "bob", "MANAGE"),
                                                Permission(REGISTERED_MODEL, "m", "bob", "READ")],
                               denied_everywhere=[Permission(EXPERIMENT, "*", "bob", "DENY", via="locked")])
        model = MlflowObject(REGISTERED_MODEL, "m", "m", "alice")
        plan = migrate.plan_migration(basic_auth, {"bob"}, set(), {(EXPERIMENT, "1"): experiment("1"),
                                                                  (REGISTERED_MODEL, "m"): model})
        self.assertEqual([Grant(model, "bob", ("read",), "READ in basic-auth")], plan.actions)
        self.assertEqual(["experiment 1 (exp-1): bob: denied in basic-auth "
                          "(DENY in basic-auth on every experiment through role locked): nothing granted"], plan.unmapped)

    def test_what_keycloak_already_holds_is_not_planned_again_and_a_grant_keeps_its_scopes(self):
        basic_auth = BasicAuth({"alice": True, "bob": False}, [Permission(EXPERIMENT, "1", "alice", "MANAGE"),
                                                               Permission(EXPERIMENT, "1", "bob", "EDIT")])
        done = experiment("1", owner="alice", scopes={"bob": {"read", "update"}}, granted={"bob": {"read", "update"}})
        self.assertEqual([], migrate.plan_migration(basic_auth, {"alice", "bob"}, {"alice"}, {(EXPERIMENT, "1"): done}).actions)
        # bob was given delete by hand and read by a share: EDIT adds update, keeps delete.
        partly = experiment("1", owner="alice", scopes={"bob": {"read", "delete"}}, granted={"bob": {"delete"}})
        plan = migrate.plan_migration(basic_auth, {"alice", "bob"}, {"alice"}, {(EXPERIMENT, "1"): partly})
        self.assertEqual([("bob", ("update", "delete"))], [(a.username, a.scopes) for a in plan.actions])

    def test_an_object_owned_by_someone_else_keeps_its_owner(self):
        basic_auth = BasicAuth({"alice": False}, [Permission(EXPERIMENT, "1", "alice", "MANAGE")])
        plan = migrate.plan_migration(basic_auth, {"alice"}, set(), {(EXPERIMENT, "1"): experiment("1", owner="carol")})
        self.assertEqual([Grant], [type(a) for a in plan.actions])

    def test_manage_through_a_role_does_not_make_an_owner(self):
        basic_auth = BasicAuth({"bob": False}, [Permission(EXPERIMENT, "1", "bob", "MANAGE", via="team-a")])
        plan = migrate.plan_migration(basic_auth, {"bob"}, set(), {(EXPERIMENT, "1"): experiment("1")})
        self.assertEqual([Grant], [type(a) for a in plan.actions])
        self.assertIn("through role team-a", plan.actions[0].describe())

    def test_admins_users_missing_in_keycloak_and_objects_missing_in_mlflow(self):
        basic_auth = BasicAuth({"root": True, "boss": True, "ghost": False}, [
            Permission(EXPERIMENT, "1", "ghost", "MANAGE"),
            Permission(EXPERIMENT, "9", "root", "READ"),
        ])
        plan = migrate.plan_migration(basic_auth, {"root", "boss"}, {"boss"},
                                      {(EXPERIMENT, "1"): experiment("1"), (EXPERIMENT, "9"): None})
        self.assertEqual([AssignAdmin("root")], plan.actions)
        self.assertEqual(["user ghost: not in Keycloak; nothing of theirs migrated",
                          "experiment 9: MLflow does not know it (deleted?); permissions of root not migrated"], plan.unmapped)


class PlanAdoptionTest(unittest.TestCase):

    def test_gives_objects_without_owner_to_their_user_and_leaves_owned_ones(self):
        candidates = [Candidate(EXPERIMENT, "exp-1", "alice", "first run"),
                      Candidate(EXPERIMENT, "exp-2", "bob", "first run"),
                      Candidate(EXPERIMENT, "exp-3", None, "it has no run"),
                      Candidate(EXPERIMENT, "exp-4", "ghost", "first run"),
                      Candidate(REGISTERED_MODEL, "gone", "alice", "mapping.csv, line 2")]
        objects = {(EXPERIMENT, "exp-1"): experiment("1"), (EXPERIMENT, "exp-2"): experiment("2", owner="carol"),
                   (EXPERIMENT, "exp-3"): experiment("3"), (EXPERIMENT, "exp-4"): experiment("4"),
                   (REGISTERED_MODEL, "gone"): None}
        plan = migrate.plan_adoption(candidates, {"alice", "bob"}, objects)
        self.assertEqual([SetOwner(experiment("1"), "alice", "first run")], plan.actions)
        self.assertEqual(["experiment 3 (exp-3): no owner, and it has no run",
                          "experiment 4 (exp-4): ghost (first run) is not in Keycloak",
                          "registered-model gone: MLflow does not know it"], plan.unmapped)


class MappingFileTest(unittest.TestCase):

    def write(self, text):
        file = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8")
        file.write(text)
        file.close()
        self.addCleanup(os.unlink, file.name)
        return file.name

    def test_reads_kind_name_username_with_names_as_mlflow_shows_them(self):
        path = self.write("kind,name,username\nexperiment,\"team a, run 1\",alice\nregistered-model,model-a,bob\n")
        self.assertEqual([Candidate(EXPERIMENT, "team a, run 1", "alice", f"{path}, line 2"),
                          Candidate(REGISTERED_MODEL, "model-a", "bob", f"{path}, line 3")], migrate.read_mapping(path))

    def test_refuses_a_file_without_header_or_with_an_unknown_kind(self):
        for text in ("experiment,e,alice\n", "kind,name,username\nrun,r,alice\n", "kind,name,username\nexperiment,e,\n"):
            with self.subTest(text=text), self.assertRaises(migrate.MigrationError):
                migrate.read_mapping(self.write(text))


class FirstRunsTest(unittest.TestCase):

    def test_each_experiment_to_the_user_of_its_first_run_each_model_to_the_run_of_its_first_version(self):
        import mlflow
        from mlflow.tracking import MlflowClient
        with tempfile.TemporaryDirectory() as directory:
            uri = f"sqlite:///{directory}/mlflow.db"
            client = MlflowClient(tracking_uri=uri, registry_uri=uri)
            used = client.create_experiment("used", artifact_location=f"{directory}/a")
            client.create_experiment("empty", artifact_location=f"{directory}/b")
            first = client.create_run(used, tags={"mlflow.user": "alice"})
            client.create_run(used, tags={"mlflow.user": "bob"})
            client.create_registered_model("model-a")
            client.create_model_version("model-a", f"runs:/{first.info.run_id}/model", run_id=first.info.run_id)
            client.create_registered_model("model-b")
            candidates = migrate.read_first_runs(uri)
        self.assertEqual([
            Candidate(EXPERIMENT, "Default", None, "it has no run", "0"),
            Candidate(EXPERIMENT, "used", "alice", "user of its first run", used),
            Candidate(EXPERIMENT, "empty", None, "it has no run", str(int(used) + 1)),
            Candidate(REGISTERED_MODEL, "model-a", "alice", "user of the run of its first version"),
            Candidate(REGISTERED_MODEL, "model-b", None, "no version made from a run"),
        ], candidates)


class FakeAdmin:
    """The admin API as a dictionary: what apply would change."""

    def __init__(self, owner=None):
        self.owner = owner
        self.calls = []

    def set_owner(self, kind, object_id, username):
        self.calls.append(("owner", object_id, username))
        if self.owner is None:
            self.owner = username
            return username, True
        return self.owner, False

    def set_grant(self, kind, object_id, username, scopes):
        self.calls.append(("grant", object_id, username, scopes))

    def assign_client_role(self, username, client, role):
        self.calls.append(("role", username, client, role))


class ApplyTest(unittest.TestCase):

    def plan(self):
        return migrate.Plan([AssignAdmin("root"), SetOwner(experiment("1"), "alice", "MANAGE"),
                             Grant(experiment("1"), "bob", ("read",), "READ")], ["user ghost: not in Keycloak"])

    def test_a_dry_run_prints_the_plan_and_calls_nothing(self):
        admin, out = FakeAdmin(), io.StringIO()
        self.assertEqual(0, migrate.apply(self.plan(), admin, dry_run=True, out=out))
        migrate.report(self.plan(), 0, True, out)
        self.assertEqual([], admin.calls)
        self.assertIn("would set experiment 1 (exp-1): owner alice", out.getvalue())
        self.assertIn("  user ghost: not in Keycloak", out.getvalue())
        self.assertIn("dry run: 3 change(s) planned, nothing changed; 1 not migrated", out.getvalue())

    def test_applies_each_action_and_counts_what_changed(self):
        admin = FakeAdmin()
        self.assertEqual(3, migrate.apply(self.plan(), admin, dry_run=False, out=io.StringIO()))
        self.assertEqual([("role", "root", "mlflow", "admin"), ("owner", "1", "alice"), ("grant", "1", "bob", ("read",))],
                         admin.calls)

    def test_an_owner_set_meanwhile_is_kept_and_said(self):
        out = io.StringIO()
        self.assertEqual(0, migrate.apply(migrate.Plan([SetOwner(experiment("1"), "alice", "MANAGE")]),
                                          FakeAdmin(owner="carol"), dry_run=False, out=out))
        self.assertIn("owner is already carol", out.getvalue())


class FakeResponse:
    def __init__(self, status_code, body):
        self.status_code = status_code
        self.body = body
        self.text = str(body)

    def json(self):
        return self.body


class FakeHttp:
    """Keycloak answering each path with a fixed (status, body)."""

    def __init__(self, answers):
        self.answers = answers
        self.headers = {}

    def request(self, method, url, **kwargs):
        return FakeResponse(*self.answers[url.split("/admin/realms/mlflow", 1)[1]])


class AdminApiTest(unittest.TestCase):

    def api(self, answers):
        return migrate.AdminApi("http://keycloak/admin/realms/mlflow", "token", http=FakeHttp(answers))

    def test_reads_an_object_its_owner_and_who_holds_what(self):
        api = self.api({
            "/mlflow/objects/experiment/1": (200, {"kind": "experiment", "id": "1", "name": "e", "resource": "experiment/1",
                                                    "owner": "alice"}),
            "/mlflow/objects/experiment/1/grants": (200, [
                {"principal": {"type": "user", "name": "bob"}, "scopes": ["read"], "via": "grant"},
                {"principal": {"type": "user", "name": "bob"}, "scopes": ["update"], "via": "share"},
                {"principal": {"type": "group", "name": "team"}, "scopes": ["read"], "via": "grant"}]),
        })
        self.assertEqual(MlflowObject(EXPERIMENT, "1", "e", "alice", {"bob": {"read", "update"}}, {"bob": {"read"}}),
                         api.mlflow_object(EXPERIMENT, "1"))

    def test_an_object_mlflow_does_not_know_is_none_but_any_other_404_stops(self):
        api = self.api({"/mlflow/objects/experiment/9": (404, {"error": "MLflow knows no experiment '9'."}),
                        "/mlflow/objects/experiment/8": (404, {"error": "HTTP 404 Not Found"})})
        self.assertIsNone(api.mlflow_object(EXPERIMENT, "9"))
        with self.assertRaisesRegex(migrate.MigrationError, "admin API installed"):
            api.mlflow_object(EXPERIMENT, "8")


if __name__ == "__main__":
    unittest.main()
