"""Submissions graded per minute: our autograde (local pool, Dask LocalCluster) against nbgrader's own, sequential.

The same perfect submissions (the reference answers of solutions/ put into the released notebooks, as
tests/pipeline/submissions.py builds them) are graded in full (AUTOENCODERS_FAST unset: the notebooks train as
students ran them), three ways in one run, with the same nbgrader_config.py chain (TrustedExecute, sandbox):
  local pool     course.autograde(n_jobs=2): a spawn pool of 2 processes, one throwaway course per submission,
                 feedback generated, results merged into a course gradebook (`python -m autoencoders autograde -j 2`)
  LocalCluster   the same call with scheduler= a dask.distributed LocalCluster of 2 worker processes of 1 thread
  nbgrader       one ordinary nbgrader course folder: `nbgrader autograde ASSIGNMENT` (NbGraderAPI.autograde for
                 every student, one after the other) then `nbgrader generate_feedback ASSIGNMENT`
First a probe grades one submission of each notebook of solutions/ with nbgrader, alone: its times decide which
notebook is the slowest, give the per-submission costs the projection adds up, and its autograded notebook
(nbclient records each cell's timing in cell.metadata.execution) gives the slowest grading cell by cell.
Run: python benchmarks/bench_autograde.py [--quick] [--n-first 4] [--n-slowest 2] [--breakdown NAME]
"""

import argparse
import ast
import datetime as dt
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.pop("AUTOENCODERS_FAST", None)  # real grading runs the full notebooks
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the submission builders of the pipeline tests

import nbformat  # noqa: E402

from autoencoders import course  # noqa: E402
from autoencoders.course.config import load_config, timeout_error  # noqa: E402
from autoencoders.course.course_dir import generate, nbgrader_api  # noqa: E402
from tests.pipeline import submissions as built  # noqa: E402

FIRST = "01_backprop_gradcheck"
CORES, CLUSTER_CORES, STUDENTS = 2, 64, 300
# seconds per cell, for all three: 04_optimisers' 45 trainings (joblib over every core) pass nbgrader_config.py's
# 180 s alone, not with two gradings at once on a loaded 2-core machine; this measures speed, not time-outs
TIMEOUT = 900
# a call of the package's trainers or of an estimator's fit
TRAINING = re.compile(r"\b(train|fit|fit_transform|pretrain\w*|train_\w+)\s*\(")


def release(names, work):
    """The released notebooks of names in work/notebooks, where `built.perfect` reads them."""
    dest = work / "notebooks"
    course.release(list(names), root=ROOT, dest=dest, sources={n: built.SOURCES[n] for n in names})
    built.RELEASED["folder"] = dest


def write_class(folder, name, n):
    """folder/student00..<n-1>/<name>/: n perfect submissions of assignment name."""
    for k in range(n):
        built.write_submission(folder, f"student{k:02d}", name, built.perfect(name))
    return folder


def no_errors(rows, how):
    """Say so when a submission got an error row (a time-out on a loaded machine, say): its time is then suspect."""
    errors = [f"{r.student}/{r.assignment}: {r.message}" for r in rows if r.status == "error"]
    if errors:
        print(f"  WARNING: {how}: {len(errors)} error rows, so its time below is not a clean grading: {errors[:2]}")
    return rows


def ours(subs, name, work, scheduler=None, timeout=TIMEOUT):
    """Seconds for course.autograde of subs (one assignment), on the local pool or the cluster."""
    how = "cluster" if scheduler else "local"
    start = time.perf_counter()
    rows = course.autograde(
        subs,
        out=work / f"out-{how}-{name}",
        root=ROOT,
        sources={name: built.SOURCES[name]},
        n_jobs=CORES,
        timeout=timeout,
        progress=False,
        scheduler=scheduler,
        course=work / f"course-{how}-{name}",
    )
    seconds = time.perf_counter() - start
    no_errors(rows, how)
    return seconds


class NbgraderCourse:
    """An ordinary nbgrader course folder (source, release, submitted, autograded, feedback, gradebook.db)."""

    def __init__(self, folder, names, timeout=TIMEOUT):
        self.folder, self.cfg = folder, load_config(ROOT)
        self.cfg.Execute.timeout = timeout  # as autograde(timeout=) sets it in its jobs
        self.cfg.Execute.error_on_timeout = timeout_error(timeout)
        for name in names:
            generate(folder, name, built.SOURCES[name], self.cfg)
        self.api = nbgrader_api(folder, self.cfg)

    def submit(self, subs, name):
        for student in sorted(p.name for p in subs.iterdir()):
            shutil.copytree(subs / student / name, self.folder / "submitted" / student / name)

    def grade(self, name, student="*"):
        """(seconds of autograde, seconds of generate_feedback, time autograde started) for the submitted students."""
        started = dt.datetime.now(dt.timezone.utc)
        start = time.perf_counter()
        result = self.api.autograde(name, student, force=True, create=True)
        graded = time.perf_counter()
        if not result["success"]:
            raise RuntimeError(f"nbgrader autograde {name} failed: {result.get('log', '')[-2000:]}")
        result = self.api.generate_feedback(name, student, force=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader generate_feedback {name} failed: {result.get('log', '')[-2000:]}")
        return graded - start, time.perf_counter() - graded, started

    def autograded(self, name, student):
        return sorted((self.folder / "autograded" / student / name).glob("*.ipynb"))


def probe(names, work, nbgrader):
    """{name: seconds of one nbgrader grading of a perfect submission}, each alone, in turn; and their start times."""
    seconds, started = {}, {}
    for name in names:
        nbgrader.submit(write_class(work / "probe" / name, name, 1), name)
        t_grade, _, started[name] = nbgrader.grade(name, "student00")
        seconds[name] = t_grade
        print(f"  probe: {name} graded in {t_grade:.1f} s", flush=True)
    return seconds, started


def _stamp(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def training_cells(cells):
    """Indices of the code cells that train: they call a trainer, or use a function an earlier cell defined that
    does (04_optimisers' trainings run `run_one` through joblib). Cells that only define functions do not."""
    trainers, found = set(), set()
    for index, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        try:
            body = ast.parse(cell.source).body
        except SyntaxError:  # IPython magics: judge by the text
            found.update([index] if TRAINING.search(cell.source) else [])
            continue
        for stmt in body:
            text = ast.get_source_segment(cell.source, stmt) or ""
            uses = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
            trains = bool(TRAINING.search(text) or uses & trainers)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                trainers.update([stmt.name] if trains else [])
            elif trains:
                found.add(index)
    return found


def breakdown(notebooks, started, total):
    """{part: seconds} of one grading from its autograded notebooks' cell timings (nbclient's metadata.execution)."""
    parts = {"training cells": 0.0, "other cells": 0.0}
    first = last = None
    for path in notebooks:
        cells = nbformat.read(path, as_version=4).cells
        training = training_cells(cells)
        for index, cell in enumerate(cells):
            timing = cell.get("metadata", {}).get("execution", {})
            if cell.cell_type != "code" or "iopub.execute_input" not in timing or "shell.execute_reply" not in timing:
                continue
            begin, end = _stamp(timing["iopub.execute_input"]), _stamp(timing["shell.execute_reply"])
            first, last = min(first or begin, begin), max(last or end, end)
            parts["training cells" if index in training else "other cells"] += (end - begin).total_seconds()
    if first is None:
        raise RuntimeError(f"no cell timing in {notebooks}: nbclient's record_timing is off?")
    parts["before the first cell: nbgrader set-up, two kernel start-ups"] = (first - started).total_seconds()
    parts["between cells (nbclient, trusted-kernel hand-over)"] = (
        (last - first).total_seconds() - parts["training cells"] - parts["other cells"]
    )
    parts["after the last cell: kernel shut-down, gradebook, writing"] = total - sum(parts.values())
    return parts


def bare_kernel_start():
    """Seconds to start a plain python3 kernel and have it answer (no sandbox, no nbgrader)."""
    from jupyter_client.manager import start_new_kernel

    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3")
    seconds = time.perf_counter() - start
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return seconds


def hours(seconds):
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the toy assignment only, 2 submissions: about a minute")
    parser.add_argument("--n-first", type=int, default=4, help=f"submissions of {FIRST}")
    parser.add_argument("--n-slowest", type=int, default=2, help="submissions of the slowest notebook")
    parser.add_argument("--breakdown", metavar="NAME", help="only break one nbgrader grading of NAME down by cell")
    args = parser.parse_args()
    if args.breakdown:
        return breakdown_only(args.breakdown)
    from distributed import LocalCluster

    graded = [built.TOY] if args.quick else [n for n in built.GRADED if n != built.TOY]
    measured, counts = [built.TOY], {built.TOY: 2}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-ag-") as work:
        work = Path(work)
        release(graded, work)
        nbgrader = NbgraderCourse(work / "nbgrader", graded)
        print(f"released and generated {len(graded)} assignments in {time.perf_counter() - t0:.0f} s", flush=True)
        if args.quick:
            probed, started = probe([built.TOY], work, nbgrader)
            slowest = built.TOY
        else:
            print(f"probe: one nbgrader grading of each of {len(graded)} notebooks, alone", flush=True)
            probed, started = probe(graded, work, nbgrader)
            slowest = max(graded, key=probed.get)
            measured = [FIRST, slowest]
            counts = {FIRST: args.n_first, slowest: args.n_slowest}
        cells = breakdown(nbgrader.autograded(slowest, "student00"), started[slowest], probed[slowest])
        kernel = bare_kernel_start()

        results = {}  # (name, method) -> seconds for counts[name] submissions
        with LocalCluster(n_workers=CORES, processes=True, threads_per_worker=1, dashboard_address=":0") as cluster:
            for name in measured:
                subs = write_class(work / "class" / name, name, counts[name])
                print(f"grading {counts[name]} x {name}", flush=True)
                results[name, "local pool, 2 jobs"] = ours(subs, name, work)
                print(f"  local pool: {results[name, 'local pool, 2 jobs']:.1f} s", flush=True)
                results[name, "LocalCluster, 2 workers"] = ours(subs, name, work, cluster.scheduler_address)
                print(f"  LocalCluster: {results[name, 'LocalCluster, 2 workers']:.1f} s", flush=True)
                nbgrader.submit(subs_for_nbgrader(subs, work, name), name)
                t_grade, t_feedback, _ = nbgrader.grade(name, "n*")  # not the probe's student00
                results[name, "nbgrader autograde, sequential"] = t_grade
                results[name, "nbgrader autograde + generate_feedback"] = t_grade + t_feedback
                print(f"  nbgrader: {t_grade:.1f} s + feedback {t_feedback:.1f} s", flush=True)
        report(graded, probed, slowest, measured, counts, results, cells, kernel)
        print(f"\ntotal benchmark time {time.perf_counter() - t0:.0f} s")


def breakdown_only(name):
    """One nbgrader grading of a perfect submission of name, alone, by cell."""
    with tempfile.TemporaryDirectory(prefix="bench-ag-") as work:
        work = Path(work)
        release([name], work)
        nbgrader = NbgraderCourse(work / "nbgrader", [name])
        probed, started = probe([name], work, nbgrader)
        cells = breakdown(nbgrader.autograded(name, "student00"), started[name], probed[name])
        print_breakdown(name, probed[name], cells, bare_kernel_start())


def subs_for_nbgrader(subs, work, name):
    """The same submissions, under student names the probe did not use (student00 of the probe stays graded)."""
    dest = work / "class-nbgrader" / name
    for student in sorted(p.name for p in subs.iterdir()):
        shutil.copytree(subs / student, dest / f"n{student}")
    return dest


def report(names, probed, slowest, measured, counts, results, cells, kernel):
    print(
        "\nSame perfect submissions, same nbgrader_config.py chain (TrustedExecute, bubblewrap sandbox, cell "
        f"timeout {TIMEOUT} s for all), graded in full; {CORES} cores. Ours includes per-batch set-up "
        "(assignment generated once, results merged into the course gradebook) and feedback; nbgrader's "
        "autograde is shown alone and with generate_feedback. LocalCluster start-up is not timed (a cluster is "
        "up before grading)."
    )
    print("\n| notebook | submissions | how | wall s | submissions / min |\n|---|---|---|---|---|")
    for (name, how), seconds in results.items():
        print(f"| {name} | {counts[name]} | {how} | {seconds:.1f} | {60 * counts[name] / seconds:.2f} |")

    print("\nprobe (how the slowest was chosen): one nbgrader grading of a perfect submission of each, alone:")
    print("| notebook | s |\n|---|---|")
    for name in names:
        print(f"| {name}{' (slowest)' if name == slowest else ''} | {probed[name]:.1f} |")

    print_breakdown(slowest, probed[slowest], cells, kernel)

    # projection: 300 x the probe times is nbgrader's sequential grading of the class; each way of grading takes
    # its wall time relative to nbgrader's on the same submissions, measured minutes apart, so that a change of
    # machine load between the probe and the batches cancels out
    work = STUDENTS * sum(probed[n] for n in names)
    sequential = "nbgrader autograde, sequential"
    print(
        f"\nprojection for {STUDENTS} students x {len(names)} notebooks: nbgrader sequential = {STUDENTS} x the sum "
        f"of the probe times ({hours(work)}); each other way = that x its wall time / nbgrader's on the same "
        "submissions (mean over the notebooks measured). Scaling assumption: jobs are independent and CPU-bound, "
        f"so throughput grows linearly with cores; {CLUSTER_CORES} cores = {CLUSTER_CORES} single-thread workers, "
        f"{STUDENTS * len(names)} jobs >> {CLUSTER_CORES} so the tail (one job) is ignored, as are the shared "
        "filesystem and the scheduler (milliseconds per task)."
    )
    print(f"| how | {CORES} cores | {CLUSTER_CORES}-core cluster |\n|---|---|---|")
    for how in dict.fromkeys(h for _, h in results):
        ratio = sum(results[n, how] / results[n, sequential] for n in measured) / len(measured)
        here = work * ratio
        wide = "n/a (one process)" if how.startswith("nbgrader") else hours(here * CORES / CLUSTER_CORES)
        print(f"| {how} | {hours(here)} | {wide} |")


def print_breakdown(name, total, cells, kernel):
    print(f"\none full grading of {name} ({total:.1f} s, nbgrader, from nbclient's cell timings):")
    print("| part | s | share |\n|---|---|---|")
    for part, seconds in cells.items():
        print(f"| {part} | {seconds:.1f} | {seconds / total:.0%} |")
    print(
        f"(a bare python3 kernel starts in {kernel:.1f} s; a grading starts two: the student's, sandboxed, "
        "and a trusted one)"
    )


if __name__ == "__main__":
    main()
