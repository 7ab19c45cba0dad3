"""Run by test_locking as one of several processes: THREADS threads each take a token of one
server ROUNDS times from the token file in DIRECTORY, whose tokens are always due for a refresh.
Each refresh counts one up from the token it read; the process prints how many it made.

    python refresh_worker.py DIRECTORY THREADS ROUNDS"""
import sys
import threading

from mlflow_keycloak import session as sessions

SERVER, ISSUER, CLIENT = "https://mlflow.example.com", "http://keycloak/realms/mlflow", "mlflow-cli"


class CountingSession(sessions.Session):

    def _refresh(self, tokens):
        # An update lost between processes shows as a count lower than the refreshes made.
        return dict(tokens, access_token=str(int(tokens["access_token"]) + 1))

    def _device_login(self):
        raise AssertionError("the token file lost the login")


def main(directory, threads, rounds):
    session = CountingSession(SERVER, ISSUER, CLIENT, directory=directory)
    failures = []

    def refresh():
        try:
            for _ in range(rounds):
                session.access_token()
        except BaseException as failure:
            failures.append(failure)

    workers = [threading.Thread(target=refresh) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise failures[0]
    print(threads * rounds)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
