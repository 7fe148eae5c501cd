"""autoencoders.course.exports: the wide table of totals, the roster and the Canvas upload, from grade rows."""

import csv

import pytest

from autoencoders.course import exports, report
from autoencoders.course.report import GradeRow


def row(student, assignment, exercise, points, max_points, status=None):
    status = status or ("pending" if points is None else "passed" if points == max_points else "failed")
    return GradeRow(student, assignment, exercise=exercise, points=points, max_points=max_points, status=status)


ROWS = [
    row("ann", "01", "a", 2.0, 2.0),
    row("ann", "01", "essay", None, 3.0),
    row("ann", "02", "b", 1.0, 4.0),
    row("bob", "01", "a", 0.0, 2.0),
    row("bob", "01", "essay", 2.5, 3.0, "partial"),
    GradeRow("bob", "01", exercise="late penalty", points=-1.0, max_points=0.0, status="late"),
    report.error_row("cat", "01", "nbgrader autograde failed"),
    row("cat", "02", "b", 4.0, 4.0),
]


def test_the_wide_table_keeps_pending_points_apart_and_leaves_what_is_missing_blank():
    header, records = exports.wide_table(ROWS)
    assert header == ["student", "01 points", "01 max", "01 pending", "02 points", "02 max", "02 pending"] + [
        "total",
        "total max",
        "total pending",
    ]
    ann, bob, cat = records
    assert ann == ["ann", "2", "5", "3", "1", "4", "0", "3", "9", "3"], "ann's essay is pending, not 0"
    assert bob == ["bob", "1.5", "5", "0", "", "4", "", "1.5", "9", "0"], "not submitted: blank; late: 1 off"
    assert cat[1:4] == ["", "5", ""], "an error row is not a score of 0"


def test_a_roster_needs_a_student_and_an_lms_id_on_every_row(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("student,name,id\nann,Ann A,11\nbob,Bob B,12\n")
    assert exports.read_roster(path)["bob"]["id"] == "12"
    for text, says in [
        ("name,id\nAnn,11\n", "needs a 'student' column"),
        ("student,name\nann,Ann\n", "one of id, sis_user_id, sis_login_id"),
        ("student,id\nann,11\nbob,\n", "line 3"),
        ("student,id\nann,11\nann,12\n", "listed twice"),
    ]:
        path.write_text(text)
        with pytest.raises(ValueError, match=says):
            exports.read_roster(path)
    with pytest.raises(ValueError, match="no roster file"):
        exports.read_roster(tmp_path / "missing.csv")


def test_the_canvas_upload_leaves_pending_scores_blank_and_refuses_students_not_in_the_roster(tmp_path):
    roster = {
        s: {"student": s, "name": s.title(), "id": str(i), "sis_user_id": "", "sis_login_id": s, "section": "A"}
        for i, s in enumerate(["ann", "bob", "cat"])
    }
    path = exports.write_canvas(ROWS, roster, tmp_path / "canvas.csv")
    with open(path, newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "01", "02"]
    assert lines[1] == ["Points Possible", "", "", "", "", "5", "4"]
    assert lines[2] == ["Ann", "0", "", "ann", "A", "", "1"], "ann's 01 has points pending: blank"
    assert lines[3][5:] == ["1.5", ""] and lines[4][5:] == ["", "4"]
    del roster["bob"]
    with pytest.raises(ValueError, match="no row for bob"):
        exports.write_canvas(ROWS, roster, tmp_path / "canvas.csv")


def test_grades_commands_without_a_gradebook_say_where_they_looked(tmp_path, capsys):
    from autoencoders.cli import main

    assert main(["--root", str(tmp_path), "grades", "export", str(tmp_path / "hand.csv")]) == 2
    assert f"no gradebook.db in {tmp_path}: run autograde first" in capsys.readouterr().err
    assert not (tmp_path / "hand.csv").exists() and not (tmp_path / "gradebook.db").exists()
