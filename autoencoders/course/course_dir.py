"""Throwaway nbgrader course folders: nbgrader's API pointed at a folder, and an assignment generated in it."""

import copy
import os
import shutil
import sys
from pathlib import Path

from .config import directories, ignore_patterns


def nbgrader_api(course_root, cfg):
    """An NbGraderAPI whose course directory is course_root, configured by cfg."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    cfg = copy.deepcopy(cfg)
    cfg.CourseDirectory.root = str(course_root)
    cfg.CourseDirectory.source_directory, cfg.CourseDirectory.release_directory = directories(cfg)
    cfg.NbGraderAPI.log_level = "WARN"
    return NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)


def generate(course_root, name, source, cfg):
    """Build a throwaway nbgrader course in course_root: source copied in, generate_assignment run.

    Leaves course_root/<source dir>/<name>, course_root/<release dir>/<name> and gradebook.db.
    """
    if shutil.which("alembic") is None:  # nbgrader runs `alembic` to stamp a new gradebook.db
        os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    shutil.copytree(source, Path(course_root) / directories(cfg)[0] / name, ignore=ignore_patterns(cfg))
    result = nbgrader_api(course_root, cfg).generate_assignment(name, force=True, create=True)
    if not result["success"]:
        raise RuntimeError(
            f"nbgrader generate_assignment {name} failed:\n{result.get('error', '')}\n{result.get('log', '')}"
        )
