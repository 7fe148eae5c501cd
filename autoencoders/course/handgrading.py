"""Hand grading without a browser: the cells still to grade out to a CSV, the grades and comments back in.

    grades export FILE   one row per pending cell: student, assignment, notebook, exercise, max_points,
                         points (blank), comment (blank), answer (the student's text, for reading)
    grades import FILE   the points and comments of a filled-in FILE into the course gradebook

An import is checked whole before anything is written, and written in one transaction: a file with a
single bad row changes nothing, and the error lists every bad row.
"""

import csv
import math
from pathlib import Path

import nbformat

from .gradebook import AUTOGRADED, apply_late_penalties, course_id_of, late_penalty_of, open_gradebook

EXPORT_COLUMNS = ["student", "assignment", "notebook", "exercise", "max_points", "points", "comment", "answer"]
REQUIRED = ["student", "assignment", "notebook", "exercise", "points"]  # what an import needs; the rest is optional
MAX_ERRORS = 20  # bad rows listed in one error


class GradesFileError(ValueError):
    """A grades file that cannot be imported; the message lists its bad rows."""


def pending_cells(course, course_id):
    """[(student, assignment, notebook, grade)] of every grade cell with no score yet, in gradebook order."""
    out = []
    with open_gradebook(course, course_id) as gb:
        for assignment in gb.assignments:
            for submission in gb.assignment_submissions(assignment.name):
                for nb in submission.notebooks:
                    for g in nb.grades:
                        if g.manual_score is None and g.auto_score is None:
                            out.append((submission.student.id, assignment.name, nb.name, g.name, g.max_score))
    return out


def export_pending(course, course_id, path):
    """Write the pending cells to path as a CSV (EXPORT_COLUMNS); the number of rows written."""
    rows = pending_cells(course, course_id)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sources = {}
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        for student, assignment, notebook, exercise, max_points in rows:
            key = (student, assignment, notebook)
            if key not in sources:
                sources[key] = _cell_sources(Path(course) / AUTOGRADED / student / assignment / f"{notebook}.ipynb")
            answer = sources[key].get(exercise, "(the graded notebook is missing)")
            writer.writerow(dict(zip(EXPORT_COLUMNS, (*key, exercise, f"{max_points:g}", "", "", answer))))
    return len(rows)


def _cell_sources(path):
    """{grade_id: source} of a notebook's nbgrader cells ({} when the file is missing)."""
    if not path.is_file():
        return {}
    cells = nbformat.read(path, as_version=4).cells
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in cells if "grade_id" in c.metadata.get("nbgrader", {})}


def import_grades(course, cfg, path):
    """Read points and comments from a CSV into the course gradebook; the number of cells updated.

    Late penalties are computed again for the submissions changed (cfg's late-submission policy).

    A row with blank points and a blank comment is skipped (the cell stays pending).
    Raises:
        GradesFileError: the file is unreadable, lacks a column, or has bad rows (unknown student,
            assignment, notebook or exercise, points that are not a number in [0, max_points], the same
            cell twice); nothing is written then.
    """
    rows = _read_rows(path)
    course_id, late_penalty = course_id_of(cfg), late_penalty_of(cfg)
    errors, updates, seen = [], [], {}
    with open_gradebook(course, course_id) as gb:
        for line, row in rows:
            key = tuple(row.get(k, "").strip() for k in REQUIRED[:4])
            problem = _check_row(gb, key, row)
            if problem is None and key in seen:
                problem = f"the same cell as line {seen[key]}"
            if problem:
                errors.append(f"line {line}: {problem}")
                continue
            seen[key] = line
            points, comment = row["points"].strip(), (row.get("comment") or "").strip()
            if points or comment:
                updates.append((key, float(points) if points else None, comment or None))
        if errors:
            more = f"\n  ... and {len(errors) - MAX_ERRORS} more" if len(errors) > MAX_ERRORS else ""
            raise GradesFileError(
                f"{path}: nothing was imported, {len(errors)} bad row(s):\n  " + "\n  ".join(errors[:MAX_ERRORS]) + more
            )
        try:
            for (student, assignment, notebook, exercise), points, comment in updates:
                grade = gb.find_grade(exercise, notebook, assignment, student)
                if points is not None:
                    grade.manual_score = points
                    grade.needs_manual_grade = False
                if comment is not None:
                    gb.find_comment(exercise, notebook, assignment, student).manual_comment = comment
            for student, assignment in sorted({(k[0], k[1]) for k, _, _ in updates}):
                apply_late_penalties(gb.find_submission(assignment, student), late_penalty)
            gb.db.commit()
        except Exception:
            gb.db.rollback()
            raise
    return len(updates)


def _read_rows(path):
    """[(line number, row dict)] of a CSV with the REQUIRED columns."""
    path = Path(path)
    if not path.is_file():
        raise GradesFileError(f"no grades file {str(path)!r}")
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise GradesFileError(
                    f"{path}: the header must name the columns {', '.join(REQUIRED)} (missing: {', '.join(missing)}); "
                    "start from the file `grades export` writes"
                )
            rows = [(reader.line_num, row) for row in reader]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise GradesFileError(f"{path}: not a readable CSV file ({exc})") from None
    return rows


def _check_row(gb, key, row):
    """Why a row cannot be imported (None when it can)."""
    from nbgrader.api import MissingEntry

    if None in row or any(v is None for v in row.values()):
        return "the row does not have as many fields as the header"
    student, assignment, notebook, exercise = key
    try:
        gb.find_student(student)
    except MissingEntry:
        return f"unknown student {student!r}"
    try:
        submission = gb.find_submission(assignment, student)
    except MissingEntry:
        return f"student {student!r} has no graded submission of assignment {assignment!r}"
    if notebook not in {nb.name for nb in submission.notebooks}:
        return f"assignment {assignment!r} has no notebook {notebook!r}"
    try:
        grade = gb.find_grade(exercise, notebook, assignment, student)
    except MissingEntry:
        return f"notebook {notebook!r} has no graded cell {exercise!r}"
    if (row.get("comment") or "").strip():
        try:
            gb.find_comment(exercise, notebook, assignment, student)
        except MissingEntry:
            return f"{exercise!r} is a test cell, which takes no comment: put the comment on the answer cell"
    text = row["points"].strip()
    if not text:
        return None
    try:
        points = float(text)
    except ValueError:
        return f"points {text!r} is not a number"
    if not math.isfinite(points) or points < 0 or points > grade.max_score:
        return f"points {text} must be between 0 and {grade.max_score:g} (the exercise's maximum)"
    return None
