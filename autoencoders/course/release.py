"""Release: regenerate the student notebooks (notebooks/<name>/) from the nbgrader source (solutions/<name>/)."""

import shutil
import tempfile
from pathlib import Path

import nbformat

from .config import directories, find_assignments, find_root, load_config
from .course_dir import generate
from .progress import progress_bar

# metadata that changes whenever a notebook is run or opened; never part of a release
VOLATILE_CELL_KEYS = ("execution", "ExecuteTime", "collapsed", "scrolled", "papermill", "pycharm")
VOLATILE_NB_KEYS = ("widgets", "papermill", "vscode", "toc", "varInspector", "celltoolbar", "toc-autonumbering")


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
    """Regenerate dest/<name>/ (default notebooks/<name>/) from solutions/<name>/ with nbgrader.

    Args:
        names: assignments to release (default: every folder of the source directory).
        root: the course root (default: the nearest folder with nbgrader_config.py).
        dest: the release folder (default: the config's release directory under root).
        sources: {name: folder} to release instead of solutions/ (tests release their own).
        progress: show a progress bar.
    Returns:
        The paths of the notebooks written.
    Raises:
        ValueError: a name that is not an assignment.
        RuntimeError: nbgrader could not generate an assignment.
    """
    root = Path(root or find_root())
    cfg = load_config(root)
    src_dir, release_dir = directories(cfg)
    sources = dict(sources or find_assignments(root, cfg))
    names = list(names or sources)
    unknown = [n for n in names if n not in sources]
    if unknown:
        raise ValueError(f"names must be assignments in {root / src_dir}: one of {sorted(sources)}, got {unknown}")
    dest = Path(dest or root / release_dir)
    written = []
    for name in progress_bar(names, "release", progress):
        with tempfile.TemporaryDirectory(prefix="release-") as tmp:
            generate(tmp, name, sources[name], cfg)
            built = Path(tmp) / release_dir / name
            for path in built.rglob("*.ipynb"):
                nbformat.write(normalise(nbformat.read(path, as_version=4)), path)
            target = dest / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(built, target)
            written.extend(sorted(target.rglob("*.ipynb")))
    return written
