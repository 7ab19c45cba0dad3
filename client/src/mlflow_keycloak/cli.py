"""mlflow-keycloak login | logout | token, for the tracking server of MLFLOW_TRACKING_URI;
mlflow-keycloak access … for realm admins (mlflow-keycloak access --help);
mlflow-keycloak migrate …, for realm admins coming from MLflow's basic-auth (mlflow-keycloak migrate --help);
mlflow-keycloak routes check, the route table against the installed MLflow."""
import argparse
import os
import sys

from mlflow_keycloak.session import LoginError, session_for_tracking_uri


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["access"]:
        from mlflow_keycloak import access
        return access.main(argv[1:])
    if argv[:1] == ["migrate"]:
        from mlflow_keycloak import migrate
        return migrate.main(argv[1:])
    if argv[:1] == ["routes"]:
        from mlflow_keycloak import routes
        return routes.main(argv[1:])
    parser = argparse.ArgumentParser(prog="mlflow-keycloak", description=__doc__)
    parser.add_argument("command", choices=["login", "logout", "token"])
    parser.add_argument("--tracking-uri", default=os.environ.get("MLFLOW_TRACKING_URI"),
                        help="the MLflow gateway (default: MLFLOW_TRACKING_URI)")
    args = parser.parse_args(argv)
    if not args.tracking_uri:
        parser.error("set MLFLOW_TRACKING_URI or pass --tracking-uri")
    try:
        session = session_for_tracking_uri(args.tracking_uri)
        if args.command == "login":
            session.login()
        elif args.command == "logout":
            session.logout()
        else:
            print(session.access_token())
    except LoginError as error:
        print(f"mlflow-keycloak: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
