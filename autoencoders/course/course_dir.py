"""Throwaway nbgrader course folders: nbgrader's API pointed at a folder, and an assignment generated in it."""

import copy
import functools
import os
import shutil
import sys
from pathlib import Path

from .config import directories, ignore_patterns


def fast_new_gradebooks():
    """Let nbgrader create gradebook.db files quickly: its schema version is asked of `alembic` once per process.

    nbgrader stamps every new gradebook.db with the version `alembic heads` prints, a new process each time (about
    4 s); the answer cannot change while this process runs.
    """
    import nbgrader.api

    if shutil.which("alembic") is None:  # the venv's bin, when it is not on PATH
        os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    if not hasattr(nbgrader.api.get_alembic_version, "cache_info"):
        nbgrader.api.get_alembic_version = functools.cache(nbgrader.api.get_alembic_version)


def nbgrader_api(course_root, cfg):
    """An NbGraderAPI whose course directory is course_root, configured by cfg."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    fast_new_gradebooks()
    cfg = copy.deepcopy(cfg)
    cfg.CourseDirectory.root = str(course_root)
    cfg.CourseDirectory.source_directory, cfg.CourseDirectory.release_directory = directories(cfg)
    cfg.NbGraderAPI.log_level = "WARN"
    return NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)


def generate(course_root, name, source, cfg):
    """Build a throwaway nbgrader course in course_root: source copied in, generate_assignment run.

    Leaves course_root/<source dir>/<name>, course_root/<release dir>/<name> and gradebook.db.
    """
    shutil.copytree(source, Path(course_root) / directories(cfg)[0] / name, ignore=ignore_patterns(cfg))
    result = nbgrader_api(course_root, cfg).generate_assignment(name, force=True, create=True)
    if not result["success"]:
        raise RuntimeError(
            f"nbgrader generate_assignment {name} failed:\n{result.get('error', '')}\n{result.get('log', '')}"
        )
