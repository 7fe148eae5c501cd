"""Self-check: run a student notebook in a fresh kernel and report its public tests, exercise by exercise."""

import sys
from pathlib import Path

import nbformat

from .config import cell_timeout, find_root, kernel_args, load_config, timeout_error
from .preprocessors import has_hidden_tests, is_test_cell
from .progress import progress_bar
from .report import error_message


def execute(path, timeout=None, progress=True):
    """Run a notebook in a fresh kernel with cwd = its folder; (notebook, {cell index: error reply content})."""
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    cfg = load_config(find_root(path.parent))
    limit = cell_timeout(cfg, timeout)
    errors = {}
    bar = progress_bar(None, path.name, progress, total=sum(c.cell_type == "code" for c in nb.cells))

    def on_executed(cell, cell_index, execute_reply):
        content = execute_reply["content"]
        if content.get("status") == "error":
            errors[cell_index] = content
        if bar is not None:
            bar.update(1)

    client = NotebookClient(
        nb,
        timeout=limit,
        allow_errors=True,
        extra_arguments=kernel_args(cfg),
        interrupt_on_timeout=True,
        record_timing=False,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        error_on_timeout=timeout_error(limit),
        resources={"metadata": {"path": str(path.parent.resolve())}},
        on_cell_executed=on_executed,
    )
    try:
        client.execute()
    finally:
        if bar is not None:
            bar.close()
    return nb, errors


def _has_code(source):
    """True unless the source is only blank lines and comments (a test cell whose tests are all hidden)."""
    return any(ln.strip() and not ln.strip().startswith("#") for ln in source.splitlines())


def _pts(x):
    return "-" if x is None else f"{x:g}"


def check(path, timeout=None, out=None, progress=True):
    """Run a student notebook and print PASSED/FAILED per autograded exercise.

    Args:
        path: the notebook.
        timeout: seconds per cell (default: nbgrader_config.py's).
        out: where the report goes (default: stdout).
        progress: show a progress bar (on stderr).
    Returns:
        0 when every public test passed, 1 otherwise (the exit status of `python -m autoencoders check`).
    """
    out = out or sys.stdout
    nb, errors = execute(path, timeout=timeout, progress=progress)
    sys.stderr.flush()  # the progress bar is gone before the report starts
    graded = [(i, c) for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade")]
    width = max([len(c.metadata.nbgrader.get("grade_id", "")) for _, c in graded] + [10])
    got = total = hidden = graded_later = 0.0
    n_failed = n_tests = 0
    print(f"Public tests of {Path(path).name}:", file=out)
    for i, cell in graded:
        meta = cell.metadata.nbgrader
        name, points = meta.get("grade_id", f"cell-{i}"), float(meta.get("points", 0))
        if not is_test_cell(cell):
            line = f"graded by hand  {_pts(None)}/{_pts(points)}"
        elif not _has_code(cell.source):
            hidden += points
            line = f"hidden tests    {_pts(None)}/{_pts(points)}  (run only when graded)"
            graded_later += points
        elif i in errors:
            n_tests, n_failed, total = n_tests + 1, n_failed + 1, total + points
            line = f"FAILED          {_pts(0)}/{_pts(points)}  {error_message(errors[i])}"
        else:
            n_tests, got, total = n_tests + 1, got + points, total + points
            line = f"PASSED          {_pts(points)}/{_pts(points)}"
        if is_test_cell(cell) and _has_code(cell.source) and has_hidden_tests(cell):
            graded_later += points
            line += "  (+ hidden tests)"
        print(f"  {name:<{width}}  {line}", file=out)
    if not graded:
        print("  (no graded exercises in this notebook)", file=out)
    print(f"Public tests: {_pts(got)}/{_pts(total)} points, {n_tests - n_failed} of {n_tests} passed.", file=out)
    print(
        f"{_pts(graded_later)} of {_pts(total + hidden)} autograded points depend on hidden tests, which run only "
        "when the notebook is graded: passing here does not guarantee full marks.",
        file=out,
    )
    return 0 if n_failed == 0 else 1
