"""A lock on a file that the user's processes take in turn: fcntl.flock on POSIX, msvcrt.locking
on Windows, which has no fcntl."""
import os
import time
from contextlib import contextmanager

try:
    import fcntl
except ImportError:
    fcntl = None
    import msvcrt

# msvcrt's blocking mode gives up after 10 tries a second apart, and a device login holds the
# lock for minutes: a waiting Windows process tries again itself, this often.
_RETRY_SECONDS = 0.05


@contextmanager
def locked(path):
    """Holds the exclusive lock of the file at path (made, 0600, if missing) while the block runs;
    waits for it as long as another holder keeps it."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _lock(descriptor)
        try:
            yield
        finally:
            _unlock(descriptor)
    finally:
        os.close(descriptor)


if fcntl:
    def _lock(descriptor):
        fcntl.flock(descriptor, fcntl.LOCK_EX)

    def _unlock(descriptor):
        fcntl.flock(descriptor, fcntl.LOCK_UN)
else:
    # msvcrt locks bytes from the file position: here the first byte, as nothing moves it.
    def _lock(descriptor):
        while True:
            try:
                msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
                return
            except PermissionError:  # EACCES: another handle holds it
                time.sleep(_RETRY_SECONDS)

    def _unlock(descriptor):
        # Explicitly: Windows releases the locks of a closed handle only at some later time.
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
