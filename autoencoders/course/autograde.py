"""Parallel autograding: one throwaway nbgrader course per (student, assignment), in a pool of processes.

DIR/<student>/<assignment>/*.ipynb --> out/grades.csv + out/feedback/<student>/<assignment>/*.html
"""

import concurrent.futures as cf
import multiprocessing
import os
import re
import shutil
import tempfile
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

from .config import cell_timeout, directories, find_assignments, find_root, load_config, timeout_error
from .course_dir import generate, nbgrader_api
from .progress import progress_bar
from .report import GradeRow, error_row, read_scores, write_csv
from .sandbox import GIB, Limits, bwrap_path
from .submission import prepare

# the last "SomeError: message" line of a log or traceback
EXCEPTION_LINE = re.compile(
    r"^\s*((?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt)\w*(?:: .*)?)$", re.MULTILINE
)


@dataclass(frozen=True)
class Job:
    """One (student, assignment) to grade; plain paths, so it crosses to a spawned worker."""

    student: str
    assignment: str
    submission: Path  # DIR/<student>/<assignment>
    template: Path  # a course folder where the assignment was generated once
    folder: Path  # this job's own course folder
    config_root: Path  # where nbgrader_config.py lives
    timeout: int  # seconds per cell
    out: Path  # where feedback/ goes
    sandbox: bool = True  # the student's kernel under bubblewrap, with limits
    limits: Limits = Limits()


NBGRADER_STUDENT = "student"  # each job is a course of one student: its id inside the job


class SandboxUnavailable(RuntimeError):
    """Grading was asked for with the sandbox, on a machine without bubblewrap."""


UNPROTECTED = (
    "WARNING: grading WITHOUT the sandbox. Student code runs with your permissions: it can read solutions/ "
    "and the gradebook, write anywhere you can (other submissions, feedback, solutions/), use the network, "
    "and use unlimited memory and processes. Test cells that use `student` still decide in a trusted kernel, "
    "but only the sandbox keeps submissions from reading or changing what they must not."
)


def find_submissions(directory):
    """([(student, assignment, folder)], [hidden folder names]) for the DIR/<student>/<assignment>/ folders.

    Folders whose name starts with a dot are not graded but listed, so that they can be reported.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"submissions must be a folder of <student>/<assignment>/ folders, got {str(directory)!r}")
    found, hidden = [], []
    for s in sorted(p for p in directory.iterdir() if p.is_dir()):
        if s.name.startswith("."):
            hidden.append(s.name)
            continue
        for a in sorted(p for p in s.iterdir() if p.is_dir() and p.name != ".ipynb_checkpoints"):
            if a.name.startswith("."):
                hidden.append(f"{s.name}/{a.name}")
            else:
                found.append((s.name, a.name, a))
    return found, hidden


def autograde(
    submissions, out=None, root=None, sources=None, n_jobs=None, timeout=None, progress=True, sandbox=True, limits=None
):
    """Grade DIR/<student>/<assignment>/*.ipynb in parallel; write out/grades.csv and out/feedback/.

    Each (student, assignment) is graded in its own throwaway nbgrader course (a copy of a gradebook
    made once per assignment), so parallel jobs never share nbgrader's sqlite database.

    Args:
        submissions: the folder DIR.
        out: the output folder (default: DIR/../graded).
        root: the course root (default: the nearest folder with nbgrader_config.py).
        sources: {assignment: source folder} (default: the folders of solutions/).
        n_jobs: parallel jobs (default: the number of cores).
        timeout: seconds per cell (default: nbgrader_config.py's).
        progress: show a progress bar.
        sandbox: run each student's kernel under bubblewrap (see sandbox.py); False grades unprotected.
        limits: the sandbox's Limits (default: 4 GiB of memory, 64 processes, 30 CPU minutes).
    Returns:
        The GradeRows written to grades.csv, sorted by student, assignment and cell. A submission that
        makes nbgrader fail becomes an 'error' row; the others are still graded.
    Raises:
        ValueError: submissions is not a folder.
        SandboxUnavailable: sandbox is True and bubblewrap is not installed.
    """
    if sandbox and bwrap_path() is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed, so student code cannot be sandboxed: install it "
            "(Debian/Ubuntu: apt-get install bubblewrap), or grade unprotected with --no-sandbox"
        )
    limits = limits or Limits()
    root = Path(root or find_root())
    cfg = load_config(root)
    sources = dict(sources or find_assignments(root, cfg))
    submissions = Path(submissions).resolve()
    out = Path(out or submissions.parent / "graded").resolve()
    found, hidden = find_submissions(submissions)
    n_jobs = max(1, min(n_jobs or _n_cores(), len(found) or 1))
    rows = [_hidden_row(name) for name in hidden]
    jobs = []
    with tempfile.TemporaryDirectory(prefix="autograde-") as work:
        work = Path(work)
        templates = {a: _template(work, a, sources, cfg) for a in sorted({a for _, a, _ in found})}
        for k, (student, assignment, folder) in enumerate(found):
            template = templates[assignment]
            if isinstance(template, str):  # why the assignment cannot be graded
                rows.append(error_row(student, assignment, template))
                continue
            job = Job(
                student,
                assignment,
                submission=folder,
                template=template,
                folder=work / "jobs" / str(k),
                config_root=root,
                timeout=cell_timeout(cfg, timeout),
                out=out,
                sandbox=sandbox,
                limits=limits,
            )
            jobs.append(job)
        shutil.rmtree(out / "feedback", ignore_errors=True)
        rows.extend(_run_jobs(jobs, n_jobs, progress))
    rows.sort(key=lambda r: r.sort_key())
    write_csv(rows, out / "grades.csv")
    return rows


def _hidden_row(name):
    student, _, assignment = name.partition("/")
    return error_row(
        student,
        assignment,
        f"the folder {name} was not graded: its name starts with a dot, which hides it; rename it without the dot",
    )


def _template(work, assignment, sources, cfg):
    """The assignment generated once in work/templates/, or a message saying why it cannot be."""
    if assignment not in sources:
        return f"unknown assignment {assignment!r}; known: {sorted(sources)}"
    try:
        generate(work / "templates" / assignment, assignment, sources[assignment], cfg)
    except Exception as exc:  # a broken source notebook: every submission of it is an error row
        return f"cannot build the assignment: {exc}"
    return work / "templates" / assignment


def _n_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run_jobs(jobs, n_jobs, progress, attempts=2):
    """Grade every job in a pool of n_jobs processes; a job whose worker died is retried, then an error row."""
    rows, pending = [], list(jobs)
    bar = progress_bar(None, "autograde", progress, total=len(jobs))
    for attempt in range(attempts):
        if not pending:
            break
        retry = []
        ctx = multiprocessing.get_context("spawn")  # no forked copies of zmq/asyncio state
        with cf.ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx, initializer=_init_worker) as pool:
            futures = {pool.submit(grade_job, job): job for job in pending}
            for future in cf.as_completed(futures):
                job = futures[future]
                try:
                    rows.extend(future.result())
                except Exception as exc:  # the worker process died (BrokenProcessPool) or could not start
                    if attempt + 1 < attempts:
                        retry.append(job)
                        continue
                    rows.append(error_row(job.student, job.assignment, f"grading process failed: {exc!r}"))
                if bar is not None:
                    bar.update(1)
        pending = retry
    if bar is not None:
        bar.close()
    return rows


def _init_worker():
    # kernels inherit this: one BLAS thread each, so parallel jobs do not fight over the cores
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def grade_job(job):
    """Autograde one Job in its own course folder; its GradeRows, with the feedback copied to job.out."""
    # nbgrader's gradebook code trips SQLAlchemy's autoflush warnings; they are noise here
    warnings.filterwarnings("ignore", message=r"Object of type <\w+> not in session")
    student, assignment = job.student, job.assignment
    try:
        shutil.rmtree(job.folder, ignore_errors=True)  # a retried job starts from a clean folder
        cfg = load_config(job.config_root)
        cfg.Execute.timeout = job.timeout
        cfg.Execute.error_on_timeout = timeout_error(job.timeout)
        cfg.TrustedExecute.sandbox = job.sandbox
        cfg.TrustedExecute.memory_gib = job.limits.memory_bytes / GIB
        cfg.TrustedExecute.max_processes = job.limits.max_processes
        cfg.TrustedExecute.cpu_seconds = job.limits.cpu_seconds
        cfg.TrustedExecute.runtime_root = str(job.folder)
        src_name, release_name = directories(cfg)
        shutil.copytree(job.template / src_name, job.folder / src_name)
        shutil.copy(job.template / "gradebook.db", job.folder / "gradebook.db")  # this job's own copy
        expected = sorted(p.name for p in (job.template / release_name / assignment).glob("*.ipynb"))
        # nbgrader globs its paths: a folder name with brackets or other oddities must not reach it
        notes = prepare(job.submission, job.folder / "submitted" / NBGRADER_STUDENT / assignment, expected)
        notes = [GradeRow(student, assignment, status="note", message=n) for n in notes]
        api = nbgrader_api(job.folder, cfg)
        result = api.autograde(assignment, NBGRADER_STUDENT, force=True, create=True)
        if not result["success"]:
            return notes + [error_row(student, assignment, "nbgrader autograde failed: " + _last_line(result))]
        course_id = cfg.get("CourseDirectory", {}).get("course_id", "default_course")
        rows = notes + read_scores(job.folder, course_id, assignment, NBGRADER_STUDENT, student)
        result = api.generate_feedback(assignment, NBGRADER_STUDENT, force=True)
        feedback = job.folder / "feedback" / NBGRADER_STUDENT / assignment
        if result["success"] and feedback.is_dir():
            shutil.copytree(feedback, job.out / "feedback" / student / assignment, dirs_exist_ok=True)
        else:
            rows.append(error_row(student, assignment, "nbgrader generate_feedback failed: " + _last_line(result)))
        return rows
    except Exception:
        return [error_row(student, assignment, "grading crashed: " + traceback.format_exc().strip().splitlines()[-1])]
    finally:
        shutil.rmtree(job.folder, ignore_errors=True)  # sockets, connection files, copies: nothing stays


def _last_line(result):
    """The real cause of an nbgrader API failure: the last exception line in its log, else in its traceback."""
    for text in (result.get("log") or "", result.get("error") or ""):
        found = EXCEPTION_LINE.findall(text)
        if found:
            return found[-1].strip()
    return "unknown error"
