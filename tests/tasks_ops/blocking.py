"""A task for the real-process test (test_worker_process.py), imported by the worker it starts.

Each run appends a line to ``runs`` when it starts, waits while the file ``hold`` exists, then
appends a line to ``done``: a run killed while it waits leaves ``runs`` without ``done``.
"""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def task_block(folder: str) -> None:
    folder = Path(folder)
    with open(folder / "runs", "a") as runs:
        runs.write(f"{os.getpid()}\n")
    deadline = time.monotonic() + 60  # never hold a worker forever if the test went away
    while (folder / "hold").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    with open(folder / "done", "a") as done:
        done.write(f"{os.getpid()}\n")
