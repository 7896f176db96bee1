"""The production task worker (``manage.py run_worker``): django-tasks-db's own ``Worker`` loop, plus

- a heartbeat thread that writes ``TaskWorker.last_seen`` every ``TASKS_WORKER_HEARTBEAT_SECONDS``
  and puts back tasks orphaned by lost workers every ``TASKS_WORKER_LOST_AFTER_SECONDS``;
- a database that may go away: a database error out of the loop is logged, connections are closed,
  and the loop resumes after a bounded backoff, with the same worker id and task count.

SIGTERM/SIGINT are the library's: finish the current task, then stop; the worker removes its row.
"""

import logging
import os
import socket
import threading
import time
from datetime import datetime

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker

from .services import tasks_orphans_recover, worker_heartbeat, worker_tasks_release, worker_unregister

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
BACKOFF_FIRST = 1.0  # seconds before the first attempt to resume, doubling up to BACKOFF_MAX
BACKOFF_MAX = 10.0  # so a worker is back within seconds of the database


def worker_id_new() -> str:
    """``host-pid-random``: readable in logs and in a task's ``worker_ids``, unique across
    machines and restarts; at most 64 characters (django-tasks-db's limit)."""
    return f"{socket.gethostname()[:45]}-{os.getpid()}-{get_random_string(8)}"


class Heartbeat(threading.Thread):
    """Keeps this worker's ``TaskWorker`` row fresh and, less often, recovers orphaned tasks.

    A thread of its own, so a long task does not make its worker look lost. It never stops on an
    error: a worker whose heartbeat died would have its running task taken from it.
    """

    def __init__(self, worker_id: str, *, every: float, recover_every: float):
        super().__init__(name="task-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.recover_every = recover_every
        self.started = timezone.now()
        self._next_recovery = 0.0  # the first beat recovers
        self._failing = False  # one warning per outage, not one per beat
        self._stopping = threading.Event()

    def beat(self, now: datetime | None = None) -> None:
        try:
            worker_heartbeat(self.worker_id, started_at=self.started, now=now)
            if self._failing:
                logger.info("task worker %s: heartbeat written again", self.worker_id)
                self._failing = False
            if time.monotonic() >= self._next_recovery:
                tasks_orphans_recover(now)
                self._next_recovery = time.monotonic() + self.recover_every
        except DATABASE_ERRORS as error:
            logger.log(
                logging.DEBUG if self._failing else logging.WARNING,
                "task worker %s: heartbeat not written, database unavailable (%s); trying every %s s",
                self.worker_id,
                _error_line(error),
                self.every,
            )
            self._failing = True
            _connections_close()
        except Exception:
            logger.exception("task worker %s: heartbeat failed; next try in %s s", self.worker_id, self.every)

    def run(self) -> None:
        try:
            while not self._stopping.wait(self.every):
                self.beat()
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self._stopping.set()
        if self.is_alive():
            self.join(timeout=10)


def worker_run(
    *,
    queue_names: list[str],
    interval: float,
    batch: bool = False,
    max_tasks: int | None = None,
    startup_delay: bool = True,
) -> None:
    """Run tasks until stopped by a signal, or until ``batch`` / ``max_tasks`` says so."""
    worker_id = worker_id_new()
    worker = Worker(
        queue_names=queue_names,
        interval=interval,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=startup_delay,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.configure_signals()
    heartbeat = Heartbeat(
        worker_id,
        every=settings.TASKS_WORKER_HEARTBEAT_SECONDS,
        recover_every=settings.TASKS_WORKER_LOST_AFTER_SECONDS,
    )
    try:
        heartbeat.beat()  # registered, and tasks orphaned while no worker ran are back, before the first claim
        heartbeat.start()
        logger.info("task worker %s started (queues %s)", worker_id, ",".join(queue_names))
        _run_through_outages(worker)
    finally:
        heartbeat.stop()
        try:
            worker_unregister(worker_id)
        except DATABASE_ERRORS as error:  # the row goes stale and is pruned by the next recovery
            logger.warning("task worker %s: row not removed (%s)", worker_id, _error_line(error))
        logger.info("task worker %s stopped", worker_id)


def _run_through_outages(worker: Worker) -> None:
    backoff = BACKOFF_FIRST
    release = False
    while True:
        started = time.monotonic()
        try:
            if release:
                worker_tasks_release(worker.worker_id)
                release = False
            worker.run()
            return
        except DATABASE_ERRORS as error:
            if not worker.running:  # asked to stop while the task ended on the error
                return
            if time.monotonic() - started > BACKOFF_MAX:
                backoff = BACKOFF_FIRST  # it had been working: a new outage starts from the shortest wait
            # The loop may have stopped between running a task and recording its outcome: once the
            # database is back, what this worker still holds goes back to the queue.
            release = True
            logger.warning(
                "task worker %s: database unavailable (%s); resuming in %s s",
                worker.worker_id,
                _error_line(error),
                backoff,
            )
            _connections_close()
            time.sleep(backoff)  # SIGTERM here exits at once (the library's handler: no task running)
            backoff = min(backoff * 2, BACKOFF_MAX)


def _error_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def _connections_close() -> None:
    # A dead connection must not be reused; never inside a caller's transaction (tests, scripts).
    if not connection.in_atomic_block:
        connections.close_all()
