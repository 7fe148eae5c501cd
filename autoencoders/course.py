"""Release, self-check and parallel autograding of the course notebooks, built on nbgrader 0.9.

solutions/<name>/*.ipynb --release--> notebooks/<name>/*.ipynb --students--> DIR/<student>/<name>/*.ipynb
--autograde--> graded/grades.csv + graded/feedback/<student>/<name>/*.html

Every assignment is a folder of solutions/ holding notebooks, so a new notebook needs no code change.
nbgrader is imported lazily: it is slow to import and `check` never needs it.
"""
import concurrent.futures as cf
import copy
import csv
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import traceback
import warnings
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = "nbgrader_config.py"
DEFAULT_TIMEOUT = 180  # seconds per cell when nbgrader_config.py sets none
CSV_COLUMNS = ["student", "assignment", "notebook", "exercise", "points", "max_points", "status", "message"]
KERNEL_ARGS = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]  # no history db, no chatter
EXCEPTION_LINE = re.compile(r"^\s*((?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt)\w*(?:: .*)?)$",
                            re.MULTILINE)
MESSAGE_CHARS = 300  # longest message kept in grades.csv and printed by check
# cell metadata that changes whenever a notebook is run or opened; never part of a release
VOLATILE_CELL_KEYS = ("execution", "ExecuteTime", "collapsed", "scrolled", "papermill", "pycharm")
VOLATILE_NB_KEYS = ("widgets", "papermill", "vscode", "toc", "varInspector", "celltoolbar", "toc-autonumbering")


# ---------------------------------------------------------------- preprocessors (autograde chain)

def is_test_cell(cell):
    """An autograded test cell: an nbgrader grade cell of code that is not a student's answer."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and meta.get("grade", False) and not meta.get("solution", False)


class StderrToStdout(Preprocessor):
    """Turn stderr stream output of test cells into stdout, so a warning does not zero a passing test."""

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if is_test_cell(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    output["name"] = "stdout"
        return cell, resources


class LimitOutputChars(Preprocessor):
    """Cut each stream or text/plain output to max_chars characters (LimitOutput only counts lines)."""

    enabled = Bool(True).tag(config=True)
    max_chars = Integer(20_000, help="longest text kept per output (-1: no limit)").tag(config=True)

    def _cut(self, text):
        if self.max_chars < 0 or len(text) <= self.max_chars:
            return text
        return text[: self.max_chars] + f"\n... output truncated ({len(text)} characters in all) ...\n"

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                output["text"] = self._cut("".join(output["text"]))
            elif "text/plain" in output.get("data", {}):
                output["data"]["text/plain"] = self._cut("".join(output["data"]["text/plain"]))
        return cell, resources


# ---------------------------------------------------------------- course layout and config

def find_root(start=None):
    """The course root: the nearest folder at or above start (default cwd) with nbgrader_config.py."""
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return PACKAGE_ROOT


def load_config(root=None):
    """The traitlets Config from root/nbgrader_config.py (empty Config when there is none)."""
    from traitlets.config.loader import Config, PyFileConfigLoader

    root = Path(root or find_root())
    if not (root / CONFIG_FILE).is_file():
        return Config()
    return PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()


def _dirs(cfg):
    """(source_directory, release_directory) names from the config."""
    cd = cfg.get("CourseDirectory", {})
    return cd.get("source_directory", "solutions"), cd.get("release_directory", "notebooks")


def cell_timeout(cfg, timeout=None):
    """Per-cell time limit in seconds: explicit value, else Execute/ExecutePreprocessor config, else default."""
    for value in (timeout, cfg.get("Execute", {}).get("timeout"), cfg.get("ExecutePreprocessor", {}).get("timeout")):
        if value is not None:
            return int(value)
    return DEFAULT_TIMEOUT


def find_assignments(root=None, cfg=None):
    """{assignment name: source folder} for every folder of the source directory holding a notebook."""
    root = Path(root or find_root())
    src = root / _dirs(cfg if cfg is not None else load_config(root))[0]
    if not src.is_dir():
        return {}
    return {d.name: d for d in sorted(src.iterdir()) if d.is_dir() and any(d.glob("*.ipynb"))}


def _api(course_root, cfg):
    """An NbGraderAPI whose course directory is course_root, configured by cfg."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    cfg = copy.deepcopy(cfg)
    cfg.CourseDirectory.root = str(course_root)
    cfg.CourseDirectory.source_directory, cfg.CourseDirectory.release_directory = _dirs(cfg)
    cfg.NbGraderAPI.log_level = "WARN"
    return NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)


def _ignore(cfg):
    patterns = cfg.get("CourseDirectory", {}).get("ignore", [".ipynb_checkpoints", "__pycache__", ".*"])
    return shutil.ignore_patterns(*patterns)


def generate(course_root, name, source, cfg):
    """Build a throwaway nbgrader course in course_root: source copied in, generate_assignment run.

    Leaves course_root/<source dir>/<name>, course_root/<release dir>/<name> and gradebook.db.
    """
    src_name, _ = _dirs(cfg)
    if shutil.which("alembic") is None:  # nbgrader runs `alembic` to stamp a new gradebook.db
        os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    shutil.copytree(source, Path(course_root) / src_name / name, ignore=_ignore(cfg))
    result = _api(course_root, cfg).generate_assignment(name, force=True, create=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader generate_assignment {name} failed:\n{result.get('error', '')}"
                           f"\n{result.get('log', '')}")


# ---------------------------------------------------------------- release

def normalise(nb):
    """Strip what varies between runs (outputs, counts, timings, random ids) from a notebook, in place."""
    for key in VOLATILE_NB_KEYS:
        nb.metadata.pop(key, None)
    nb.nbformat, nb.nbformat_minor = 4, max(nb.get("nbformat_minor", 0), 5)
    seen = set()
    for i, cell in enumerate(nb.cells):
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if "attachments" in cell and not cell.attachments:
            del cell["attachments"]
        # keep an author's cell id when it is stable and unique; else derive one from the position
        cid = cell.get("id")
        if not cid or cid in seen:
            cid = f"cell-{i}"
        cell["id"] = cid
        seen.add(cid)
    return nb


def release(names=None, root=None, dest=None, sources=None, progress=False):
    """Regenerate dest/<name>/ (default notebooks/<name>/) from solutions/<name>/ with nbgrader; paths written.

    sources ({name: folder}, default: the folders of solutions/) lets tests release other notebooks.
    """
    root = Path(root or find_root())
    cfg = load_config(root)
    sources = dict(sources or find_assignments(root, cfg))
    names = list(names or sources)
    unknown = [n for n in names if n not in sources]
    if unknown:
        raise ValueError(f"names must be assignments in {root / _dirs(cfg)[0]}: "
                         f"one of {sorted(sources)}, got {unknown}")
    dest = Path(dest or root / _dirs(cfg)[1])
    written = []
    for name in _progress(names, "release", progress):
        with tempfile.TemporaryDirectory(prefix="release-") as tmp:
            generate(tmp, name, sources[name], cfg)
            built = Path(tmp) / _dirs(cfg)[1] / name
            for path in built.rglob("*.ipynb"):
                nbformat.write(normalise(nbformat.read(path, as_version=4)), path)
            target = dest / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(built, target)
            written.extend(sorted(target.rglob("*.ipynb")))
    return written


def _progress(items, desc, enabled, total=None):
    """items wrapped in a tqdm bar on stderr when enabled."""
    if not enabled:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, total=total, file=sys.stderr, leave=False)


# ---------------------------------------------------------------- check (student self-check)

def _one_line(text):
    text = " ".join(str(text).split())
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 3] + "..."


def error_message(output):
    """'Name: value' of an error output (or execute_reply content) on one line."""
    if output.get("ename") == "NotImplementedError" and not output.get("evalue"):
        return "NotImplementedError: not written yet (replace `raise NotImplementedError()` with your code)"
    return _one_line(f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".rstrip(": "))


def execute(path, timeout=None, progress=True):
    """Run a notebook in a fresh kernel with cwd = its folder; (notebook, {cell index: error reply content})."""
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    errors = {}
    limit = cell_timeout(load_config(find_root(path.parent)), timeout)
    bar = _progress(None, path.name, progress, total=sum(c.cell_type == "code" for c in nb.cells))

    def on_executed(cell, cell_index, execute_reply):
        content = execute_reply["content"]
        if content.get("status") == "error":
            errors[cell_index] = content
        if bar is not None:
            bar.update(1)

    client = NotebookClient(
        nb, timeout=limit, allow_errors=True, extra_arguments=KERNEL_ARGS, interrupt_on_timeout=True, record_timing=False,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        error_on_timeout={"ename": "CellTimeoutError", "evalue": f"the cell ran longer than {limit} s "
                          "(an infinite loop?)", "traceback": []},
        resources={"metadata": {"path": str(path.parent.resolve())}}, on_cell_executed=on_executed)
    try:
        client.execute()
    finally:
        if bar is not None:
            bar.close()
    return nb, errors


def _has_code(source):
    """True unless the source is only blank lines and comments (a test cell whose tests are all hidden)."""
    return any(ln.strip() and not ln.strip().startswith("#") for ln in source.splitlines())


def check(path, timeout=None, out=None, progress=True):
    """Run a student notebook and print PASSED/FAILED per autograded exercise; 0 if all public tests pass."""
    out = out or sys.stdout
    nb, errors = execute(path, timeout=timeout, progress=progress)
    graded = [(i, c) for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade")]
    width = max([len(c.metadata.nbgrader.get("grade_id", "")) for _, c in graded] + [10])
    got = total = hidden = 0.0
    n_failed = n_tests = 0
    print(f"Public tests of {Path(path).name}:", file=out)
    for i, cell in graded:
        meta = cell.metadata.nbgrader
        name, points = meta.get("grade_id", f"cell-{i}"), float(meta.get("points", 0))
        if not is_test_cell(cell):
            print(f"  {name:<{width}}  graded by hand  {_pts(None)}/{_pts(points)}", file=out)
        elif not _has_code(cell.source):
            hidden += points
            print(f"  {name:<{width}}  hidden tests    {_pts(None)}/{_pts(points)}  (run only when graded)", file=out)
        elif i in errors:
            n_tests, n_failed, total = n_tests + 1, n_failed + 1, total + points
            print(f"  {name:<{width}}  FAILED          {_pts(0)}/{_pts(points)}  {error_message(errors[i])}", file=out)
        else:
            n_tests, got, total = n_tests + 1, got + points, total + points
            print(f"  {name:<{width}}  PASSED          {_pts(points)}/{_pts(points)}", file=out)
    if not graded:
        print("  (no graded exercises in this notebook)", file=out)
    print(f"Public tests: {_pts(got)}/{_pts(total)} points, {n_tests - n_failed} of {n_tests} passed.", file=out)
    print(f"When graded, hidden tests will also count ({_pts(hidden)} points in hidden-only cells, plus hidden "
          "tests inside the cells above): passing here does not guarantee full marks.", file=out)
    return 0 if n_failed == 0 else 1


def _pts(x):
    return "-" if x is None else f"{x:g}"


# ---------------------------------------------------------------- autograde

def find_submissions(directory):
    """[(student, assignment, folder)] for every DIR/<student>/<assignment>/ folder, sorted."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"submissions must be a folder of <student>/<assignment>/ folders, got {str(directory)!r}")
    return [(s.name, a.name, a) for s in sorted(directory.iterdir()) if s.is_dir() and not s.name.startswith(".")
            for a in sorted(s.iterdir()) if a.is_dir() and not a.name.startswith(".")]


def _error_row(student, assignment, message):
    return {"student": student, "assignment": assignment, "notebook": "", "exercise": "", "points": None,
            "max_points": None, "status": "error", "message": _one_line(message)}


def autograde(submissions, out=None, root=None, sources=None, n_jobs=None, timeout=None, progress=True):
    """Grade DIR/<student>/<assignment>/*.ipynb in parallel; write out/grades.csv and out/feedback/; rows.

    Each (student, assignment) is graded in its own throwaway nbgrader course (a copy of a gradebook
    made once per assignment), so parallel jobs never share nbgrader's sqlite database.
    A submission that makes nbgrader fail becomes an 'error' row; the others are still graded.
    """
    root = Path(root or find_root())
    cfg = load_config(root)
    sources = dict(sources or find_assignments(root, cfg))
    submissions = Path(submissions).resolve()
    out = Path(out or submissions.parent / "graded").resolve()
    jobs = find_submissions(submissions)
    n_jobs = max(1, min(n_jobs or _n_cores(), len(jobs) or 1))
    rows, specs = [], []
    with tempfile.TemporaryDirectory(prefix="autograde-") as work:
        work = Path(work)
        templates = {}
        for assignment in sorted({a for _, a, _ in jobs}):
            if assignment not in sources:
                templates[assignment] = f"unknown assignment {assignment!r}; known: {sorted(sources)}"
                continue
            try:
                generate(work / "templates" / assignment, assignment, sources[assignment], cfg)
                templates[assignment] = work / "templates" / assignment
            except Exception as exc:  # a broken source notebook: every submission of it is an error row
                templates[assignment] = f"cannot build the assignment: {exc}"
        for k, (student, assignment, folder) in enumerate(jobs):
            if isinstance(templates[assignment], str):
                rows.append(_error_row(student, assignment, templates[assignment]))
                continue
            specs.append({"student": student, "assignment": assignment, "submission": str(folder),
                          "template": str(templates[assignment]), "job_root": str(work / "jobs" / str(k)),
                          "config_root": str(root), "timeout": cell_timeout(cfg, timeout), "out": str(out)})
        shutil.rmtree(out / "feedback", ignore_errors=True)
        rows.extend(_run_jobs(specs, n_jobs, progress))
    rows.sort(key=lambda r: (r["student"], r["assignment"], r.get("_order", ("\uffff", 0))))
    for row in rows:
        row.pop("_order", None)
    write_csv(rows, out / "grades.csv")
    return rows


def _n_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run_jobs(specs, n_jobs, progress, attempts=2):
    """Grade every spec in a pool of n_jobs processes; a job whose worker died is retried, then an error row."""
    rows, pending = [], list(specs)
    bar = _progress(None, "autograde", progress, total=len(specs))
    for attempt in range(attempts):
        if not pending:
            break
        retry = []
        ctx = multiprocessing.get_context("spawn")  # no forked copies of zmq/asyncio state
        with cf.ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx, initializer=_init_worker) as pool:
            futures = {pool.submit(grade_job, spec): spec for spec in pending}
            for future in cf.as_completed(futures):
                spec = futures[future]
                try:
                    rows.extend(future.result())
                except Exception as exc:  # the worker process died (BrokenProcessPool) or could not start
                    if attempt + 1 < attempts:
                        retry.append(spec)
                        continue
                    rows.append(_error_row(spec["student"], spec["assignment"], f"grading process failed: {exc!r}"))
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


def grade_job(spec):
    """Autograde one (student, assignment) in its own course dir; rows for grades.csv, feedback copied out."""
    student, assignment = spec["student"], spec["assignment"]
    # nbgrader's gradebook code trips SQLAlchemy's autoflush warnings; they are noise here
    warnings.filterwarnings("ignore", message=r"Object of type <\w+> not in session")
    try:
        cfg = load_config(spec["config_root"])
        cfg.Execute.timeout = spec["timeout"]
        msg = f"the cell ran longer than {spec['timeout']} s (an infinite loop?)"
        cfg.Execute.error_on_timeout = {"ename": "CellTimeoutError", "evalue": msg,
                                        "traceback": [f"CellTimeoutError: {msg}"]}
        job = Path(spec["job_root"])
        src_name, _ = _dirs(cfg)
        shutil.copytree(Path(spec["template"]) / src_name, job / src_name)
        shutil.copy(Path(spec["template"]) / "gradebook.db", job / "gradebook.db")
        shutil.copytree(spec["submission"], job / "submitted" / student / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        api = _api(job, cfg)
        result = api.autograde(assignment, student, force=True, create=True)
        if not result["success"]:
            return [_error_row(student, assignment, "nbgrader autograde failed: " + _last_line(result))]
        rows = read_scores(job, cfg, assignment, student)
        result = api.generate_feedback(assignment, student, force=True)
        feedback = job / "feedback" / student / assignment
        if result["success"] and feedback.is_dir():
            shutil.copytree(feedback, Path(spec["out"]) / "feedback" / student / assignment, dirs_exist_ok=True)
        else:
            rows.append(_error_row(student, assignment, "nbgrader generate_feedback failed: " + _last_line(result)))
        return rows
    except Exception:
        return [_error_row(student, assignment, "grading crashed: " + traceback.format_exc().strip().splitlines()[-1])]


def _last_line(result):
    """The real cause of an nbgrader API failure: the last exception line in its log, else in its traceback."""
    for text in (result.get("log") or "", result.get("error") or ""):
        found = EXCEPTION_LINE.findall(text)
        if found:
            return found[-1].strip()
    return "unknown error"


def read_scores(job, cfg, assignment, student):
    """Rows (one per grade cell, in notebook order) from the job's gradebook and autograded notebooks."""
    from nbgrader.api import Gradebook

    course_id = cfg.get("CourseDirectory", {}).get("course_id", "default_course")
    rows = []
    with Gradebook(f"sqlite:///{job / 'gradebook.db'}", course_id) as gb:
        submission = gb.find_submission(assignment, student)
        for notebook in submission.notebooks:
            path = job / "autograded" / student / assignment / f"{notebook.name}.ipynb"
            nb = nbformat.read(path, as_version=4) if path.exists() else None
            messages, order, tests = exercise_messages(nb) if nb else ({}, [], set())
            for grade in notebook.grades:
                g = grade.to_dict()
                msg = messages.get(g["name"], "")
                if g["auto_score"] is None:
                    status, points = "pending", None  # a written answer to grade by hand: not scored, not zero
                else:
                    points = float(g["auto_score"])
                    status = "passed" if points >= g["max_score"] else "failed" if points == 0 else "partial"
                    if g["name"] not in tests and points == 0:
                        status, msg = "unanswered", "no answer written (the cell is unchanged)"
                if nb is None:
                    msg = f"no submitted notebook {notebook.name}.ipynb"
                elif status == "passed":
                    msg = ""
                rank = order.index(g["name"]) if g["name"] in order else len(order)
                rows.append({"student": student, "assignment": assignment, "notebook": notebook.name,
                             "exercise": g["name"], "points": points, "max_points": float(g["max_score"]),
                             "status": status, "message": msg, "_order": (notebook.name, rank)})
    return rows


def exercise_messages(nb):
    """({test cell grade_id: why it failed}, grade ids in order, test cell ids) from an executed notebook.

    The message is the test cell's error, plus the first error (a timeout, say) in the cells since
    the previous test cell, usually the student's answer and the likelier cause.
    """
    messages, order, tests, earlier = {}, [], set(), []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            order.append(meta.get("grade_id"))
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if not is_test_cell(cell):
            earlier += [(meta.get("grade_id", "a cell above"), o) for o in errors]
            continue
        tests.add(meta.get("grade_id"))
        parts = [error_message(o) for o in errors]
        if not errors and any(o.get("name") == "stderr" for o in cell.get("outputs", [])):
            parts.append("the test cell wrote to stderr, which nbgrader scores 0")
        if earlier:
            where, first = earlier[0]
            parts.append(f"(earlier, {where} failed with {error_message(first)})")
        messages[meta.get("grade_id")] = _one_line(" ".join(parts))
        earlier = []
    return messages, order, tests


def write_csv(rows, path):
    """grades.csv with CSV_COLUMNS; points left blank when pending or error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if row.get(k) is None else f"{row[k]:g}" if isinstance(row[k], float)
                                 else row[k]) for k in CSV_COLUMNS})
    return path
