"""What the pool tests run in worker processes: defined in a module, so that spawned and Dask workers import it.

A job is (kind, value, log): log is a folder where each run appends a line to <kind>-<value>, or None.
"""

import os
import time
from pathlib import Path

from autoencoders.course.pool import ONE_CORE


def run(job):
    """square: value squared (after value/10 s); raise: ValueError; die: the process exits; env: its BLAS env."""
    kind, value, log = job
    if log is not None:
        with open(Path(log) / f"{kind}-{value}", "a") as f:
            f.write(f"{os.getpid()}\n")
    if kind == "square":
        time.sleep(value / 10)
        return value * value
    if kind == "raise":
        raise ValueError(f"job {value} is wrong")
    if kind == "die":
        time.sleep(value / 10)
        os._exit(3)  # as a crash would: no exception, no clean-up
    if kind == "env":
        return {var: os.environ.get(var) for var in ONE_CORE}
    raise AssertionError(f"unknown kind {kind!r}")


def runs(log, kind, value):
    """How many times job (kind, value) started."""
    path = Path(log) / f"{kind}-{value}"
    return len(path.read_text().splitlines()) if path.exists() else 0
