"""mlflow-keycloak migrate: from MLflow's basic-auth to Keycloak.

Reads basic-auth's database (users, their admin flag, their experiment, registered-model and
prompt permissions) and gives the same users the matching owners, grants and admin role in
Keycloak, through the extension's admin REST API. `adopt` gives owners to experiments and models
that have none. Both first read everything, then plan, then (unless it is a dry run) apply: the
plan only ever adds (an owner where there is none, scopes a user lacks, a role a user lacks), so
running either twice changes nothing the second time.
"""
import csv
import re
import sys
from dataclasses import dataclass, field
from urllib.parse import quote

EXPERIMENT = "experiment"
REGISTERED_MODEL = "registered-model"
ALL_SCOPES = ("read", "update", "delete", "manage")

# basic-auth's permission → our scopes. USE adds only gateway use to READ, which has no meaning
# on one experiment or model here. NO_PERMISSIONS and DENY grant nothing: without a grant, a user
# who holds no role reaches nothing. DENY also takes away what any other grant of the same user on
# the same object would give (see _denied).
SCOPES = {
    "READ": ("read",),
    "USE": ("read",),
    "EDIT": ("read", "update"),
    "MANAGE": ALL_SCOPES,
    "NO_PERMISSIONS": (),
    "DENY": (),
}

# basic-auth's resource types (its role_permissions.resource_type) that are objects of ours.
KINDS = {"experiment": EXPERIMENT, "registered_model": REGISTERED_MODEL, "prompt": REGISTERED_MODEL}

# Alembic revisions of basic-auth's database before e5f6a7b8c9d0, which moved every user's
# permissions into roles (a hidden `__user_<id>__` role per user) and left the old tables on disk,
# no longer read. A database at one of these, or without a version table (before MLflow 3.6), is
# read from the old tables; any other from roles.
VERSION_TABLE = "alembic_version_auth"
LEGACY_REVISIONS = {"8606fa83a998", "0965eb92f5f0", "a1b2c3d4e5f6", "2ed73881770d", "c3d4e5f6a7b8"}
# The hidden role that holds one user's own permissions.
SYNTHETIC_ROLE = re.compile(r"__user_\d+__")
DEFAULT_WORKSPACE = "default"


@dataclass(frozen=True)
class Permission:
    """One permission of basic-auth: a user's level on one experiment or registered model."""
    kind: str
    object_id: str
    username: str
    level: str
    via: str = ""  # the basic-auth role it came through, when not the user's own


@dataclass
class BasicAuth:
    """What migrate reads from basic-auth's database."""
    users: dict  # username → is_admin
    permissions: list  # of Permission, in the order basic-auth granted them
    # Permissions of level DENY on every object of a kind (object_id "*"), through a role.
    denied_everywhere: list = field(default_factory=list)
    unmapped: list = field(default_factory=list)  # what the database holds that has no equivalent


@dataclass(frozen=True)
class MlflowObject:
    """An experiment or registered model as Keycloak knows it: its owner and who holds which
    scopes on it (username → set of scopes, grants and shares together)."""
    kind: str
    object_id: str
    name: str
    owner: object = None
    scopes: dict = field(default_factory=dict)
    granted: dict = field(default_factory=dict)  # username → scopes of the admin grant alone

    def label(self):
        return f"{self.kind} {self.object_id}" + ("" if self.name == self.object_id else f" ({self.name})")


@dataclass(frozen=True)
class SetOwner:
    target: MlflowObject
    username: str
    reason: str

    def describe(self):
        return f"{self.target.label()}: owner {self.username}  [{self.reason}]"


@dataclass(frozen=True)
class Grant:
    target: MlflowObject
    username: str
    scopes: tuple  # the admin grant's scopes after the change: what it had, and what is added
    reason: str

    def describe(self):
        return f"{self.target.label()}: grant {self.username} {', '.join(self.scopes)}  [{self.reason}]"


@dataclass(frozen=True)
class AssignAdmin:
    username: str

    def describe(self):
        return f"user {self.username}: client role mlflow admin  [is_admin]"


@dataclass
class Plan:
    actions: list = field(default_factory=list)
    unmapped: list = field(default_factory=list)


# Reading basic-auth's database

def read_basic_auth(database_uri):
    """Reads basic-auth's database at a SQLAlchemy URI (its `database_uri`), never writing to it."""
    sqlalchemy = _sqlalchemy()
    engine = sqlalchemy.create_engine(database_uri)
    try:
        with engine.connect() as connection:
            inspector = sqlalchemy.inspect(connection)
            tables = set(inspector.get_table_names())
            if "users" not in tables:
                raise MigrationError(f"{_safe(database_uri)} is not MLflow basic-auth's database (no table users)")
            rows = _rows(connection, sqlalchemy)
            names = {user_id: username for user_id, username, _ in rows("SELECT id, username, is_admin FROM users")}
            users = {username: bool(admin) for _, username, admin in rows("SELECT id, username, is_admin FROM users")}
            revision = rows(f"SELECT version_num FROM {VERSION_TABLE}")[0][0] if VERSION_TABLE in tables else None
            if revision is None or revision in LEGACY_REVISIONS:
                columns = {column["name"] for column in inspector.get_columns("registered_model_permissions")}
                return _read_legacy(rows, tables, "workspace" in columns, users, names)
            return _read_roles(rows, users, names)
    finally:
        engine.dispose()


def _rows(connection, sqlalchemy):
    def rows(sql):
        return [tuple(row) for row in connection.execute(sqlalchemy.text(sql))]
    return rows


def _read_legacy(rows, tables, workspaces, users, names):
    """Before MLflow moved permissions to roles: one table per kind, one row per user and object."""
    permissions, unmapped = [], []
    for experiment_id, user_id, level in rows(
            "SELECT experiment_id, user_id, permission FROM experiment_permissions ORDER BY id"):
        permissions.append(Permission(EXPERIMENT, str(experiment_id), names.get(user_id, f"#{user_id}"), level))
    for row in rows("SELECT name, user_id, permission" + (", workspace" if workspaces else "")
                    + " FROM registered_model_permissions ORDER BY id"):
        name, user_id, level = row[:3]
        username = names.get(user_id, f"#{user_id}")
        if workspaces and row[3] not in (None, DEFAULT_WORKSPACE):
            unmapped.append(f"registered-model {name}: {username} {level} in workspace {row[3]}: "
                            "the gateway decides workspaces by role or group only")
            continue
        permissions.append(Permission(REGISTERED_MODEL, name, username, level))
    # Scorer, gateway and workspace permissions of later releases: objects we decide by their parent or by role.
    for table in sorted(tables - {"experiment_permissions", "registered_model_permissions"}):
        if re.fullmatch(r"[a-z_]+_permissions", table):
            count = rows(f"SELECT COUNT(*) FROM {table}")[0][0]
            if count:
                unmapped.append(f"{count} row(s) of {table}: no equivalent per object; grant them with roles or groups")
    return BasicAuth(users, permissions, unmapped=unmapped)


def _read_roles(rows, users, names):
    """MLflow 3.17 and later: permissions are grants of roles; a user's own are those of the
    hidden role `__user_<id>__`, other roles' grants reach each user assigned to them."""
    members = {}
    for role_id, user_id in rows("SELECT role_id, user_id FROM user_role_assignments ORDER BY id"):
        members.setdefault(role_id, []).append(names.get(user_id, f"#{user_id}"))
    permissions, denied_everywhere, unmapped = [], [], []
    for role_id, role, workspace, resource_type, pattern, level in rows(
            "SELECT r.id, r.name, r.workspace, p.resource_type, p.resource_pattern, p.permission "
            "FROM role_permissions p JOIN roles r ON r.id = p.role_id ORDER BY p.id"):
        own = SYNTHETIC_ROLE.fullmatch(role) is not None
        grantees = members.get(role_id, [])
        via = "" if own else role
        who = ", ".join(grantees) if own else f"role {role} ({', '.join(grantees) or 'no members'})"
        kind = KINDS.get(resource_type)
        if resource_type == "workspace":
            unmapped.append(f"{who}: {level} on workspace {workspace}: the gateway decides workspaces by role or group only")
        elif kind is None:
            unmapped.append(f"{who}: {level} on {resource_type} {pattern}: no equivalent per object")
        elif pattern == "*" and level == "DENY" and workspace == DEFAULT_WORKSPACE:
            denied_everywhere.extend(Permission(kind, pattern, username, level, via) for username in grantees)
        elif pattern == "*":
            unmapped.append(f"{who}: {level} on every {resource_type}: give a client role of mlflow or a group policy instead")
        elif workspace != DEFAULT_WORKSPACE:
            unmapped.append(f"{kind} {pattern}: {who} {level} in workspace {workspace}: "
                            "the gateway decides workspaces by role or group only")
        else:
            permissions.extend(Permission(kind, pattern, username, level, via) for username in grantees)
    return BasicAuth(users, permissions, denied_everywhere, unmapped)


# Planning (pure: what Keycloak holds in, actions out)

def plan_migration(basic_auth, keycloak_users, admins, objects):
    """The actions that give basic-auth's users in Keycloak what they had in basic-auth.

    keycloak_users: the usernames Keycloak has; admins: those already holding mlflow's admin role;
    objects: (kind, id) → MlflowObject, or None when MLflow does not know it (any more)."""
    plan = Plan(unmapped=list(basic_auth.unmapped))
    missing = sorted(user for user in basic_auth.users if user not in keycloak_users)
    plan.unmapped.extend(f"user {user}: not in Keycloak; nothing of theirs migrated" for user in missing)
    for username, is_admin in sorted(basic_auth.users.items()):
        if is_admin and username in keycloak_users and username not in admins:
            plan.actions.append(AssignAdmin(username))
    by_object = {}
    for permission in basic_auth.permissions:
        by_object.setdefault((permission.kind, permission.object_id), []).append(permission)
    for key, permissions in by_object.items():
        target = objects.get(key)
        if target is None:
            who = ", ".join(sorted({p.username for p in permissions}))
            plan.unmapped.append(f"{key[0]} {key[1]}: MLflow does not know it (deleted?); permissions of {who} not migrated")
            continue
        denials = [p for p in basic_auth.denied_everywhere if p.kind == key[0]]
        plan.actions.extend(_object_actions(target, permissions + denials, keycloak_users, plan.unmapped))
    return plan


def _denied(permissions):
    """username → the DENY that decides for them. In basic-auth a DENY on an object, the user's own
    or through any of their roles, on that object or on every object of its kind, is absolute: it
    wins over every other grant, so nothing of that user's on the object is migrated. A DENY on a
    prompt counts for the registered model of that name too (both are our registered-model), and a
    workspace admin's DENY, which basic-auth ignores, still counts: both err on the side of less."""
    denied = {}
    for permission in permissions:
        if permission.level == "DENY":
            denied.setdefault(permission.username, permission)
    return denied


def _object_actions(target, permissions, keycloak_users, unmapped):
    actions = []
    denied = _denied(permissions)
    for username, permission in sorted(denied.items()):
        if username in keycloak_users:
            unmapped.append(f"{target.label()}: {username}: denied in basic-auth ({_reason(permission)}): nothing granted")
    permissions = [p for p in permissions if p.username not in denied]
    owner = target.owner
    # The first MANAGE of an object without owner is its creator's: basic-auth grants its creator
    # MANAGE when it is created. That user becomes the owner, everyone else gets grants.
    if owner is None:
        for permission in permissions:
            if permission.level == "MANAGE" and not permission.via and permission.username in keycloak_users:
                owner = permission.username
                actions.append(SetOwner(target, owner, "MANAGE in basic-auth, no owner yet"))
                break
    wanted = {}
    for permission in permissions:
        if permission.username not in keycloak_users:
            continue
        if permission.level not in SCOPES:
            unmapped.append(f"{target.label()}: {permission.username} {permission.level}: unknown permission")
            continue
        wanted.setdefault(permission.username, {})
        for scope in SCOPES[permission.level]:
            wanted[permission.username].setdefault(scope, permission)
    for username, scopes in wanted.items():
        if username == owner:
            continue
        held = set(target.scopes.get(username, ()))
        added = [scope for scope in ALL_SCOPES if scope in scopes and scope not in held]
        if not added:
            continue
        reasons = sorted({_reason(scopes[scope]) for scope in added})
        after = tuple(scope for scope in ALL_SCOPES if scope in added or scope in target.granted.get(username, ()))
        actions.append(Grant(target, username, after, "; ".join(reasons)))
    return actions


def _reason(permission):
    return (f"{permission.level} in basic-auth" + (f" on every {permission.kind}" if permission.object_id == "*" else "")
            + (f" through role {permission.via}" if permission.via else ""))


@dataclass(frozen=True)
class Candidate:
    """An object adopt would give to a user, and why."""
    kind: str
    name: str  # the MLflow name (an experiment's name, a registered model's name)
    username: object  # None when no user was found
    source: str
    object_id: object = None  # known when read from MLflow's database


def plan_adoption(candidates, keycloak_users, objects):
    """Owners for objects that have none. objects: (kind, name) → MlflowObject or None."""
    plan = Plan()
    for candidate in candidates:
        target = objects.get((candidate.kind, candidate.name))
        if target is None:
            plan.unmapped.append(f"{candidate.kind} {candidate.name}: MLflow does not know it")
        elif target.owner is not None:
            continue
        elif candidate.username is None:
            plan.unmapped.append(f"{target.label()}: no owner, and {candidate.source}")
        elif candidate.username not in keycloak_users:
            plan.unmapped.append(f"{target.label()}: {candidate.username} ({candidate.source}) is not in Keycloak")
        else:
            plan.actions.append(SetOwner(target, candidate.username, candidate.source))
    return plan


def read_mapping(path):
    """An adopt mapping: CSV with the header kind,name,username, one object a row."""
    with open(path, newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        if reader.fieldnames is None or not {"kind", "name", "username"} <= set(reader.fieldnames):
            raise MigrationError(f"{path}: the first line must be the header kind,name,username")
        candidates = []
        for number, row in enumerate(reader, start=2):
            kind, name, username = (row["kind"] or "").strip(), row["name"] or "", (row["username"] or "").strip()
            if kind not in (EXPERIMENT, REGISTERED_MODEL) or not name or not username:
                raise MigrationError(f"{path}, line {number}: want kind (experiment or registered-model), name and username")
            candidates.append(Candidate(kind, name, username, f"{path}, line {number}"))
        return candidates


def read_first_runs(backend_store_uri):
    """Adopt's candidates from MLflow's own database: each active experiment to the user of its
    first run, each registered model to the user of the run of its first version. Only objects of
    the default workspace: in other workspaces only roles and groups decide."""
    sqlalchemy = _sqlalchemy()
    engine = sqlalchemy.create_engine(backend_store_uri)
    try:
        with engine.connect() as connection:
            rows = _rows(connection, sqlalchemy)
            inspector = sqlalchemy.inspect(connection)

            def in_default_workspace(table):
                columns = {column["name"] for column in inspector.get_columns(table)}
                return f" AND workspace = '{DEFAULT_WORKSPACE}'" if "workspace" in columns else ""

            first_users = {}
            for experiment_id, user in rows(
                    "SELECT experiment_id, user_id FROM runs WHERE user_id IS NOT NULL AND user_id <> '' "
                    "ORDER BY start_time, run_uuid"):
                first_users.setdefault(str(experiment_id), user)
            candidates = []
            for experiment_id, name in rows("SELECT experiment_id, name FROM experiments WHERE lifecycle_stage = 'active'"
                                            + in_default_workspace("experiments") + " ORDER BY experiment_id"):
                user = first_users.get(str(experiment_id))
                candidates.append(Candidate(EXPERIMENT, name, user, "user of its first run" if user else "it has no run",
                                            str(experiment_id)))
            run_users = dict(rows("SELECT run_uuid, user_id FROM runs"))
            first_version_runs = {}
            for name, run_id in rows("SELECT name, run_id FROM model_versions WHERE 1 = 1"
                                     + in_default_workspace("model_versions") + " ORDER BY name, version"):
                first_version_runs.setdefault(name, run_id)
            for (name,) in rows("SELECT name FROM registered_models WHERE 1 = 1"
                                + in_default_workspace("registered_models") + " ORDER BY name"):
                user = run_users.get(first_version_runs.get(name)) or None
                candidates.append(Candidate(REGISTERED_MODEL, name, user,
                                            "user of the run of its first version" if user else "no version made from a run"))
            return candidates
    finally:
        engine.dispose()


def _sqlalchemy():
    try:
        import sqlalchemy
    except ImportError as error:
        raise MigrationError("migrate reads databases with SQLAlchemy: run it where MLflow is installed, "
                             "or pip install 'mlflow-keycloak[migrate]'") from error
    return sqlalchemy


def _safe(uri):
    """A database URI without its password, to print."""
    head, at, tail = uri.rpartition("@")
    return f"{head.split('://')[0]}://…@{tail}" if at else uri


class MigrationError(RuntimeError):
    """Migration cannot go on; the message says why."""


# Reading Keycloak, applying a plan

def load_objects(admin, keys):
    """(kind, id) → MlflowObject, or None when MLflow does not know the object."""
    return {key: admin.mlflow_object(*key) for key in keys}


def apply(plan, admin, dry_run, out=sys.stdout):
    """Carries out (or, in a dry run, prints) the plan; returns how many changes were made."""
    changes = 0
    for action in plan.actions:
        if dry_run:
            print(f"would set {action.describe()}", file=out)
            continue
        if isinstance(action, AssignAdmin):
            admin.assign_client_role(action.username, "mlflow", "admin")
            changed = True
        elif isinstance(action, SetOwner):
            owner, changed = admin.set_owner(action.target.kind, action.target.object_id, action.username)
            if not changed and owner != action.username:
                print(f"unchanged {action.target.label()}: owner is already {owner}", file=out)
                continue
        else:
            admin.set_grant(action.target.kind, action.target.object_id, action.username, action.scopes)
            changed = True
        changes += 1 if changed else 0
        print(f"set {action.describe()}", file=out)
    return changes


def report(plan, changes, dry_run, out=sys.stdout):
    if plan.unmapped:
        print("Not migrated:", file=out)
        for line in plan.unmapped:
            print(f"  {line}", file=out)
    if dry_run:
        print(f"dry run: {len(plan.actions)} change(s) planned, nothing changed; {len(plan.unmapped)} not migrated", file=out)
    else:
        print(f"{changes} change(s); {len(plan.unmapped)} not migrated", file=out)


def migrate(database_uri, admin, dry_run, out=sys.stdout):
    basic_auth = read_basic_auth(database_uri)
    keycloak_users = {user for user in basic_auth.users if admin.user_exists(user)}
    admins = {user for user in keycloak_users if basic_auth.users[user] and admin.has_client_role(user, "mlflow", "admin")}
    objects = load_objects(admin, {(p.kind, p.object_id) for p in basic_auth.permissions})
    plan = plan_migration(basic_auth, keycloak_users, admins, objects)
    changes = apply(plan, admin, dry_run, out)
    report(plan, changes, dry_run, out)
    return plan


def adopt(candidates, admin, dry_run, out=sys.stdout):
    keycloak_users = {c.username for c in candidates if c.username and admin.user_exists(c.username)}
    objects = {}
    for candidate in candidates:
        key = (candidate.kind, candidate.name)
        if key not in objects:
            objects[key] = (admin.mlflow_object(candidate.kind, candidate.object_id) if candidate.object_id
                            else admin.find_mlflow_object(candidate.kind, candidate.name))
    plan = plan_adoption(candidates, keycloak_users, objects)
    changes = apply(plan, admin, dry_run, out)
    report(plan, changes, dry_run, out)
    return plan


# How the extension's admin API begins the error of a 404 for an object MLflow does not know.
UNKNOWN_OBJECT = "MLflow knows no "


class AdminApi:
    """The extension's admin REST API (/admin/realms/<realm>/mlflow/) and Keycloak's own, with an
    admin token: users by username, client roles, and the owners and grants of MLflow objects."""

    def __init__(self, base, token, http=None):
        import requests
        self.http = http or requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.base = base  # https://host/admin/realms/<realm>
        self._user_ids = {}
        self._clients = {}

    def _call(self, method, path, expected=(200,), **kwargs):
        import requests
        try:
            response = self.http.request(method, self.base + path, timeout=60, **kwargs)
        except requests.RequestException as error:
            raise MigrationError(f"Keycloak cannot be reached: {error}") from error
        if response.status_code not in expected:
            raise MigrationError(f"{method} {path}: Keycloak answered {response.status_code} {response.text[:300]}")
        return response

    def _object_or_none(self, path, **kwargs):
        """An object of the extension's admin API; None only when the extension says MLflow does not
        know it. Any other 404 (no such API: the extension is missing or older) stops the migration
        rather than reading as "deleted"."""
        response = self._call("GET", path, expected=(200, 404), **kwargs)
        if response.status_code == 200:
            return self._with_grants(response.json())
        try:
            error = response.json().get("error", "")
        except (ValueError, AttributeError):
            error = ""
        if error.startswith(UNKNOWN_OBJECT):
            return None
        raise MigrationError(f"GET {path}: Keycloak answered 404 {response.text[:300]}: "
                             "is the mlflow-keycloak extension with its admin API installed in this realm?")

    def user_id(self, username):
        if username not in self._user_ids:
            found = self._call("GET", "/users", params={"username": username, "exact": "true"}).json()
            self._user_ids[username] = next((u["id"] for u in found if u.get("username") == username.lower()), None)
        return self._user_ids[username]

    def user_exists(self, username):
        return self.user_id(username) is not None

    def _client_role(self, client_id, role):
        if client_id not in self._clients:
            found = self._call("GET", "/clients", params={"clientId": client_id}).json()
            if not found:
                raise MigrationError(f"the realm has no client {client_id}")
            self._clients[client_id] = found[0]["id"]
        client = self._clients[client_id]
        return client, self._call("GET", f"/clients/{client}/roles/{quote(role, safe='')}").json()

    def has_client_role(self, username, client_id, role):
        client, _ = self._client_role(client_id, role)
        held = self._call("GET", f"/users/{self.user_id(username)}/role-mappings/clients/{client}").json()
        return any(r["name"] == role for r in held)

    def assign_client_role(self, username, client_id, role):
        client, representation = self._client_role(client_id, role)
        self._call("POST", f"/users/{self.user_id(username)}/role-mappings/clients/{client}",
                   expected=(204,), json=[representation])

    @staticmethod
    def _object_path(kind, object_id):
        return f"/mlflow/objects/{kind}/{quote(str(object_id), safe='')}"

    def mlflow_object(self, kind, object_id):
        return self._object_or_none(self._object_path(kind, object_id))

    def find_mlflow_object(self, kind, name):
        return self._object_or_none(f"/mlflow/objects/{kind}", params={"name": name})

    def _with_grants(self, found):
        kind, object_id = found["kind"], str(found["id"])
        scopes, granted = {}, {}
        for grant in self._call("GET", self._object_path(kind, object_id) + "/grants").json():
            if grant["principal"]["type"] != "user":
                continue
            name = grant["principal"]["name"]
            scopes.setdefault(name, set()).update(grant["scopes"])
            if grant.get("via") == "grant":
                granted.setdefault(name, set()).update(grant["scopes"])
        owner = found.get("owner")
        owner = owner.get("username") or owner.get("name") if isinstance(owner, dict) else owner
        return MlflowObject(kind, object_id, found.get("name") or object_id, owner, scopes, granted)

    def set_owner(self, kind, object_id, username):
        answer = self._call("PUT", self._object_path(kind, object_id) + "/owner",
                            json={"username": username, "onlyIfNone": True}).json()
        owner = answer.get("owner")
        owner = owner.get("username") or owner.get("name") if isinstance(owner, dict) else owner
        return owner, bool(answer.get("changed"))

    def set_grant(self, kind, object_id, username, scopes):
        self._call("PUT", self._object_path(kind, object_id) + f"/grants/user/{quote(username, safe='')}",
                   expected=(200, 204), json={"scopes": list(scopes)})


# Command line

def main(argv):
    import argparse
    import os

    import requests

    from mlflow_keycloak import access
    from mlflow_keycloak.session import LoginError
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--tracking-uri", default=os.environ.get("MLFLOW_TRACKING_URI"),
                        help="the MLflow gateway, which says where Keycloak is for device login (default: MLFLOW_TRACKING_URI)")
    common.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
    parser = argparse.ArgumentParser(
        prog="mlflow-keycloak migrate", description=__doc__ + """
Signs in as `mlflow-keycloak access` does: as the confidential client MLFLOW_KEYCLOAK_ADMIN_CLIENT_ID
(secret MLFLOW_KEYCLOAK_ADMIN_CLIENT_SECRET) of the Keycloak MLFLOW_KEYCLOAK_ISSUER names (https, or
http on this machine), or else as the admin user by device login. Either
needs realm-management's manage-authorization, view-users and manage-users (admin roles).""",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sources = parser.add_subparsers(dest="source", required=True)
    basic_auth = sources.add_parser("basic-auth", parents=[common], help="owners, grants and admins from MLflow basic-auth's database")
    basic_auth.add_argument("database", help="basic-auth's database: its SQLite file or its database_uri")
    adoption = sources.add_parser("adopt", parents=[common], help="owners for experiments and models that have none")
    given = adoption.add_mutually_exclusive_group(required=True)
    given.add_argument("--mapping", help="a CSV file with the header kind,name,username")
    given.add_argument("--first-run", metavar="BACKEND_STORE_URI",
                       help="MLflow's database (its --backend-store-uri, or its SQLite file): "
                            "each object goes to the user of its first run")
    args = parser.parse_args(argv)
    try:
        issuer = access.keycloak_issuer(args.tracking_uri)
        admin = AdminApi(access.admin_api(issuer).removesuffix("/mlflow"), access.admin_token(args.tracking_uri))
        if args.source == "basic-auth":
            migrate(database_uri(args.database), admin, args.dry_run)
        elif args.mapping:
            adopt(read_mapping(args.mapping), admin, args.dry_run)
        else:
            adopt(read_first_runs(database_uri(args.first_run)), admin, args.dry_run)
    except (LoginError, MigrationError) as error:
        print(f"mlflow-keycloak migrate: {error}", file=sys.stderr)
        return 1
    except requests.RequestException as error:
        print(f"mlflow-keycloak migrate: Keycloak cannot be reached: {error}", file=sys.stderr)
        return 1
    return 0


def database_uri(value):
    """A SQLAlchemy URI as given, or a path to a SQLite file."""
    if "://" in value:
        return value
    from pathlib import Path
    path = Path(value).resolve()
    if not path.is_file():
        raise MigrationError(f"{value}: no such file (give a SQLite file or a SQLAlchemy URI)")
    # Read-only: a migration never writes to the database it reads.
    return f"sqlite:///file:{path}?mode=ro&uri=true"
