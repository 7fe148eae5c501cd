"""autoencoders.course.pool: jobs run in a local process pool and on a real Dask LocalCluster alike.

Each worker process imports the kit (a few seconds), so the jobs that behave are run once per backend (the
`batch` fixture) and the tests read that run.
"""

import socket
import sys
import time

import pytest

from autoencoders.course import pool
from autoencoders.course.pool import ONE_CORE, run_jobs
from tests.unit.course.pool_jobs import run, runs

BACKENDS = ["local pool", "LocalCluster"]
JOBS = [("square", 5, None), ("square", 0, None), ("raise", 2, None), ("square", 1, None), ("env", 0, None)]


@pytest.fixture(scope="module")
def no_blas_env():
    """No BLAS variable in this process's environment, as on a machine where nobody set one."""
    with pytest.MonkeyPatch.context() as mp:
        for var in ONE_CORE:
            mp.delenv(var, raising=False)
        yield


@pytest.fixture(scope="module")
def cluster(no_blas_env):
    """Two worker processes of one thread; retries counted by run_jobs alone, BLAS env left to run_jobs."""
    pytest.importorskip("distributed")
    import dask
    from distributed import LocalCluster

    settings = {
        "distributed.scheduler.allowed-failures": 0,  # a worker that dies fails its task at once: ours to retry
        "distributed.scheduler.worker-saturation": 1.0,  # one task per thread: no other job dies with the worker
        "distributed.nanny.pre-spawn-environ": {},  # Dask sets OMP_NUM_THREADS=1 itself otherwise
    }
    with dask.config.set(settings):
        with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as cluster:
            yield cluster


def address(backend, request):
    """run_jobs's scheduler for a backend: None (the local pool) or the LocalCluster's address."""
    return None if backend == "local pool" else request.getfixturevalue("cluster").scheduler_address


@pytest.fixture(scope="module", params=BACKENDS)
def batch(request, no_blas_env, tmp_path_factory):
    """JOBS (logging their runs) through run_jobs on one backend: (jobs, results, log folder)."""
    log = tmp_path_factory.mktemp("runs")
    jobs = [(kind, value, log) for kind, value, _ in JOBS]
    return jobs, run_jobs(run, jobs, n_jobs=2, progress=False, scheduler=address(request.param, request)), log


def test_every_job_comes_back_in_the_order_given(batch):
    """Does each job get its own result, however they finish (the first one finishes last)?"""
    jobs, results, _ = batch
    assert [job for job, _ in results] == jobs
    assert [r for (kind, _, _), r in results if kind == "square"] == [25, 0, 1]


def test_an_exception_in_fn_is_that_jobs_result(batch):
    """Is fn's exception returned, with the worker's traceback as its cause, after one run only?"""
    _, results, log = batch
    error = results[2][1]
    assert isinstance(error, ValueError) and str(error) == "job 2 is wrong"
    assert "pool_jobs.py" in str(error.__cause__) and "raise ValueError" in str(error.__cause__)
    assert runs(log, "raise", 2) == 1  # not retried: it would only raise again


def test_blas_runs_one_thread_in_the_worker(batch):
    """Does the worker (and so each kernel it starts) see one BLAS thread, this process having none set?"""
    assert results_of(batch, "env") == {var: "1" for var in ONE_CORE}


def results_of(batch, kind):
    _, results, _ = batch
    [found] = [r for (k, _, _), r in results if k == kind]
    return found


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_dying_worker_is_retried_then_reported(backend, request, tmp_path):
    """Does a job that kills its process run twice, then come back as an exception, with the other jobs done?"""
    jobs = [("square", 3, tmp_path), ("die", 1, tmp_path)]  # the square still runs when the other dies
    results = dict(run_jobs(run, jobs, n_jobs=2, progress=False, scheduler=address(backend, request)))
    assert results[jobs[0]] == 9
    assert type(results[jobs[1]]).__name__ in ("BrokenProcessPool", "KilledWorker"), repr(results[jobs[1]])
    assert runs(tmp_path, "die", 1) == 2


def test_a_client_can_be_given_and_stays_open(cluster):
    from distributed import Client

    with Client(cluster, set_as_default=False) as client:
        assert run_jobs(run, [("square", 2, None)], progress=False, scheduler=client) == [(("square", 2, None), 4)]
        assert client.status == "running"


@pytest.mark.parametrize(
    "address", ["10.0.0.5:8786", "tcp://10.0.0.5", "http://10.0.0.5:8786", "tcp://10.0.0.5:99999", "", "tcp://:1"]
)
def test_a_bad_address_says_what_one_looks_like(address):
    start = time.monotonic()
    with pytest.raises(ValueError, match=r"must be a Dask scheduler address such as tcp://10\.0\.0\.5:8786"):
        run_jobs(run, [("square", 1, None)], progress=False, scheduler=address)
    assert time.monotonic() - start < 1


def test_an_unreachable_scheduler_is_reported_within_the_timeout(monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(pool, "CONNECT_TIMEOUT", 2)
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.monotonic()
    with pytest.raises(ValueError, match=rf"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:{port} within 2 s"):
        pool.check_scheduler(f"tcp://127.0.0.1:{port}")
    assert time.monotonic() - start < 10


def test_a_scheduler_without_workers_is_reported(monkeypatch):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    monkeypatch.setattr(pool, "CONNECT_TIMEOUT", 1)
    with LocalCluster(n_workers=0, processes=False, protocol="tcp", dashboard_address=":0") as empty:
        with pytest.raises(ValueError, match=r"has no workers after 1 s: start some .* `dask worker tcp://"):
            run_jobs(run, [("square", 1, None)], progress=False, scheduler=empty.scheduler_address)


def test_dask_missing_says_which_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now raises ImportError
    with pytest.raises(ValueError, match=r"pip install 'autoencoders\[cluster\]'"):
        pool.check_scheduler("tcp://127.0.0.1:8786")


def test_anything_else_is_not_a_scheduler():
    with pytest.raises(ValueError, match="or a distributed.Client"):
        run_jobs(run, [], progress=False, scheduler=8786)
    with pytest.raises(ValueError, match="attempts must be >= 1"):
        run_jobs(run, [], attempts=0)
    assert pool.check_scheduler(None) is None and run_jobs(run, [], progress=False) == []
