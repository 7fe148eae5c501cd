"""Run one function over many jobs in parallel: a local pool of processes, or a Dask cluster.

run_jobs(fn, [job, ...]) --> [(job, fn(job) or the Exception that stopped it), ...], in the order of the jobs

Locally, jobs run in a `spawn` pool of processes; with a scheduler address, on the workers of a
`dask.distributed` cluster (the optional extra: pip install 'autoencoders[cluster]'). Either way each job runs
alone in its process, with one BLAS thread, and a job whose process died is retried before it is reported.
"""

import concurrent.futures as cf
import multiprocessing
import os
import re
import threading
import traceback
import uuid
from dataclasses import dataclass

from .progress import progress_bar

# one thread (BLAS) and one process (joblib's loky, e.g. notebook 04's Parallel(n_jobs=-1)) per grading job: a
# pool of n_cores jobs already fills the cores, and a 64-core worker must not start 64 processes in one sandbox
ONE_CORE = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "LOKY_MAX_CPU_COUNT")
CONNECT_TIMEOUT = 10  # seconds to reach a scheduler, and for it to have a worker
INSTALL = "pip install 'autoencoders[cluster]'"
ADDRESS = re.compile(r"(tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})")
EXAMPLE = "tcp://10.0.0.5:8786"


def n_cores():
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_jobs(fn, jobs, n_jobs=None, progress=True, scheduler=None, attempts=2, desc="jobs"):
    """[(job, result)] for every job, in the order of jobs; result is fn(job)'s value or an Exception.

    Args:
        fn: a function of one job, importable by the worker processes (defined at the top of a module);
            jobs and return values must pickle.
        jobs: the jobs.
        n_jobs: processes of the local pool (default: the number of cores); unused with a scheduler.
        progress: show a progress bar.
        scheduler: None (a local pool), a Dask scheduler address such as tcp://10.0.0.5:8786, or a
            distributed.Client (not closed here).
        attempts: how many times a job whose process died, or that could not start, is run (>= 1).
        desc: the progress bar's label.
    Returns:
        An exception raised by fn is that job's result (not retried: it would be raised again). A job still
        failing after `attempts` runs has the last failure as its result, e.g. BrokenProcessPool (a local
        worker died) or KilledWorker (a cluster worker died; the scheduler's own
        distributed.scheduler.allowed-failures retries come on top of ours).
    Raises:
        ValueError: a bad scheduler address, an unreachable scheduler or one without workers, dask missing.
    """
    if attempts < 1:
        raise ValueError(f"attempts must be >= 1, got {attempts}")
    jobs = list(jobs)
    call = _Call(fn)
    results = {}
    bar = progress_bar(None, desc, progress, total=len(jobs))
    try:
        with _LocalPool(n_jobs or n_cores()) if scheduler is None else _Cluster(scheduler) as backend:
            pending = list(range(len(jobs)))
            for attempt in range(attempts):
                retry = []
                for i, (ran, value) in backend.run(call, [(i, jobs[i]) for i in pending], first=attempt == 0):
                    if not ran and attempt + 1 < attempts:
                        retry.append(i)
                        continue
                    results[i] = value
                    if bar is not None:
                        bar.update(1)
                pending = retry
                if not pending:
                    break
    finally:
        if bar is not None:
            bar.close()
    return [(job, results[i]) for i, job in enumerate(jobs)]


def check_scheduler(scheduler):
    """Raise the ValueError run_jobs would for this scheduler (None: nothing to check), before any work starts."""
    if scheduler is not None:
        with _Cluster(scheduler):
            pass


# ------------------------------------------------------------------ the worker side


_ONE_AT_A_TIME = threading.Lock()  # a Dask worker may run several threads: grading changes the cwd


def _limit_blas_threads():
    # kernels inherit this: one core each, so parallel jobs do not fight over the cores
    for var in ONE_CORE:
        os.environ.setdefault(var, "1")


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker, as its __cause__ (as concurrent.futures does)."""

    def __str__(self):
        return self.args[0]


@dataclass
class _Raised:
    """fn raised: the exception and its formatted traceback, so it comes back as a result, not as a failure."""

    exception: BaseException
    traceback: str

    def unwrap(self):
        self.exception.__cause__ = RemoteTraceback(self.traceback)
        return self.exception


@dataclass(frozen=True)
class _Call:
    """fn(job) in a worker: BLAS threads limited, one job at a time in the process, fn's exceptions returned."""

    fn: object

    def __call__(self, job):
        _limit_blas_threads()
        with _ONE_AT_A_TIME:
            try:
                return self.fn(job)
            except Exception as exc:
                return _Raised(exc, traceback.format_exc())


def _outcome(future):
    """(True, fn's value or exception) when the job ran, (False, the failure) when its process died or it did not
    start: concurrent.futures and Dask futures alike."""
    try:
        value = future.result()
    except Exception as exc:
        return False, exc
    return True, value.unwrap() if isinstance(value, _Raised) else value


# ------------------------------------------------------------------ the local pool


class _LocalPool:
    """A spawn pool of n processes; a retry runs each job in a process of its own, so that a job that kills its
    process cannot take the other retried jobs down with it (a pool whose process died fails every job left)."""

    def __init__(self, n):
        self.n = max(1, n)
        self.context = multiprocessing.get_context("spawn")  # no forked copies of zmq/asyncio state

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, call, items, first):
        """Yield (index, _outcome) for each (index, job) of items, as they finish."""
        if not items:
            return
        if first:
            pool = cf.ProcessPoolExecutor(max_workers=min(self.n, len(items)), mp_context=self.context)
            submit = pool.submit
        else:
            pool = cf.ThreadPoolExecutor(max_workers=min(self.n, len(items)))

            def submit(call, job):
                return pool.submit(self._alone, call, job)

        with pool:
            futures = {submit(call, job): i for i, job in items}
            for future in cf.as_completed(futures):
                yield futures[future], _outcome(future)

    def _alone(self, call, job):
        with cf.ProcessPoolExecutor(max_workers=1, mp_context=self.context) as pool:
            return pool.submit(call, job).result()


# ------------------------------------------------------------------ a Dask cluster


class _Cluster:
    """The workers of a Dask scheduler, through a distributed.Client (ours, closed on exit, or the caller's)."""

    def __init__(self, scheduler):
        self.scheduler = scheduler
        self.client = None
        self.owned = isinstance(scheduler, str)

    def __enter__(self):
        if not self.owned:
            if not hasattr(self.scheduler, "submit"):
                raise ValueError(
                    f"scheduler must be an address such as {EXAMPLE} or a distributed.Client, got {self.scheduler!r}"
                )
            self.client = self.scheduler
            return self
        self.client = _connect(self.scheduler)
        return self

    def __exit__(self, *exc):
        if self.owned and self.client is not None:
            self.client.close()
        return False

    def run(self, call, items, first):
        """Yield (index, _outcome) for each (index, job) of items, as they finish on the workers."""
        from distributed import as_completed

        name = getattr(call.fn, "__name__", "job")
        futures = {self.client.submit(call, job, key=f"{name}-{uuid.uuid4().hex}", pure=False): i for i, job in items}
        for future in as_completed(futures, loop=self.client.loop):
            yield futures.pop(future), _outcome(future)  # dropping the future frees its result on the cluster


def _connect(address):
    """A distributed.Client on address, with at least one worker; ValueError saying what to do otherwise."""
    address = address.strip()
    if not ADDRESS.fullmatch(address) or not 0 < int(ADDRESS.fullmatch(address).group(3)) < 65536:
        raise ValueError(
            f"the scheduler must be a Dask scheduler address such as {EXAMPLE} (tcp:// or tls://, a host and "
            f"a port), got {address!r}"
        )
    try:
        from distributed import Client
    except ImportError as exc:
        raise ValueError(f"grading on a cluster needs dask.distributed, which is not installed: {INSTALL}") from exc
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ValueError(
            f"cannot reach the Dask scheduler at {address} within {CONNECT_TIMEOUT} s ({exc}): is `dask scheduler` "
            "running there, and is its port open from this machine?"
        ) from exc
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise ValueError(
            f"the Dask scheduler at {address} has no workers after {CONNECT_TIMEOUT} s: start some on the "
            f"grading machines with `dask worker {address} --nthreads 1 --nworkers <cores>`"
        ) from exc
    return client
