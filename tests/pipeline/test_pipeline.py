"""Graded-notebook round trip with real nbgrader and real kernels: release, self-check, parallel autograde.

Covers every folder of solutions/ that has autograded test cells, plus the toy assignment in
tests/pipeline/fixtures/. All submissions are graded in ONE parallel autograde batch (a session
fixture); the tests then read its rows. Per assignment: the reference answers, the release untouched,
and a cover of its mutants and alternatives packed into few submissions (`submissions.plan`: the
notebook tests already run every one of them in-process).
"""

import collections
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autoencoders import course
from tests.pipeline.submissions import (
    GRADED,
    REPO_SOURCES,
    SOURCES,
    TIMEOUT,
    TOY,
    WRONG_SIGMOID,
    cell_by_id,
    checked_in_process,
    edited,
    exercises,
    locate,
    perfect,
    plan,
    write_submission,
)
from tests.support import ROOT
from tests.support.cells import MARKERS, load_mutants, meta, notebooks_of

pytestmark = pytest.mark.slow

# ---------------------------------------------------------------- building submissions


def graded_cells(name):
    """{test cell grade_id: points} of an assignment's source notebooks."""
    return {
        meta(c)["grade_id"]: float(meta(c)["points"])
        for nb in notebooks_of(SOURCES[name]).values()
        for c in nb.cells
        if course.is_test_cell(c)
    }


# the toy's bad submissions: (student, description, change to a perfect notebook)
def _bad_submissions():
    def deleted_test(nb):
        nb.cells = [c for c in nb.cells if meta(c).get("grade_id") != "test_sigmoid"]

    def edited_test(nb):
        cell_by_id(nb, "test_sigmoid").source = "pass  # tests? what tests?"

    def changed_type(nb):
        for grade_id, new_type in (("test_sigmoid", "markdown"), ("test_mse", "raw")):
            cell = cell_by_id(nb, grade_id)
            cell.cell_type = new_type
            del cell["outputs"], cell["execution_count"]

    def loop(nb):
        cell_by_id(nb, "sigmoid").source = "def sigmoid(z):\n    while True:\n        pass\n"

    def raises(nb):
        cell_by_id(nb, "sigmoid").source = (
            "raise ValueError('my cell is broken')\n\n" + cell_by_id(nb, "sigmoid").source
        )

    def warns(nb):
        cell_by_id(nb, "sigmoid").source = (
            "import sys\n\n\ndef sigmoid(z):\n    print('debugging sigmoid', file=sys.stderr)\n"
            "    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))\n"
        )

    def floods(nb):
        cell_by_id(nb, "sigmoid").source += "\nfor i in range(20000):\n    print('line', i)\n"
        cell_by_id(nb, "mse").source += "\nprint('x' * 3_000_000)\n"

    def delegates(nb):
        cell_by_id(nb, "sigmoid").source = "def sigmoid(z):\n    return ae.activations.sigmoid(z)\n"

    def delegates_alias(nb):
        cell_by_id(nb, "sigmoid").source = (
            "from autoencoders.activations import ACTIVATIONS\n\n"
            "my_sigmoid = ACTIVATIONS['sigmoid']\n\n\n"
            "def sigmoid(z):\n    return my_sigmoid(z)\n"
        )

    def redefines_helpers(nb):
        cell_by_id(
            nb, "sigmoid"
        ).source += (
            "\n\ndef assert_close(*args, **kwargs):\n    pass\n\n\ndef rel_error(*args, **kwargs):\n    return 0.0\n"
        )

    return {
        "bad-deleted-test": (deleted_test, [WRONG_SIGMOID]),
        "bad-edited-test": (edited_test, [WRONG_SIGMOID]),
        "bad-changed-type": (changed_type, [WRONG_SIGMOID]),
        "bad-loop": (loop, []),
        "bad-raises": (raises, []),
        "bad-warns": (warns, []),
        "bad-floods": (floods, []),
        "bad-delegates": (delegates, []),
        "bad-delegates-alias": (delegates_alias, []),
        "bad-redefines-helpers": (redefines_helpers, [WRONG_SIGMOID]),
    }


BAD = _bad_submissions()


# ---------------------------------------------------------------- fixtures: one release, one batch


@pytest.fixture(scope="session")
def batch(released, tmp_path_factory):
    """One parallel autograde of every student below; {(student, assignment): [rows]} and the out folder."""
    subs = tmp_path_factory.mktemp("batch") / "submitted"
    for name in GRADED:
        write_submission(subs, "perfect", name, perfect(name))
        write_submission(subs, "untouched", name, notebooks_of(released / name))
        for kind in ("mutants", "alternatives"):
            for k, group in enumerate(plan(name, kind)):
                write_submission(subs, f"{kind}{k:02d}", name, edited(name, [e for _, e in group]))
    for student, (change, edits) in BAD.items():
        nbs = edited(TOY, edits)
        change(nbs[TOY])
        write_submission(subs, student, TOY, nbs)
    (subs / "bad-not-json" / TOY).mkdir(parents=True)
    (subs / "bad-not-json" / TOY / f"{TOY}.ipynb").write_text("{ this is not a notebook")
    out = subs.parent / "graded"
    rows = course.autograde(
        subs, out=out, root=ROOT, sources=GRADED, timeout=TIMEOUT, progress=False, course=subs.parent / "course"
    )
    by_job = {}
    for row in rows:
        by_job.setdefault((row.student, row.assignment), []).append(row)
    return by_job, out


def graded_edits(batch, name, kind):
    """[(index, edit, {exercise: row})] for the mutants or alternatives the batch grades, from their submission."""
    return [
        (i, edit, scores(batch, f"{kind}{k:02d}", name))
        for k, group in enumerate(plan(name, kind))
        for i, edit in group
    ]


def scores(batch, student, name):
    """{exercise: row} for one graded submission; fails on an error row."""
    rows = batch[0][(student, name)]
    errors = [r.message for r in rows if r.status == "error"]
    assert not errors, f"{student}/{name} could not be graded: {errors}"
    return {r.exercise: r for r in rows}


# ---------------------------------------------------------------- release


def snapshot(folder):
    """Comparable content of a released folder: per notebook, each cell's type, source and metadata."""
    snap = {}
    for path in sorted(Path(folder).rglob("*")):
        rel = str(path.relative_to(folder))
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            snap[rel] = [(c.cell_type, c.source, json.dumps(c.metadata, sort_keys=True)) for c in nb.cells]
        elif path.is_file():
            snap[rel] = path.read_bytes()
    return snap


def first_difference(have, want):
    """Where two snapshots first differ, in words (None when equal)."""
    for rel in sorted(set(have) | set(want)):
        if rel not in have or rel not in want:
            return f"{rel} is {'missing' if rel not in have else 'not in the release'}"
        a, b = have[rel], want[rel]
        if isinstance(a, bytes) or isinstance(b, bytes):
            if a != b:
                return f"{rel} differs"
            continue
        if len(a) != len(b):
            return f"{rel} has {len(a)} cells, the release {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            for part, u, v in zip(("type", "source", "metadata"), x, y):
                if u != v:
                    return f"{rel} cell {i}: {part} differs"
    return None


def test_release_is_deterministic(released, tmp_path):
    """Does releasing the same source twice write byte-identical notebooks?"""
    again = course.release([TOY], root=ROOT, dest=tmp_path, sources=SOURCES)
    assert again
    for path in again:
        assert path.read_bytes() == (released / TOY / path.name).read_bytes()
        nb = json.loads(path.read_text())
        assert all(c.get("outputs", []) == [] and c.get("execution_count") is None for c in nb["cells"])


@pytest.mark.parametrize("name", sorted(REPO_SOURCES))
def test_notebooks_folder_matches_release(name, released):
    """Is notebooks/<name>/ exactly what `make release` writes from solutions/<name>/?"""
    committed = ROOT / "notebooks" / name
    assert committed.is_dir(), f"notebooks/{name}/ is missing: run `make release`"
    diff = first_difference(snapshot(committed), snapshot(released / name))
    assert diff is None, f"notebooks/{name}/ is stale ({diff}): run `make release` (never edit notebooks/ by hand)"


def secret_lines(folder):
    """Stripped lines inside solution / hidden-test regions that never appear outside them."""
    inside, outside = set(), set()
    for nb in notebooks_of(folder).values():
        for cell in nb.cells:
            region = None
            for line in cell.source.splitlines():
                s = line.strip()
                if s in MARKERS:
                    region = None if "END" in s else s
                    continue
                in_solution_md = (
                    meta(cell).get("solution")
                    and cell.cell_type == "markdown"
                    and not any(m in cell.source for m in MARKERS)
                )
                (inside if region or in_solution_md else outside).add(s)
    return {s for s in inside - outside if len(s) >= 8}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_release_hides_solutions_and_hidden_tests(name, released):
    """Does any marker, reference-solution line or hidden-test line leak into a student notebook?"""
    secrets = secret_lines(SOURCES[name])
    assert secrets or name not in GRADED, f"{name}: no solution or hidden-test lines found to check"
    folders = [released / name] + ([ROOT / "notebooks" / name] if (ROOT / "notebooks" / name).is_dir() else [])
    for folder in folders:
        for stem, nb in notebooks_of(folder).items():
            for cell in nb.cells:
                for marker in MARKERS:
                    assert marker not in cell.source, f"{folder}/{stem}: marker {marker!r} leaked"
                leaked = secrets & {ln.strip() for ln in cell.source.splitlines()}
                assert not leaked, f"{folder}/{stem}: solution or hidden-test lines leaked: {sorted(leaked)}"


def test_released_files_exclude_mutants(released):
    """Are mutants files (wrong and right answers) kept out of the release?"""
    assert not list(released.rglob("mutants.*"))


# ---------------------------------------------------------------- autograde: perfect, untouched, mutants


@pytest.mark.parametrize("name", sorted(GRADED))
def test_perfect_submission_gets_full_marks(name, batch):
    """Does the reference solution, pasted into the student notebook, get every autograded point?"""
    rows = scores(batch, "perfect", name)
    for ex, points in graded_cells(name).items():
        assert rows[ex].status == "passed" and rows[ex].points == points, rows[ex]
    for row in rows.values():
        if row.exercise not in graded_cells(name):  # answers written in words wait for a human
            assert row.status == "pending" and row.points is None, row


@pytest.mark.parametrize("name", sorted(GRADED))
def test_untouched_notebook_gets_zero(name, batch):
    """Does a student notebook submitted as released score 0 everywhere, without crashing the grader?"""
    rows = scores(batch, "untouched", name)
    assert set(graded_cells(name)) <= set(rows)
    for row in rows.values():
        assert row.points == 0 and row.status in ("failed", "unanswered"), row


@pytest.mark.parametrize("name", sorted(GRADED))
def test_every_exercise_has_two_mutants_that_lose_points(name, batch):
    """Would the hidden tests notice at least two typical mistakes in each exercise?"""
    caught = {ex: [] for ex in graded_cells(name)}
    missed = []
    for i, m, rows in graded_edits(batch, name, "mutants"):
        assert m.get("why"), f"{name} mutant {i} needs a 'why'"
        targets = exercises(name, m)
        assert targets, f"{name} mutant {i} ({m['why']}): no test cell follows cell {m['cell']!r}"
        lost = [ex for ex in targets if rows[ex].points < rows[ex].max_points]
        if not lost:
            missed.append(f"mutant {i} ({m['why']})")
        for ex in lost:
            caught[ex].append(i)
    assert not missed, f"{name}: these mutants got full marks on their exercise: {missed}"
    weak = {ex: ids for ex, ids in caught.items() if len(ids) < 2}
    assert not weak, f"{name}: exercises with fewer than 2 point-losing mutants (mutant ids): {weak}"


@pytest.mark.parametrize("name", sorted(GRADED))
def test_alternative_answers_get_full_marks(name, batch):
    """Do correct answers written differently from the reference get every autograded point?"""
    for k, group in enumerate(plan(name, "alternatives")):
        rows = scores(batch, f"alternatives{k:02d}", name)
        lost = {ex: rows[ex].message for ex, points in graded_cells(name).items() if rows[ex].points != points}
        assert not lost, f"alternatives {[(i, alt.get('why')) for i, alt in group]} lost points: {lost}"


@pytest.mark.parametrize("name", sorted(GRADED))
def test_batch_grades_a_cover_of_the_mutants_and_alternatives(name):
    """Does the batch grade 2 mutants per test cell and an alternative per answer cell (all, if not run in-process)?"""
    edits = load_mutants(SOURCES[name])
    planned = {kind: [i for group in plan(name, kind) for i, _ in group] for kind in ("mutants", "alternatives")}
    for kind, picked in planned.items():
        assert len(picked) == len(set(picked)), f"{name}: a {kind[:-1]} is graded twice"
    if name not in checked_in_process():  # nothing else runs them: every edit goes through the pipeline
        assert {kind: sorted(picked) for kind, picked in planned.items()} == {
            kind: list(range(len(edits[kind]))) for kind in planned
        }
        return
    aimed = collections.Counter(ex for i in planned["mutants"] for ex in exercises(name, edits["mutants"][i]))
    assert {ex: aimed[ex] for ex in graded_cells(name) if aimed[ex] < 2} == {}
    alternatives = edits["alternatives"]
    cells = [(locate(name, a["cell"], a.get("notebook")), a["cell"]) for a in alternatives]
    assert {cells[i] for i in planned["alternatives"]} == set(cells)


# ---------------------------------------------------------------- autograde: bad submissions (toy)


def toy(batch, student):
    """{test cell: (points, message)} of one toy submission."""
    rows = scores(batch, student, TOY)
    return {ex: (rows[ex].points, rows[ex].message) for ex in ("test_sigmoid", "test_mse")}


def test_deleted_test_cell_is_restored_and_graded(batch):
    """Does deleting a test cell dodge it? (No: nbgrader puts it back; the wrong answer scores 0.)"""
    got = toy(batch, "bad-deleted-test")
    assert got["test_sigmoid"][0] == 0 and "AssertionError" in got["test_sigmoid"][1]
    assert got["test_mse"] == (3, "")


def test_edited_test_cell_is_restored(batch):
    """Does replacing a locked test cell by `pass` dodge it? (No: restored from its checksum.)"""
    got = toy(batch, "bad-edited-test")
    assert got["test_sigmoid"][0] == 0 and "sigmoid" in got["test_sigmoid"][1]
    assert got["test_mse"] == (3, "")


def test_changed_cell_type_is_restored(batch):
    """Does turning test cells into markdown/raw stop them running? (No: they are code again.)"""
    got = toy(batch, "bad-changed-type")
    assert got["test_sigmoid"][0] == 0 and "AssertionError" in got["test_sigmoid"][1]
    assert got["test_mse"] == (3, "")


def test_infinite_loop_times_out_with_a_clear_message(batch):
    """Does an infinite loop cost only its own exercise, with a message that says why?"""
    got = toy(batch, "bad-loop")
    assert got["test_sigmoid"][0] == 0
    assert "CellTimeoutError" in got["test_sigmoid"][1] and "infinite loop" in got["test_sigmoid"][1]
    assert got["test_mse"] == (3, "")


def test_cell_that_raises_costs_only_its_exercise(batch):
    """Does an exception in one answer cell zero that exercise and nothing else?"""
    got = toy(batch, "bad-raises")
    assert got["test_sigmoid"][0] == 0 and "my cell is broken" in got["test_sigmoid"][1]
    assert got["test_mse"] == (3, "")


def test_stderr_warning_does_not_zero_a_passing_test(batch):
    """Does a RuntimeWarning (and other stderr text) in a passing test cell keep full marks?"""
    assert toy(batch, "bad-warns") == {"test_sigmoid": (2, ""), "test_mse": (3, "")}
    # the reference-free alternative `1 / (1 + np.exp(-z))` also warns (overflow) and is checked above


def test_megabytes_of_output_are_truncated_and_graded(batch):
    """Is a submission that prints megabytes still graded, with small feedback?"""
    assert toy(batch, "bad-floods") == {"test_sigmoid": (2, ""), "test_mse": (3, "")}
    html = batch[1] / "feedback" / "bad-floods" / TOY / f"{TOY}.html"
    assert html.exists() and html.stat().st_size < 1_000_000


@pytest.mark.parametrize("student", ["bad-delegates", "bad-delegates-alias"])
def test_calling_the_package_does_not_pass(batch, student):
    """Does an answer that calls ae.activations.sigmoid (directly or via an alias) lose the points?"""
    got = toy(batch, student)
    assert got["test_sigmoid"][0] == 0 and "write this yourself" in got["test_sigmoid"][1]
    assert got["test_mse"] == (3, "")


def test_redefined_helpers_do_not_rescue_a_wrong_answer(batch):
    """Does redefining assert_close/rel_error in an answer cell make a wrong answer pass? (No.)"""
    got = toy(batch, "bad-redefines-helpers")
    assert got["test_sigmoid"][0] == 0 and "AssertionError" in got["test_sigmoid"][1]


def test_broken_submission_is_an_error_row_and_the_batch_goes_on(batch):
    """Does a notebook nbgrader cannot read become one error row while every other job is graded?"""
    rows = batch[0][("bad-not-json", TOY)]
    assert [r.status for r in rows] == ["error"] and "JSON" in rows[0].message
    others = [k for k in batch[0] if k != ("bad-not-json", TOY)]
    assert len(others) >= len(BAD) + 2 * len(GRADED)
    for student, name in others:
        assert all(r.status != "error" for r in batch[0][(student, name)]), (student, name)


def test_outputs_grades_csv_and_feedback(batch):
    """Are grades.csv (one row per exercise, pending for hand-graded) and per-student feedback written?"""
    import csv

    by_job, out = batch
    with open(out / "grades.csv") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == course.CSV_COLUMNS
    assert len(rows) == sum(len(v) for v in by_job.values())
    perfect_toy = [r for r in rows if r["student"] == "perfect" and r["assignment"] == TOY]
    assert [(r["exercise"], r["points"], r["max_points"], r["status"]) for r in perfect_toy] == [
        ("test_sigmoid", "2", "2", "passed"),
        ("test_mse", "3", "3", "passed"),
        ("explain_saturation", "", "1", "pending"),
    ]
    for student, name in by_job:
        if student != "bad-not-json":
            assert (out / "feedback" / student / name).is_dir(), (student, name)


# ---------------------------------------------------------------- check (student self-check)


def test_check_passes_a_correct_notebook(released, tmp_path):
    """Does `check` print PASSED per exercise, the public total, exit 0, and no hidden-test text?"""
    write_submission(tmp_path, "me", TOY, perfect(TOY))
    proc = subprocess.run(
        [sys.executable, "-m", "autoencoders", "check", str(tmp_path / "me" / TOY / "toy.ipynb"), "--no-progress"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "AUTOENCODERS_FAST": "1"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert any("test_sigmoid" in ln and "PASSED" in ln and "2/2" in ln for ln in lines), proc.stdout
    assert any("test_mse" in ln and "PASSED" in ln and "3/3" in ln for ln in lines), proc.stdout
    assert "5/5" in proc.stdout and "5 of 5 autograded points depend on hidden tests" in proc.stdout
    assert all("(+ hidden tests)" in ln for ln in lines if "PASSED" in ln), proc.stdout
    for secret in ("expit", "forbid(", "HIDDEN", "1000"):
        assert secret not in proc.stdout


def test_check_reports_failures(released, tmp_path, capsys):
    """Does `check` name the failing exercise, show the assertion message and exit 1?"""
    nbs = edited(TOY, [WRONG_SIGMOID])
    write_submission(tmp_path, "me", TOY, nbs)
    code = course.check(tmp_path / "me" / TOY / "toy.ipynb", timeout=60, progress=False)
    out = capsys.readouterr().out
    assert code == 1
    failed = [ln for ln in out.splitlines() if "test_sigmoid" in ln]
    assert failed and "FAILED" in failed[0] and "0/2" in failed[0] and "sigmoid([-2, 0, 3])" in failed[0], out
    assert any("test_mse" in ln and "PASSED" in ln for ln in out.splitlines()), out
    assert "3/5" in out and "expit" not in out
