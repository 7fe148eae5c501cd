"""What grading reports: one GradeRow per exercise, messages a student can read, grades.csv, totals."""

import csv
import dataclasses
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .preprocessors import is_test_cell

MESSAGE_CHARS = 300  # longest message kept in grades.csv and printed by check
NOT_WRITTEN = "NotImplementedError: not written yet (replace `raise NotImplementedError()` with your code)"
LAST = ("\uffff", 0)  # position of rows that belong to no cell: after every cell


@dataclass
class GradeRow:
    """One row of grades.csv: an exercise of a student's assignment, or an error of the whole job."""

    student: str
    assignment: str
    notebook: str = ""
    exercise: str = ""
    points: float = None  # None while pending (graded by hand) or on error
    max_points: float = None
    status: str = "error"  # passed, partial, failed, unanswered, pending, late, error, or note (what grading fixed)
    message: str = ""
    position: tuple = dataclasses.field(default=LAST, compare=False)  # (notebook, cell rank), for sorting only

    def sort_key(self):
        return self.student, self.assignment, self.position


CSV_COLUMNS = [f.name for f in dataclasses.fields(GradeRow) if f.name != "position"]


def error_row(student, assignment, message):
    """The row of a job that could not be graded."""
    return GradeRow(student, assignment, status="error", message=one_line(message))


def one_line(text):
    """text on one line, cut to MESSAGE_CHARS."""
    text = " ".join(str(text).split())
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 3] + "..."


def error_message(output):
    """'Name: value' of an error output (or execute_reply content) on one line."""
    if output.get("ename") == "NotImplementedError" and not output.get("evalue"):
        return NOT_WRITTEN
    return one_line(f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".rstrip(": "))


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
        messages[meta.get("grade_id")] = one_line(" ".join(parts))
        earlier = []
    return messages, order, tests


def read_scores(job, course_id, assignment, nbgrader_id, student, gb=None):
    """GradeRows (one per grade cell, in notebook order) from a job folder's gradebook and autograded notebooks.

    nbgrader_id is the student's id inside the job's course; student is the name the rows carry; gb, if given,
    is job's gradebook already open (to read many submissions through one connection).
    """
    if gb is None:
        from .gradebook import open_gradebook

        with open_gradebook(job, course_id) as gb:
            return read_scores(job, course_id, assignment, nbgrader_id, student, gb)
    rows = []
    for notebook in gb.find_submission(assignment, nbgrader_id).notebooks:
        path = Path(job) / "autograded" / nbgrader_id / assignment / f"{notebook.name}.ipynb"
        nb = nbformat.read(path, as_version=4) if path.exists() else None
        messages, order, tests = exercise_messages(nb) if nb else ({}, [], set())
        for grade in notebook.grades:
            rows.append(_grade_row(student, assignment, notebook.name, grade.to_dict(), nb, messages, order, tests))
        if notebook.late_submission_penalty:
            rows.append(_late_row(student, assignment, notebook.name, notebook.late_submission_penalty))
    return rows


def _late_row(student, assignment, notebook, penalty):
    """The late-submission penalty of a notebook, as a row of negative points (nbgrader's late penalty)."""
    message = f"submitted after the due date: {penalty:g} points off (the course's late-submission policy)"
    return GradeRow(student, assignment, notebook, "late penalty", -float(penalty), 0.0, "late", message)


def _grade_row(student, assignment, notebook, grade, nb, messages, order, tests):
    name, max_points = grade["name"], float(grade["max_score"])
    message = messages.get(name, "")
    by_hand = grade.get("manual_score") is not None  # a grader's score, over the autograder's
    score = grade["manual_score"] if by_hand else grade["auto_score"]
    if score is None:
        status, points = "pending", None  # a written answer to grade by hand: not scored, not zero
    else:
        points = float(score) + (float(grade.get("extra_credit") or 0) if by_hand else 0.0)
        status = "passed" if points >= max_points else "failed" if points == 0 else "partial"
        if name not in tests and points == 0 and not by_hand:
            status, message = "unanswered", "no answer written (the cell is unchanged)"
    if nb is None:
        message = f"no submitted notebook {notebook}.ipynb"
    elif status == "passed":
        message = ""
    rank = order.index(name) if name in order else len(order)
    return GradeRow(student, assignment, notebook, name, points, max_points, status, message, (notebook, rank))


def write_csv(rows, path):
    """grades.csv with CSV_COLUMNS; points left blank when pending or error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_value(getattr(row, k)) for k in CSV_COLUMNS})
    return path


def _csv_value(value):
    return "" if value is None else f"{value:g}" if isinstance(value, float) else value


@dataclass
class SubmissionTotal:
    """The points of one (student, assignment) so far, its cells still to grade by hand, its errors."""

    student: str
    assignment: str
    points: float = 0.0
    max_points: float = 0.0  # of the cells scored: pending cells are counted apart
    pending: int = 0  # cells still to grade by hand
    pending_points: float = 0.0  # their max points
    errors: list = dataclasses.field(default_factory=list)


def totals(rows):
    """One SubmissionTotal per (student, assignment), sorted."""
    by_job = {}
    for r in rows:
        t = by_job.setdefault((r.student, r.assignment), SubmissionTotal(r.student, r.assignment))
        if r.status == "error":
            t.errors.append(r.message)
        elif r.status == "pending":
            t.pending += 1
            t.pending_points += r.max_points
        elif r.status != "note":
            t.points += r.points
            t.max_points += r.max_points
    return [by_job[key] for key in sorted(by_job)]
