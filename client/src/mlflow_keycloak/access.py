"""mlflow-keycloak access: grant, revoke, list and explain who may do what with one experiment or
registered model, through the extension's admin API (/admin/realms/<realm>/mlflow/objects/...).

Signs in as a Keycloak realm admin (realm-management's view-authorization to read,
manage-authorization to change, or the fine-grained admin permissions for client mlflow):
- with MLFLOW_KEYCLOAK_ADMIN_CLIENT_ID and MLFLOW_KEYCLOAK_ADMIN_CLIENT_SECRET set, as that
  confidential client's service account (client credentials: for scripts and CI). Keycloak's
  address is then MLFLOW_KEYCLOAK_ISSUER (https://host/realms/<realm>; http only on this machine),
  never the one the gateway advertises: the secret goes there;
- otherwise as the admin user themself, by the device login `mlflow-keycloak login` uses (the
  same token file), so an admin who has signed in to MLflow is signed in here too. Keycloak's
  address comes from the gateway (MLFLOW_TRACKING_URI), or MLFLOW_KEYCLOAK_ISSUER."""
import argparse
import ipaddress
import json
import os
import sys
from urllib.parse import quote, urlsplit

import requests

from mlflow_keycloak.session import TIMEOUT, LoginError, discover, server_url, session_for_tracking_uri

KINDS = ("experiment", "registered-model")
SCOPES = ("read", "update", "delete", "manage")
PRINCIPAL_TYPES = ("user", "group", "role")


class AccessError(RuntimeError):
    """The admin API refused or failed; the message is its own."""


def admin_api(issuer):
    """The extension's admin API of the realm an issuer URL (https://host/realms/<realm>) names."""
    parts = urlsplit(issuer)
    base, marker, realm = parts.path.rstrip("/").rpartition("/realms/")
    if not marker or not realm or "/" in realm:
        raise LoginError(f"{issuer} is not a Keycloak realm's URL (https://host/realms/<realm>).")
    return f"{parts.scheme}://{parts.netloc}{base}/admin/realms/{realm}/mlflow"


def principal(text):
    """user:bob, group:data-team, role:mlflow/viewer → (type, name)."""
    kind, colon, name = text.partition(":")
    if not colon or kind not in PRINCIPAL_TYPES or not name:
        raise argparse.ArgumentTypeError(f"'{text}' is not user:NAME, group:PATH or role:NAME (role:CLIENT/NAME for a client's role)")
    return kind, name


def parser():
    main = argparse.ArgumentParser(prog="mlflow-keycloak access", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    main.add_argument("--tracking-uri", default=os.environ.get("MLFLOW_TRACKING_URI"),
                      help="the MLflow gateway, which says where Keycloak is for device login (default: MLFLOW_TRACKING_URI)")
    main.add_argument("--json", action="store_true", help="print the admin API's JSON answer as it is")
    actions = main.add_subparsers(dest="action", required=True)

    def on_object(name, help_text):
        action = actions.add_parser(name, help=help_text, description=help_text)
        action.add_argument("kind", choices=KINDS)
        action.add_argument("object", help="the MLflow name (a registered model's name is its id)")
        action.add_argument("--id", action="store_true", help="OBJECT is an experiment's id, not its name")
        return action

    grant = on_object("grant", "give a user, group or role exactly these scopes on the object")
    grant.add_argument("principal", type=principal, help="user:NAME, group:PATH or role:NAME / role:CLIENT/NAME")
    grant.add_argument("scopes", nargs="+", choices=SCOPES)
    revoke = on_object("revoke", "take an admin grant away (an owner's shares are the owner's: Account Console)")
    revoke.add_argument("principal", type=principal)
    on_object("list", "the admin grants and the owner's shares on the object")
    explain = on_object("explain", "which scopes a user holds and why; without --user, who can reach the object")
    explain.add_argument("--user", help="the username to explain")
    owner = on_object("owner", "make a user the object's owner")
    owner.add_argument("username")
    owner.add_argument("--only-if-none", action="store_true", help="leave an existing owner as it is")
    return main


class AccessApi:
    """The admin API, with a bearer token of a realm admin."""

    def __init__(self, base, token, http=requests):
        self.base = base
        self.token = token
        self.http = http

    def call(self, method, path, body=None, params=None):
        response = self.http.request(method, self.base + path, json=body, params=params, timeout=TIMEOUT,
                                     headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"})
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code != 200:
            message = answer.get("error") if isinstance(answer, dict) else None
            raise AccessError(f"{response.status_code}: {message or response.text[:200] or 'no answer'}")
        return answer

    def object_path(self, kind, name, by_id):
        """objects/<kind>/<id>, finding an experiment's id by its name first."""
        if kind == "experiment" and not by_id:
            name = self.call("GET", f"/objects/{kind}", params={"name": name})["id"]
        return f"/objects/{kind}/{quote(name, safe='')}"


def run(args, api):
    """Does what the arguments ask; returns the admin API's answer and its text for people."""
    path = api.object_path(args.kind, args.object, args.id)
    if args.action == "grant" or args.action == "revoke":
        kind, name = args.principal
        grant_path = f"{path}/grants/{kind}/{quote(name, safe='/')}"
        if args.action == "grant":
            answer = api.call("PUT", grant_path, body={"scopes": sorted(set(args.scopes))})
        else:
            answer = api.call("DELETE", grant_path)
        return answer, describe_grant(answer)
    if args.action == "list":
        answer = api.call("GET", f"{path}/grants")
        return answer, "\n".join(describe_grant(grant) for grant in answer) or "no grants or shares"
    if args.action == "owner":
        answer = api.call("PUT", f"{path}/owner", body={"username": args.username, "onlyIfNone": args.only_if_none})
        state = "now owned by" if answer.get("changed") else "left as it is, owned by"
        return answer, f"{args.kind} {answer['name']}: {state} {answer.get('owner')}"
    params = {"user": args.user} if args.user else None
    answer = api.call("GET", f"{path}/explain", params=params)
    return answer, describe_explanation(answer)


def describe_grant(grant):
    who = f"{grant['principal']['type']} {grant['principal']['name']}"
    scopes = ", ".join(grant["scopes"]) or "nothing (revoked)"
    shared = f" (shared by {grant['sharedBy']})" if grant.get("via") == "share" else ""
    return f"{who}: {scopes} via {grant['via']}{shared}"


def describe_explanation(answer):
    lines = [f"{answer['kind']} {answer['name']} ({answer['id']}), owner: {answer.get('owner') or 'none'}"]
    if "user" in answer:
        for scope in answer["scopes"]:
            if scope["granted"]:
                reasons = "; ".join(_reason(reason) for reason in scope["reasons"]) or "granted"
                lines.append(f"  {scope['scope']}: yes, {reasons}")
            else:
                ask = f"its owner {answer['owner']} or an MLflow admin" if answer.get("owner") else "an MLflow admin"
                lines.append(f"  {scope['scope']}: no (ask {ask})")
    else:
        for entry in answer["access"]:
            lines.append(f"  {', '.join(entry['scopes'])} on {entry['appliesTo']}: {_reason(entry)}")
    return "\n".join(lines)


def _reason(reason):
    who = []
    for policy in reason.get("policies", []):
        names = [f"{p['type']} {p['name']}" for p in policy.get("principals", [])]
        negative = " (negative)" if policy.get("logic") == "negative" else ""
        who.append((", ".join(names) or policy["name"]) + negative)
    shared = f", shared by {reason['sharedBy']}" if reason.get("sharedBy") else ""
    return f"{reason['via']} '{reason['permission']}'{shared}" + (f" [{'; '.join(who)}]" if who else "")


def admin_client():
    """The admin client's (id, secret), or None to sign in by device login."""
    client_id = os.environ.get("MLFLOW_KEYCLOAK_ADMIN_CLIENT_ID")
    secret = os.environ.get("MLFLOW_KEYCLOAK_ADMIN_CLIENT_SECRET")
    if client_id and secret:
        return client_id, secret
    if client_id or secret:
        raise LoginError("Set both MLFLOW_KEYCLOAK_ADMIN_CLIENT_ID and MLFLOW_KEYCLOAK_ADMIN_CLIENT_SECRET, or neither.")
    return None


def admin_client_issuer():
    """The only issuer the admin client's secret is sent to: the one MLFLOW_KEYCLOAK_ISSUER names,
    never one a gateway advertises (a hostile or intercepted gateway would receive a realm admin's
    secret), over https unless Keycloak is on this machine."""
    issuer = os.environ.get("MLFLOW_KEYCLOAK_ISSUER", "").strip().rstrip("/")
    if not issuer:
        raise LoginError("MLFLOW_KEYCLOAK_ADMIN_CLIENT_ID and _SECRET need MLFLOW_KEYCLOAK_ISSUER "
                         "(https://host/realms/<realm>): the client's secret goes only to a Keycloak you name, "
                         "never to one the gateway advertises.")
    parts = urlsplit(issuer)
    if (parts.scheme == "https" and parts.hostname) or (parts.scheme == "http" and _loopback(parts.hostname)):
        return issuer
    raise LoginError(f"MLFLOW_KEYCLOAK_ISSUER {issuer} must be an https URL (http only for localhost, "
                     "127.0.0.0/8 or ::1): the admin client's secret is sent there.")


def _loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def admin_token(tracking_uri, http=requests):
    """A realm admin's access token: the admin client's service account, or the user's device login."""
    client = admin_client()
    if client:
        client_id, secret = client
        response = http.post(f"{admin_client_issuer()}/protocol/openid-connect/token", timeout=TIMEOUT, data={
            "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
        if response.status_code != 200:
            raise LoginError(f"Keycloak refused the admin client {client_id}: {response.status_code} {response.text[:200]}")
        return response.json()["access_token"]
    if not tracking_uri:
        raise LoginError("Set MLFLOW_TRACKING_URI (or --tracking-uri) to sign in by device login, "
                         "or MLFLOW_KEYCLOAK_ADMIN_CLIENT_ID, _SECRET and MLFLOW_KEYCLOAK_ISSUER.")
    return session_for_tracking_uri(tracking_uri).access_token()


def keycloak_issuer(tracking_uri):
    """The realm's issuer. With the admin client, MLFLOW_KEYCLOAK_ISSUER alone; with device login,
    as `mlflow-keycloak login` finds it: asked of the gateway at tracking_uri, else MLFLOW_KEYCLOAK_ISSUER."""
    if admin_client():
        return admin_client_issuer()
    if tracking_uri:
        issuer, _ = discover(server_url(tracking_uri))
        return issuer
    if os.environ.get("MLFLOW_KEYCLOAK_ISSUER"):
        return os.environ["MLFLOW_KEYCLOAK_ISSUER"].rstrip("/")
    raise LoginError("Set MLFLOW_TRACKING_URI (or --tracking-uri), or MLFLOW_KEYCLOAK_ISSUER.")


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        issuer = keycloak_issuer(args.tracking_uri)
        api = AccessApi(admin_api(issuer), admin_token(args.tracking_uri))
        answer, text = run(args, api)
    except (LoginError, AccessError) as error:
        print(f"mlflow-keycloak access: {error}", file=sys.stderr)
        return 1
    except requests.RequestException as error:
        print(f"mlflow-keycloak access: Keycloak cannot be reached: {error}", file=sys.stderr)
        return 1
    print(json.dumps(answer, indent=2) if args.json else text)
    return 0
