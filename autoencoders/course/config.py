"""The course on disk: its root, its nbgrader_config.py (read once per command) and the kit's nbgrader defaults.

nbgrader_config.py imports the defaults below, so each setting is written in one place.
"""

import os
import shutil
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = "nbgrader_config.py"

DEFAULT_TIMEOUT = 180  # seconds per cell
KERNEL_ARGS = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]  # no history db, no chatter
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"  # what a student sees in place of a solution
TEXT_STUB = "YOUR ANSWER HERE"
IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]  # never copied into a course folder


def timeout_error(seconds):
    """The error output nbgrader records when a cell runs past its limit."""
    message = f"the cell ran longer than {seconds} s (an infinite loop?)"
    return {"ename": "CellTimeoutError", "evalue": message, "traceback": [f"CellTimeoutError: {message}"]}


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


def directories(cfg):
    """(source_directory, release_directory) names from the config."""
    cd = cfg.get("CourseDirectory", {})
    return cd.get("source_directory", "solutions"), cd.get("release_directory", "notebooks")


def cell_timeout(cfg, timeout=None):
    """Per-cell time limit in seconds: explicit value, else Execute/ExecutePreprocessor config, else the default."""
    for value in (timeout, cfg.get("Execute", {}).get("timeout"), cfg.get("ExecutePreprocessor", {}).get("timeout")):
        if value is not None:
            return int(value)
    return DEFAULT_TIMEOUT


def kernel_args(cfg):
    """Extra command-line arguments for every kernel."""
    return list(cfg.get("Execute", {}).get("extra_arguments", KERNEL_ARGS))


def code_stub(cfg):
    """The code that replaces a solution in the released notebook."""
    return cfg.get("ClearSolutions", {}).get("code_stub", {}).get("python", CODE_STUB)


def ignore_patterns(cfg):
    """shutil.copytree's ignore= for the files a course copy must leave out."""
    return shutil.ignore_patterns(*cfg.get("CourseDirectory", {}).get("ignore", IGNORE))


def find_assignments(root=None, cfg=None):
    """{assignment name: source folder} for every folder of the source directory holding a notebook."""
    root = Path(root or find_root())
    src = root / directories(cfg if cfg is not None else load_config(root))[0]
    if not src.is_dir():
        return {}
    return {d.name: d for d in sorted(src.iterdir()) if d.is_dir() and any(d.glob("*.ipynb"))}
