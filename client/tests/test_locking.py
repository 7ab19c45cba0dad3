"""The token file's lock: processes and threads take it in turn, on POSIX and on Windows."""
import contextlib
import importlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from unittest import mock

import mlflow_keycloak
import mlflow_keycloak.cli
import mlflow_keycloak.provider
from mlflow_keycloak import locking, session as sessions
from tests.fakes import FakeMsvcrt
from tests.refresh_worker import CLIENT, ISSUER, SERVER

MODULES = ("locking", "session", "provider", "cli")


@contextlib.contextmanager
def as_on_windows():
    """The package imported afresh as on Windows, without fcntl and with a (fake) msvcrt; the
    modules of the other tests are back afterwards."""
    fake = FakeMsvcrt()
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.dict(sys.modules, {"fcntl": None, "msvcrt": fake}))
        for name in MODULES:
            stack.enter_context(mock.patch.object(mlflow_keycloak, name, getattr(mlflow_keycloak, name)))
            del sys.modules[f"mlflow_keycloak.{name}"]
        yield fake, {name: importlib.import_module(f"mlflow_keycloak.{name}") for name in MODULES}


def take_turns(locked, path, holders=4):
    """Holders, one thread each with a descriptor of its own, take the lock and note when they
    held it; returns those (start, end) intervals in order."""
    held = []

    def hold():
        with locked(path):
            start = time.monotonic()
            time.sleep(0.05)
            held.append((start, time.monotonic()))

    threads = [threading.Thread(target=hold) for _ in range(holders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(held)


class WindowsLockTest(unittest.TestCase):

    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = directory.name

    def test_without_fcntl_the_package_imports_and_signs_in_under_an_msvcrt_lock(self):
        with as_on_windows() as (fake, modules):
            self.assertIsNone(modules["locking"].fcntl)
            windows = modules["session"]
            session = windows.Session(SERVER, ISSUER, CLIENT, directory=self.directory)
            signed_in = windows._received({"access_token": "token", "expires_in": 300})
            with mock.patch.object(windows.Session, "_device_login", return_value=signed_in):
                self.assertEqual(session.access_token(), "token")

        self.assertEqual(fake.calls, [(fake.LK_NBLCK, 0, 1), (fake.LK_UNLCK, 0, 1)], "the first byte, locked and let go")
        self.assertEqual(fake.held(), [])
        with open(os.path.join(self.directory, "tokens.json"), encoding="utf-8") as file:
            self.assertEqual(list(json.load(file)), [f"{SERVER} {ISSUER} {CLIENT}"])
        self.assertIs(sys.modules["mlflow_keycloak.locking"], locking, "the other tests' modules are back")

    def test_on_windows_one_holder_at_a_time_and_the_others_wait(self):
        with as_on_windows() as (fake, modules):
            held = take_turns(modules["locking"].locked, os.path.join(self.directory, "tokens.lock"))

        self.assertEqual(len(held), 4)
        for (_, end), (start, _) in zip(held, held[1:]):
            self.assertLessEqual(end, start, "two holders at once")
        self.assertGreater(fake.refused, 0, "the holders did contend")
        self.assertEqual(fake.held(), [])

    def test_on_windows_the_lock_is_let_go_when_the_block_fails(self):
        with as_on_windows() as (fake, modules):
            path = os.path.join(self.directory, "tokens.lock")
            with self.assertRaises(KeyError):
                with modules["locking"].locked(path):
                    raise KeyError("boom")
            with modules["locking"].locked(path):
                self.assertEqual(len(fake.held()), 1)
        self.assertEqual(fake.held(), [])


class ProcessLockTest(unittest.TestCase):
    """The lock of this system (flock on Linux)."""

    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = directory.name

    def test_one_holder_at_a_time(self):
        held = take_turns(locking.locked, os.path.join(self.directory, "tokens.lock"))

        for (_, end), (start, _) in zip(held, held[1:]):
            self.assertLessEqual(end, start, "two holders at once")

    def test_two_processes_of_four_threads_refresh_one_token_file_and_lose_no_update(self):
        session = sessions.Session(SERVER, ISSUER, CLIENT, directory=self.directory)
        due = {"access_token": "0", "refresh_token": "refresh", "expires_at": 0, "lifetime": 60, "refresh_expires_at": None}
        with session._file_lock():
            session._write(due)
        environment = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(mlflow_keycloak.__file__)))
        worker = os.path.join(os.path.dirname(__file__), "refresh_worker.py")
        processes = [subprocess.Popen([sys.executable, worker, self.directory, "4", "40"], env=environment,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]

        refreshes = 0
        for process in processes:
            stdout, stderr = process.communicate(timeout=120)
            self.assertEqual(process.returncode, 0, stderr)
            self.assertEqual(stderr, "", "no process found the token file unreadable")
            refreshes += int(stdout)
        with open(os.path.join(self.directory, "tokens.json"), encoding="utf-8") as file:
            tokens = json.load(file)
        self.assertEqual(refreshes, 320)
        self.assertEqual(tokens[session.key]["access_token"], str(refreshes), "each refresh built on the last one")


if __name__ == "__main__":
    unittest.main()
