"""autoencoders.course.report: grade rows, the messages students read, grades.csv and totals."""

import csv

import nbformat

from autoencoders.course import report
from autoencoders.course.report import GradeRow


def graded(gid, source="pass", test=True, outputs=()):
    c = nbformat.v4.new_code_cell(source)
    c.metadata["nbgrader"] = {"grade": test, "solution": not test, "grade_id": gid, "points": 1}
    c.outputs = [nbformat.v4.new_output(**o) for o in outputs]
    return c


def error(ename, evalue=""):
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": []}


def test_an_untouched_stub_reads_not_written_yet():
    assert report.error_message({"ename": "NotImplementedError", "evalue": ""}) == report.NOT_WRITTEN
    assert (
        report.error_message({"ename": "AssertionError", "evalue": "x is 2,\n expected 3"})
        == "AssertionError: x is 2, expected 3"
    )


def test_long_messages_are_cut_to_one_line():
    text = report.one_line("word\n" * 200)
    assert "\n" not in text and len(text) == report.MESSAGE_CHARS and text.endswith("...")


def test_exercise_messages_name_the_earlier_failure_that_likely_caused_a_test_to_fail():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        graded("answer", test=False, outputs=[error("CellTimeoutError", "ran longer than 5 s")]),
        graded("test_a", outputs=[error("NameError", "name 'f' is not defined")]),
        graded("test_b", outputs=[{"output_type": "stream", "name": "stderr", "text": "warn"}]),
    ]
    messages, order, tests = report.exercise_messages(nb)
    assert order == ["test_a", "test_b"] and tests == {"test_a", "test_b"}
    assert messages["test_a"].startswith("NameError") and "answer failed with CellTimeoutError" in messages["test_a"]
    assert "stderr" in messages["test_b"] and "earlier" not in messages["test_b"]


def test_grades_csv_leaves_pending_and_error_points_blank(tmp_path):
    rows = [
        GradeRow("ann", "01", "01", "test_a", 2.0, 2.0, "passed"),
        GradeRow("ann", "01", "01", "essay", None, 3.0, "pending"),
        report.error_row("bob", "01", "grading crashed:\n boom"),
    ]
    with open(report.write_csv(rows, tmp_path / "out" / "grades.csv")) as f:
        written = list(csv.DictReader(f))
    assert list(written[0]) == report.CSV_COLUMNS and "position" not in report.CSV_COLUMNS
    assert [(r["points"], r["max_points"], r["status"]) for r in written] == [
        ("2", "2", "passed"),
        ("", "3", "pending"),
        ("", "", "error"),
    ]
    assert written[2]["message"] == "grading crashed: boom"


def test_rows_sort_by_student_assignment_and_cell_with_job_errors_last():
    rows = [
        report.error_row("ann", "01", "x"),
        GradeRow("ann", "01", position=("01", 1)),
        GradeRow("ann", "01", position=("01", 0)),
        GradeRow("abe", "02"),
    ]
    ordered = sorted(rows, key=GradeRow.sort_key)
    assert [(r.student, r.position) for r in ordered] == [
        ("abe", report.LAST),
        ("ann", ("01", 0)),
        ("ann", ("01", 1)),
        ("ann", report.LAST),
    ]


def test_totals_add_autograded_points_count_pending_cells_and_keep_errors():
    rows = [
        GradeRow("ann", "01", exercise="a", points=2.0, max_points=2.0, status="passed"),
        GradeRow("ann", "01", exercise="b", points=0.0, max_points=3.0, status="failed"),
        GradeRow("ann", "01", exercise="essay", max_points=4.0, status="pending"),
        report.error_row("bob", "01", "boom"),
    ]
    ann, bob = report.totals(rows)
    assert (ann.student, ann.points, ann.max_points, ann.pending, ann.errors) == ("ann", 2.0, 5.0, 1, [])
    assert (bob.student, bob.points, bob.max_points, bob.errors) == ("bob", 0.0, 0.0, ["boom"])
