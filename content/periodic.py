"""Housekeeping the scheduler process runs on every tick, each job registered by the app that owns it.

The scheduler belongs to ``content`` and must not import the channels, so an app registers its
job in ``AppConfig.ready`` with ``periodic_job_register``. Jobs must be idempotent and cheap
(a tick is ``SCHEDULER_INTERVAL_SECONDS``); one failing job is logged and the others still run.
"""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

_jobs: dict[str, Callable[[], object]] = {}


def periodic_job_register(name: str, job: Callable[[], object]) -> None:
    _jobs[name] = job


def periodic_jobs() -> list[str]:
    return list(_jobs)


def periodic_jobs_run() -> dict[str, object]:
    """Run every registered job once; returns each job's result (failed jobs are left out)."""
    results = {}
    for name, job in _jobs.items():
        try:
            results[name] = job()
        except Exception:  # the database or cache may be down; the next tick tries again
            logger.exception("periodic job %s failed; retrying at the next tick", name)
    return results
