"""Release, self-check and parallel autograding of the course notebooks, built on nbgrader 0.9.

solutions/<name>/*.ipynb --release--> notebooks/<name>/*.ipynb --students--> DIR/<student>/<name>/*.ipynb
--autograde--> graded/grades.csv, totals.csv, feedback/<student>/<name>/*.html, and the course gradebook
--grades export/import (hand grading) and report--> graded/ again, with the hand grades, plus canvas.csv

    config         the course root, nbgrader_config.py and the kit's nbgrader defaults
    preprocessors  the kit's nbgrader preprocessors
    course_dir     throwaway nbgrader course folders
    release        solutions/ -> notebooks/
    check          a student's self-check
    autograde      parallel grading of a folder of submissions
    pool           the jobs' runner: a local process pool, or a Dask cluster
    gradebook      the course gradebook every batch merges into; feedback rendered from it
    feedback       nbgrader feedback with hidden tests hidden and hand grades pending, not 0
    handgrading    hand grading by CSV: export the pending cells, import the points and comments
    report         grade rows, messages, grades.csv, totals
    exports        totals.csv (one row per student) and the Canvas upload

Every assignment is a folder of solutions/ holding notebooks, so a new notebook needs no code change.
nbgrader is imported lazily: it is slow to import and `check` never needs it.
"""

from .autograde import autograde, find_submissions
from .check import check
from .config import find_assignments, find_root, load_config
from .preprocessors import LimitOutputChars, StderrToStdout, is_test_cell
from .release import normalise, release
from .report import CSV_COLUMNS, GradeRow, totals, write_csv

__all__ = [
    "CSV_COLUMNS",
    "GradeRow",
    "LimitOutputChars",
    "StderrToStdout",
    "autograde",
    "check",
    "find_assignments",
    "find_root",
    "find_submissions",
    "is_test_cell",
    "load_config",
    "normalise",
    "release",
    "totals",
    "write_csv",
]
