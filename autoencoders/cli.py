"""Command line: python -m autoencoders {release,check,autograde,grades} (also the `autoencoders` script)."""

import argparse
import sys
from pathlib import Path


def _parser():
    p = argparse.ArgumentParser(prog="python -m autoencoders", description="Autoencoders course kit tools.")
    p.add_argument(
        "--root",
        type=Path,
        default=None,
        help="course root holding nbgrader_config.py (default: nearest one above the cwd)",
    )
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("release", help="regenerate notebooks/<name>/ from solutions/<name>/ (instructors)")
    r.add_argument("names", nargs="*", help="assignments to release (default: all of solutions/)")

    c = sub.add_parser("check", help="run a notebook's public tests in a fresh kernel (students)")
    c.add_argument("notebook", type=Path)
    c.add_argument("--timeout", type=int, default=None, help="seconds per cell (default: nbgrader_config.py)")
    c.add_argument("--no-progress", action="store_true", help="no progress bar")

    a = sub.add_parser("autograde", help="grade DIR/<student>/<assignment>/*.ipynb in parallel (instructors)")
    a.add_argument("submissions", type=Path)
    a.add_argument("--out", type=Path, default=None, help="output folder (default: DIR/../graded)")
    a.add_argument("--jobs", "-j", type=int, default=None, help="parallel jobs (default: number of cores)")
    a.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local process pool of --jobs)",
    )
    a.add_argument("--timeout", type=int, default=None, help="seconds per cell (default: nbgrader_config.py)")
    a.add_argument("--no-progress", action="store_true", help="no progress bar")
    a.add_argument("--memory", type=float, default=4.0, help="memory limit per submission in GiB (default: 4)")
    a.add_argument("--processes", type=int, default=64, help="process limit per submission (default: 64)")
    a.add_argument(
        "--course", type=Path, default=None, help="folder of the course gradebook.db (default: the course root)"
    )
    a.add_argument(
        "--no-sandbox",
        action="store_true",
        help="grade without bubblewrap (macOS, Windows): student code is NOT contained",
    )
    g = sub.add_parser("grades", help="the course gradebook: hand grading by CSV, totals, LMS export (instructors)")
    actions = g.add_subparsers(dest="action", required=True)
    e = actions.add_parser("export", help="write the cells still to grade by hand to a CSV, with the answers")
    e.add_argument("file", type=Path, help="the CSV to write, e.g. hand_grading.csv")
    i = actions.add_parser("import", help="read points and comments from a filled-in CSV into the gradebook")
    i.add_argument("file", type=Path, help="a CSV written by `grades export`, with points and comments filled in")
    r = actions.add_parser(
        "report", help="grades.csv, totals.csv and feedback/ (plus canvas.csv with --roster) from the gradebook"
    )
    r.add_argument("--out", type=Path, default=Path("graded"), help="output folder (default: ./graded)")
    r.add_argument("--roster", type=Path, default=None, help="CSV mapping student folder names to LMS ids")
    r.add_argument("--no-progress", action="store_true", help="no progress bar")
    for parser in (e, i, r):
        parser.add_argument("--course", type=Path, default=None, help="folder of gradebook.db (default: course root)")
    return p


def main(argv=None):
    """Entry point; returns the exit code."""
    args = _parser().parse_args(argv)
    from . import course  # after parsing, so --help stays fast

    if args.command == "release":
        for path in course.release(args.names or None, root=args.root, progress=True):
            print(f"wrote {path}")
        return 0
    if args.command == "check":
        if not args.notebook.is_file():
            print(f"error: notebook must be an existing .ipynb file, got {str(args.notebook)!r}", file=sys.stderr)
            return 2
        return course.check(args.notebook, timeout=args.timeout, progress=not args.no_progress)
    if args.command == "grades":
        return _grades(args)
    from .course.autograde import UNPROTECTED, SandboxUnavailable
    from .course.sandbox import GIB, Limits

    if args.memory <= 0 or args.processes < 1:
        print(
            f"error: --memory must be > 0 and --processes >= 1, got {args.memory} and {args.processes}", file=sys.stderr
        )
        return 2
    if args.no_sandbox:
        print(UNPROTECTED, file=sys.stderr)
    try:
        rows = course.autograde(
            args.submissions,
            out=args.out,
            root=args.root,
            n_jobs=args.jobs,
            scheduler=args.scheduler,
            timeout=args.timeout,
            progress=not args.no_progress,
            sandbox=not args.no_sandbox,
            limits=Limits(int(args.memory * GIB), args.processes),
            course=args.course,
        )
    except (SandboxUnavailable, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _summary(rows, args.out or args.submissions.resolve().parent / "graded")
    print(f"merged into the course gradebook {(args.course or args.root or course.find_root()) / 'gradebook.db'}")
    return 0


def _grades(args):
    """The `grades` actions on the course gradebook."""
    from .course import config, exports, gradebook, handgrading

    root = args.root or config.find_root()
    cfg = config.load_config(root)
    folder = args.course or root
    course_id = gradebook.course_id_of(cfg)
    if not (folder / gradebook.GRADEBOOK).is_file():
        print(f"error: no {gradebook.GRADEBOOK} in {folder}: run autograde first (or pass --course)", file=sys.stderr)
        return 2
    try:
        if args.action == "export":
            n = handgrading.export_pending(folder, course_id, args.file)
            print(f"wrote {args.file}: {n} cells to grade by hand; fill in points (and comments), then `grades import`")
        elif args.action == "import":
            n = handgrading.import_grades(folder, cfg, args.file)
            print(f"imported {n} hand grades into {folder / gradebook.GRADEBOOK}; `grades report` renders feedback")
        else:
            for path in exports.write_reports(folder, cfg, args.out, args.roster, progress=not args.no_progress):
                print(f"wrote {path}")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _summary(rows, out):
    """One line per (student, assignment): autograded points, pending hand-graded cells, errors."""
    from .course import totals

    submissions = totals(rows)
    for t in submissions:
        score = f"{t.points:g}/{t.max_points:g}" + (f", {t.pending} to grade by hand" if t.pending else "")
        if t.errors:
            score = (score + ", " if t.max_points else "") + f"ERROR: {t.errors[0]}"
        print(f"{t.student:<20} {t.assignment:<28} {score}")
    n_err = sum(bool(t.errors) for t in submissions)
    print(
        f"{len(submissions)} submissions graded, {n_err} with errors; wrote {Path(out) / 'grades.csv'}, "
        f"{Path(out) / 'totals.csv'} and {Path(out) / 'feedback'}/"
    )


if __name__ == "__main__":
    sys.exit(main())
