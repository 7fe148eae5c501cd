"""Parallel autograding: one throwaway nbgrader course per (student, assignment), in a pool of processes.

DIR/<student>/<assignment>/*.ipynb --> out/grades.csv + out/feedback/<student>/<assignment>/*.html
                                   --> merged into the course gradebook (gradebook.py), hand grades kept
"""

import re
import shutil
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from .config import cell_timeout, directories, find_assignments, find_root, load_config, timeout_error
from .course_dir import generate, nbgrader_api
from .exports import write_totals
from .gradebook import (
    AUTOGRADED,
    beyond_autograde,
    copy_structure,
    course_id_of,
    course_rows,
    due_date,
    late_penalty_of,
    merge,
    open_gradebook,
    quiet_nbgrader,
    render_feedback,
)
from .pool import check_scheduler, n_cores, run_jobs
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
    stage: Path = None  # where the job leaves its gradebook.db and autograded/ for the merge


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
    submissions,
    out=None,
    root=None,
    sources=None,
    n_jobs=None,
    timeout=None,
    progress=True,
    sandbox=True,
    limits=None,
    course=None,
    scheduler=None,
):
    """Grade DIR/<student>/<assignment>/*.ipynb in parallel; write out/grades.csv and out/feedback/.

    Each (student, assignment) is graded in its own throwaway nbgrader course (a copy of a gradebook
    made once per assignment), so parallel jobs never share nbgrader's sqlite database. Every result is
    then merged into the course gradebook (course/gradebook.db), one job at a time: a regraded student's
    autograded scores are replaced, the hand grades of answers that did not change are kept.

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
        course: the folder of the course gradebook (default: root, where nbgrader and its formgrader look).
        scheduler: a Dask scheduler address (tcp://host:port) to grade on its workers instead of in a local
            pool of n_jobs processes (pool.py). The workers must see DIR, out and the course root at the same
            paths as this machine (a shared filesystem: the work folder is then made inside out), and have
            the kit and bubblewrap installed.
    Returns:
        The GradeRows written to grades.csv, sorted by student, assignment and cell. A submission that
        makes nbgrader fail becomes an 'error' row; the others are still graded.
    Raises:
        ValueError: submissions is not a folder; a bad, unreachable scheduler, or dask not installed.
        SandboxUnavailable: sandbox is True and bubblewrap is not installed.
    """
    if sandbox and bwrap_path() is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed, so student code cannot be sandboxed: install it "
            "(Debian/Ubuntu: apt-get install bubblewrap), or grade unprotected with --no-sandbox"
        )
    check_scheduler(scheduler)  # before anything is built or deleted: a mistyped address fails at once
    limits = limits or Limits()
    root = Path(root or find_root())
    cfg = load_config(root)
    sources = dict(sources or find_assignments(root, cfg))
    submissions = Path(submissions).resolve()
    out = Path(out or submissions.parent / "graded").resolve()
    course = Path(course or root).resolve()
    course_id = course_id_of(cfg)
    found, hidden = find_submissions(submissions)
    n_jobs = max(1, min(n_jobs or n_cores(), len(found) or 1))
    rows = [_hidden_row(name) for name in hidden]
    jobs = []
    if scheduler is not None:  # the workers read the templates and write the results: the work folder is in out
        out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="autograde-", dir=out if scheduler is not None else None) as work:
        work = Path(work)
        templates = {a: _template(work, a, sources, cfg, course) for a in sorted({a for _, a, _ in found})}
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
                # on a cluster, in the worker's own /tmp: the job's private course, whose kernel IPC socket
                # paths must stay under 108 characters wherever out is
                folder=work / "jobs" / str(k) if scheduler is None else Path("/tmp") / f"{work.name}-job{k}",
                config_root=root,
                timeout=cell_timeout(cfg, timeout),
                out=out,
                sandbox=sandbox,
                limits=limits,
                stage=work / "results" / str(k),
            )
            jobs.append(job)
        for job in jobs:  # the feedback of this batch's submissions is replaced; the rest of out/feedback stays
            shutil.rmtree(out / "feedback" / job.student / job.assignment, ignore_errors=True)
        # [(job, its rows, or the exception that stopped it)]
        results = run_jobs(grade_job, jobs, n_jobs, progress, scheduler, desc="autograde")
        _merge_structure(course, course_id, templates)
        rows.extend(_merge_results(results, course, course_id, cfg, out))
    rows.sort(key=lambda r: r.sort_key())
    write_csv(rows, out / "grades.csv")
    write_totals(course_rows(course, course_id), out / "totals.csv")  # the whole course, not only this batch
    return rows


def _hidden_row(name):
    student, _, assignment = name.partition("/")
    return error_row(
        student,
        assignment,
        f"the folder {name} was not graded: its name starts with a dot, which hides it; rename it without the dot",
    )


def _template(work, assignment, sources, cfg, course):
    """The assignment generated once in work/templates/, or a message saying why it cannot be.

    The template's gradebook takes the course gradebook's due date, so nbgrader's late penalties apply.
    """
    if assignment not in sources:
        return f"unknown assignment {assignment!r}; known: {sorted(sources)}"
    folder = work / "templates" / assignment
    try:
        generate(folder, assignment, sources[assignment], cfg)
        due = due_date(course, course_id_of(cfg), assignment)
        if due is not None:
            with open_gradebook(folder, course_id_of(cfg)) as gb:
                gb.update_or_create_assignment(assignment, duedate=due)
    except Exception as exc:  # a broken source notebook: every submission of it is an error row
        return f"cannot build the assignment: {exc}"
    return folder


def _merge_structure(course, course_id, templates):
    """Every assignment graded gets its notebooks and cells in the course gradebook, once per batch."""
    built = {a: folder for a, folder in templates.items() if not isinstance(folder, str)}
    if not built:  # nothing to merge: no gradebook is created
        return
    course.mkdir(parents=True, exist_ok=True)
    with open_gradebook(course, course_id) as gb:
        for assignment, folder in built.items():
            with open_gradebook(folder, course_id) as template:
                copy_structure(template, gb, assignment)


def _merge_results(results, course, course_id, cfg, out):
    """Merge each graded job into the course gradebook; its rows, scores read back from the course.

    A submission with hand grades kept from an earlier grading, or a late penalty, has its feedback rendered
    again from the course gradebook, so that it shows them.
    """
    late_penalty = late_penalty_of(cfg)
    rows = []
    for job, result in results:
        if isinstance(result, Exception):  # the worker process died (BrokenProcessPool) or could not start
            rows.append(error_row(job.student, job.assignment, f"grading process failed: {result!r}"))
            continue
        rows.extend(result)
        if not (job.stage / "gradebook.db").is_file():  # the job failed: its error row says why
            continue
        try:
            notes = merge(
                course,
                course_id,
                job.stage,
                NBGRADER_STUDENT,
                job.student,
                job.assignment,
                late_penalty,
            )
            rows += [GradeRow(job.student, job.assignment, status="note", message=n) for n in notes]
            rows += read_scores(course, course_id, job.assignment, job.student, job.student)
            if beyond_autograde(course, course_id, job.assignment, job.student):
                dest = out / "feedback" / job.student / job.assignment
                render_feedback(course, cfg, job.assignment, job.student, dest)
        except Exception as exc:
            rows.append(error_row(job.student, job.assignment, f"merging into the course gradebook failed: {exc!r}"))
    return rows


def grade_job(job):
    """Autograde one Job in its own course folder; its GradeRows, with the feedback copied to job.out."""
    quiet_nbgrader()
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
        rows = notes
        _stage(job)
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


def _stage(job):
    """Leave the job's gradebook and autograded notebooks in job.stage, for the merge."""
    shutil.rmtree(job.stage, ignore_errors=True)
    graded = Path(AUTOGRADED) / NBGRADER_STUDENT / job.assignment
    shutil.copytree(job.folder / graded, job.stage / graded)
    shutil.copy(job.folder / "gradebook.db", job.stage / "gradebook.db")


def _last_line(result):
    """The real cause of an nbgrader API failure: the last exception line in its log, else in its traceback."""
    for text in (result.get("log") or "", result.get("error") or ""):
        found = EXCEPTION_LINE.findall(text)
        if found:
            return found[-1].strip()
    return "unknown error"
