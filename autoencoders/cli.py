"""Command line: python -m autoencoders {release,check,autograde} (also the `autoencoders` script)."""

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
    a.add_argument("--timeout", type=int, default=None, help="seconds per cell (default: nbgrader_config.py)")
    a.add_argument("--no-progress", action="store_true", help="no progress bar")
    a.add_argument("--memory", type=float, default=4.0, help="memory limit per submission in GiB (default: 4)")
    a.add_argument("--processes", type=int, default=64, help="process limit per submission (default: 64)")
    a.add_argument(
        "--no-sandbox",
        action="store_true",
        help="grade without bubblewrap (macOS, Windows): student code is NOT contained",
    )
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
            timeout=args.timeout,
            progress=not args.no_progress,
            sandbox=not args.no_sandbox,
            limits=Limits(int(args.memory * GIB), args.processes),
        )
    except (SandboxUnavailable, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _summary(rows, args.out or args.submissions.resolve().parent / "graded")
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
        f"{len(submissions)} submissions graded, {n_err} with errors; wrote {Path(out) / 'grades.csv'} "
        f"and {Path(out) / 'feedback'}/"
    )


if __name__ == "__main__":
    sys.exit(main())
