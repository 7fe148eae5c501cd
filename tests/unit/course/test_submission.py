"""autoencoders.course.submission: a submission made gradable, with notes a student can act on."""

import json
import os

import nbformat
import pytest

from autoencoders.course.submission import copy_without_links, find_notebooks, prepare, repair_metadata


def notebook(path, *metas):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1") for _ in metas]
    for cell, meta in zip(nb.cells, metas):
        if meta is not None:
            cell.metadata["nbgrader"] = meta
    nbformat.write(nb, path)


def test_links_are_dropped_never_followed(tmp_path):
    """Is a link to a file outside the submission left out, and the outside file untouched?"""
    secret = tmp_path / "solutions.ipynb"
    secret.write_text("the answers")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "work.ipynb").write_text("{}")
    os.symlink(secret, sub / "answers.ipynb")
    os.symlink(tmp_path, sub / "everything")
    dropped = copy_without_links(sub, tmp_path / "copy")
    assert sorted(dropped) == ["answers.ipynb", "everything"]
    assert sorted(p.name for p in (tmp_path / "copy").iterdir()) == ["work.ipynb"]
    assert secret.read_text() == "the answers"


def test_a_lone_notebook_under_another_name_is_graded_under_the_expected_one(tmp_path):
    (tmp_path / "04_optimisers-Copy1.ipynb").write_text("{}")
    notes = find_notebooks(tmp_path, ["04_optimisers.ipynb"])
    assert (tmp_path / "04_optimisers.ipynb").exists() and "graded 04_optimisers-Copy1.ipynb as" in notes[0]


def test_an_ambiguous_or_empty_submission_says_what_to_do(tmp_path):
    (tmp_path / "a.ipynb").write_text("{}")
    (tmp_path / "b.ipynb").write_text("{}")
    assert find_notebooks(tmp_path, ["04.ipynb"]) == [
        "no 04.ipynb in the submission (found a.ipynb, b.ipynb): save your work under that name"
    ]
    assert "found no notebook" in find_notebooks(tmp_path / "a.ipynb", ["04.ipynb"])[0]
    assert find_notebooks(tmp_path, ["a.ipynb"]) == []


@pytest.mark.parametrize(
    "broken",
    [
        {"grade": True, "solution": False, "points": 1},
        {"grade": "yes", "grade_id": "t"},
        "not a dict",
        {"grade": True, "grade_id": 7},
    ],
)
def test_metadata_nbgrader_cannot_read_is_dropped_with_a_note(tmp_path, broken):
    """Does an edited cell metadata become an ordinary cell (never KeyError: 'grade_id')?"""
    good = {"grade": True, "solution": False, "grade_id": "test_a", "points": 1}
    path = tmp_path / "nb.ipynb"
    notebook(path, good, broken, None)
    notes = repair_metadata(path)
    cells = json.loads(path.read_text())["cells"]
    assert cells[0]["metadata"]["nbgrader"] == good and "nbgrader" not in cells[1]["metadata"]
    assert len(notes) == 1 and "cell 2 of nb.ipynb" in notes[0]


def test_prepare_puts_the_fixes_together(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    notebook(sub / "toy-Copy1.ipynb", {"grade": True, "solution": False, "points": 2})
    notes = prepare(sub, tmp_path / "out", ["toy.ipynb"])
    assert len(notes) == 2
    assert "graded toy-Copy1.ipynb as toy.ipynb" in notes[0] and "cell 1 of toy.ipynb" in notes[1]


def test_a_pasted_copy_of_a_graded_cell_runs_as_an_ordinary_cell(tmp_path):
    """Is only the first of two cells with one grade_id kept as graded (nbgrader cannot grade both)?"""
    answer = {"grade": False, "solution": True, "grade_id": "sigmoid"}
    path = tmp_path / "nb.ipynb"
    notebook(path, answer, dict(answer))
    notes = repair_metadata(path)
    cells = json.loads(path.read_text())["cells"]
    assert cells[0]["metadata"]["nbgrader"] == answer and "nbgrader" not in cells[1]["metadata"]
    assert notes == ["cell 2 of nb.ipynb is a copy of the cell 'sigmoid' above it; it ran as an ordinary cell"]
