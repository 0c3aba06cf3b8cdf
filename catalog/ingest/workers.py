"""Start-up of the importer's worker processes; imports no Django (a spawned
worker imports only the modules its functions live in)."""

import os
import threading
import time

# Seconds between two looks at whether the parent process is still there.
PARENT_POLL = 0.2


def exit_with_parent(parent: int) -> None:
    """Exit this process once ``parent`` is gone. A killed importer cannot
    shut its pool down, and its worker would wait for work forever."""
    threading.Thread(
        target=_watch_parent, args=(parent,), name="exit-with-parent", daemon=True
    ).start()


def _watch_parent(parent: int) -> None:
    # An orphan is adopted by another process: its parent id changes.
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)
