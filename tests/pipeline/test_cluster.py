"""autograde on a Dask cluster: a real LocalCluster of worker processes grades as the local pool does."""

from pathlib import Path

import pytest

from tests.pipeline.submissions import TOY, WRONG_SIGMOID, edited, grade_toy, perfect, write_submission

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread each, as `dask worker --nworkers 2 --nthreads 1` would give."""
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as cluster:
        yield cluster


def points(rows):
    """{(student, exercise): (status, points)} of graded rows."""
    return {(r.student, r.exercise): (r.status, r.points) for r in rows if r.status != "note"}


def test_a_cluster_grades_as_the_local_pool_does(released, cluster, tmp_path):
    """Do a perfect and a wrong-sigmoid toy submission get the same points on the cluster as in the local pool?"""
    subs = tmp_path / "submitted"
    write_submission(subs, "perfect", TOY, perfect(TOY))
    write_submission(subs, "wrong-sigmoid", TOY, edited(TOY, [WRONG_SIGMOID]))
    graded, job_folders = {}, set(Path("/tmp").glob("autograde-*-job*"))
    for how, scheduler in (("cluster", cluster.scheduler_address), ("local", None)):
        out = tmp_path / how
        rows = grade_toy(subs, out, tmp_path / f"course-{how}", scheduler=scheduler)
        assert not [r.message for r in rows if r.status == "error"], how
        assert (out / "feedback" / "wrong-sigmoid" / TOY / f"{TOY}.html").is_file(), how
        assert not list(out.glob("autograde-*")), f"{how}: the work folder was left behind"
        assert set(Path("/tmp").glob("autograde-*-job*")) <= job_folders, f"{how}: a job folder was left behind"
        graded[how] = points(rows)
    assert graded["cluster"] == graded["local"]
    autograded = {
        s: sum(p for (who, _), (_, p) in graded["local"].items() if who == s and p is not None)
        for s in ("perfect", "wrong-sigmoid")
    }
    assert autograded["wrong-sigmoid"] < autograded["perfect"]  # the wrong sigmoid lost points
