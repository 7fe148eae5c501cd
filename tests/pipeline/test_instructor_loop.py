"""The instructor's whole loop on a small class, with real nbgrader, real kernels and nbgrader's formgrader.

release (the session fixture) -> autograde in parallel into the course gradebook -> a hand grade through
the formgrader's REST API and more through `grades export` / `grades import` -> feedback, totals and a
Canvas upload rendered again from the gradebook -> a regrade that keeps the hand grades of unchanged answers.
The course root is a temporary copy of nbgrader_config.py with a late-submission policy added, so the
course gradebook sits where nbgrader puts it by default.
"""

import csv
import datetime
import json
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import pytest

from autoencoders import course as ae_course
from autoencoders.cli import main as cli
from autoencoders.course.gradebook import open_gradebook
from autoencoders.course.handgrading import GradesFileError, import_grades
from tests.pipeline.submissions import (
    FIXTURES,
    TIMEOUT,
    TOY,
    WRONG_SIGMOID,
    cell_by_id,
    edited,
    perfect,
    write_submission,
)
from tests.support import ROOT

pytestmark = pytest.mark.slow

COURSE_ID = "autoencoders"
SOURCES = {TOY: FIXTURES / "solutions" / TOY}
DUE = datetime.datetime(2026, 1, 1, 12, 0)
WRONG_MSE = {"cell": "mse", "find": "np.mean(", "replace": "np.sum("}
BOB_ANSWER = "The slope gets small when the unit saturates."


def answer(nbs, text):
    cell_by_id(nbs[TOY], "explain_saturation").source = text
    return nbs


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def rows_by(rows):
    """{(student, exercise): GradeRow} of the score rows."""
    return {(r.student, r.exercise): r for r in rows if r.exercise}


@contextmanager
def formgrader(root):
    """A Jupyter server with nbgrader's formgrader on the course root; (base url, token)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = "loop-test-token"
    cmd = [sys.executable, "-m", "jupyter", "server", f"--port={port}", "--ip=127.0.0.1", "--no-browser"]
    cmd += [f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}", "--allow-root"]
    server = subprocess.Popen(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(request(url, token, "GET", "/api/status"), timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the Jupyter server did not start: {server.stderr.read()[-2000:]}") from None
                time.sleep(0.5)
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=30)


def request(url, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    return urllib.request.Request(url + path, data=data, method=method, headers={"Authorization": f"token {token}"})


@pytest.fixture(scope="module")
def course_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    config = (ROOT / "nbgrader_config.py").read_text()
    (root / "nbgrader_config.py").write_text(config + '\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    with open_gradebook(root, COURSE_ID) as gb:  # the instructor sets a due date before grading
        gb.add_assignment(TOY, duedate=DUE)
    return root


@pytest.fixture(scope="module")
def first(released, course_root, tmp_path_factory):
    """The class graded once: alice right, bob with a wrong sigmoid, carol right but a day late."""
    subs = tmp_path_factory.mktemp("first") / "submitted"
    write_submission(subs, "alice", TOY, perfect(TOY))
    write_submission(subs, "bob", TOY, answer(edited(TOY, [WRONG_SIGMOID]), BOB_ANSWER))
    write_submission(subs, "carol", TOY, perfect(TOY))
    (subs / "carol" / TOY / "timestamp.txt").write_text("2026-01-02 12:00:00.000000 UTC")
    out = subs.parent / "graded"
    rows = ae_course.autograde(subs, out=out, root=course_root, sources=SOURCES, timeout=TIMEOUT, progress=False)
    return rows_by(rows), out


def test_every_submission_lands_in_the_course_gradebook(first, course_root):
    rows, out = first
    assert rows["alice", "test_sigmoid"].status == "passed"
    assert rows["bob", "test_sigmoid"].status == "failed"
    assert rows["alice", "explain_saturation"].status == "pending"
    assert rows["carol", "late penalty"].points == -5.0, "late work scores 0 under penalty_method = 'zero'"
    with open_gradebook(course_root, COURSE_ID) as gb:
        assert sorted(s.student.id for s in gb.assignment_submissions(TOY)) == ["alice", "bob", "carol"]
        assert gb.find_assignment(TOY).duedate == DUE, "the instructor's due date is kept"
        assert gb.find_grade("test_sigmoid", TOY, TOY, "alice").auto_score == 2.0
        assert gb.find_grade("explain_saturation", TOY, TOY, "alice").needs_manual_grade
    for student in ("alice", "bob", "carol"):  # what the formgrader shows
        assert (course_root / "autograded" / student / TOY / f"{TOY}.ipynb").is_file()


def test_the_wide_table_keeps_pending_points_pending(first):
    _, out = first
    header, *records = read_csv(out / "totals.csv")
    assert header == ["student", "toy points", "toy max", "toy pending", "total", "total max", "total pending"]
    assert records[0] == ["alice", "5", "6", "1", "5", "6", "1"]
    assert records[1] == ["bob", "3", "6", "1", "3", "6", "1"]


@pytest.fixture(scope="module")
def hand_graded(first, course_root, tmp_path_factory):
    """alice's answer graded in the formgrader (its REST API), bob's and carol's through the CSV."""
    with open_gradebook(course_root, COURSE_ID) as gb:
        grade_id = gb.find_grade("explain_saturation", TOY, TOY, "alice").id
        comment_id = gb.find_comment("explain_saturation", TOY, TOY, "alice").id
    with formgrader(course_root) as (url, token):
        listed = json.load(urllib.request.urlopen(request(url, token, "GET", f"/formgrader/api/submissions/{TOY}")))
        urllib.request.urlopen(request(url, token, "PUT", f"/formgrader/api/grade/{grade_id}", {"manual_score": 1}))
        body = {"manual_comment": "Right: the slope a(1 - a) vanishes."}
        urllib.request.urlopen(request(url, token, "PUT", f"/formgrader/api/comment/{comment_id}", body))
    folder = tmp_path_factory.mktemp("hand")
    assert cli(["--root", str(course_root), "grades", "export", str(folder / "pending.csv")]) == 0
    header, *pending = read_csv(folder / "pending.csv")
    filled = [header]
    for row in pending:
        record = dict(zip(header, row))
        record["points"], record["comment"] = ("0.5", "Say why the slope is small.") if row[0] == "bob" else ("1", "")
        filled.append([record[k] for k in header])
    with open(folder / "filled.csv", "w", newline="") as f:
        csv.writer(f).writerows(filled)
    assert cli(["--root", str(course_root), "grades", "import", str(folder / "filled.csv")]) == 0
    report = folder / "report"
    roster = folder / "roster.csv"
    roster.write_text("student,name,id,sis_login_id,section\nalice,Alice A,101,aa,S1\nbob,Bob B,102,bb,S1\n")
    roster.write_text(roster.read_text() + "carol,Carol C,103,cc,S2\n")
    assert cli(["--root", str(course_root), "grades", "report", "--out", str(report), "--roster", str(roster)]) == 0
    return header, pending, report, listed


def test_the_formgrader_lists_every_submission(hand_graded):
    listed = hand_graded[3]
    assert sorted(s["student"] for s in listed) == ["alice", "bob", "carol"]
    assert {s["student"]: s["needs_manual_grade"] for s in listed} == {"alice": True, "bob": True, "carol": True}


def test_export_lists_only_the_cells_still_pending_with_the_answers(hand_graded):
    header, pending, *_ = hand_graded
    assert header == ["student", "assignment", "notebook", "exercise", "max_points", "points", "comment", "answer"]
    assert [(r[0], r[3], r[4]) for r in pending] == [
        ("bob", "explain_saturation", "1"),
        ("carol", "explain_saturation", "1"),
    ]
    assert pending[0][7] == BOB_ANSWER


def test_hand_grades_reach_the_totals_the_lms_upload_and_the_feedback(hand_graded):
    report = hand_graded[2]
    totals = {r[0]: r for r in read_csv(report / "totals.csv")[1:]}
    assert totals["alice"][1:4] == ["6", "6", "0"] and totals["bob"][1:4] == ["3.5", "6", "0"]
    assert totals["carol"][1] == "0", "the late policy holds after hand grading: carol's 6 points become 0"
    canvas = read_csv(report / "canvas.csv")
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", TOY]
    assert canvas[1] == ["Points Possible", "", "", "", "", "6"]
    assert canvas[2] == ["Alice A", "101", "", "aa", "S1", "6"] and canvas[3][-1] == "3.5"
    alice = (report / "feedback" / "alice" / TOY / f"{TOY}.html").read_text()
    bob = (report / "feedback" / "bob" / TOY / f"{TOY}.html").read_text()
    assert "the slope a(1 - a) vanishes" in alice and "Say why the slope is small." in bob


def bad_import(course_root, tmp_path, lines):
    path = tmp_path / "bad.csv"
    path.write_text("student,assignment,notebook,exercise,max_points,points,comment\n" + "\n".join(lines) + "\n")
    before = (course_root / "gradebook.db").read_bytes()
    with pytest.raises(GradesFileError) as info:
        import_grades(course_root, ae_course.load_config(course_root), path)
    assert (course_root / "gradebook.db").read_bytes() == before, "a bad file must change nothing"
    return str(info.value)


@pytest.mark.parametrize(
    "line, says",
    [
        ("mallory,toy,toy,explain_saturation,1,1,", "unknown student 'mallory'"),
        ("alice,toy,toy,explain_everything,1,1,", "no graded cell 'explain_everything'"),
        ("alice,toy,toy,explain_saturation,1,2,", "must be between 0 and 1"),
        ("alice,toy,toy,explain_saturation,1,lots,", "is not a number"),
        ("alice,toy,toy,explain_saturation,1", "as many fields as the header"),
        ("alice,toy,toy,test_sigmoid,2,2,nice", "takes no comment"),
    ],
)
def test_a_bad_import_names_the_row_and_writes_nothing(hand_graded, course_root, tmp_path, line, says):
    good = "bob,toy,toy,explain_saturation,1,0,"  # valid, but must not be written either
    message = bad_import(course_root, tmp_path, [good, line])
    assert "line 3" in message and says in message


@pytest.fixture(scope="module")
def regraded(first, hand_graded, course_root, tmp_path_factory):
    """alice resubmits with a wrong mse but the same written answer; bob rewrites his written answer.

    Graded into the first batch's output folder, as an instructor would.
    """
    subs = tmp_path_factory.mktemp("second") / "submitted"
    write_submission(subs, "alice", TOY, edited(TOY, [WRONG_MSE]))
    write_submission(subs, "bob", TOY, answer(edited(TOY, [WRONG_SIGMOID]), BOB_ANSWER + " Its derivative is ~0."))
    out = first[1]
    rows = ae_course.autograde(subs, out=out, root=course_root, sources=SOURCES, timeout=TIMEOUT, progress=False)
    return rows, out


def test_a_regrade_replaces_autograded_scores_and_keeps_unchanged_hand_grades(regraded, course_root):
    rows, out = regraded
    scores = rows_by(rows)
    assert scores["alice", "test_mse"].status == "failed", "the new autograded score replaces the old one"
    assert scores["alice", "explain_saturation"].points == 1.0, "an unchanged answer keeps its hand grade"
    assert scores["bob", "explain_saturation"].status == "pending", "a changed answer is graded again"
    notes = [r.message for r in rows if r.student == "bob" and r.status == "note"]
    assert len(notes) == 1 and "0.5/1" in notes[0] and "Say why the slope is small." in notes[0]
    alice = (out / "feedback" / "alice" / TOY / f"{TOY}.html").read_text()
    assert "the slope a(1 - a) vanishes" in alice, "feedback of a regrade shows the hand grades kept"
    totals = {r[0]: r for r in read_csv(out / "totals.csv")[1:]}
    assert set(totals) == {"alice", "bob", "carol"}, "totals.csv covers the whole course, not only the batch"
    assert (out / "feedback" / "carol" / TOY / f"{TOY}.html").is_file(), "carol was not regraded: hers stays"
    with open_gradebook(course_root, COURSE_ID) as gb:
        assert gb.find_comment("explain_saturation", TOY, TOY, "alice").manual_comment.startswith("Right")


def test_the_course_folder_holds_no_job_leftovers(regraded, course_root):
    names = sorted(p.name for p in course_root.iterdir())
    assert names == ["autograded", "gradebook.db", "nbgrader_config.py"], names
    assert sorted(p.name for p in (course_root / "autograded").iterdir()) == ["alice", "bob", "carol"]
