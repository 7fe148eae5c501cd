"""autoencoders.course.release and autograde.find_submissions, without nbgrader: the parts that need no kernel."""

import nbformat
import pytest

from autoencoders.course.autograde import find_submissions
from autoencoders.course.release import normalise


def test_normalise_strips_what_varies_between_runs_and_keeps_stable_ids():
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"state": 1}
    code = nbformat.v4.new_code_cell("1 + 1", id="keep-me")
    code.outputs, code.execution_count = [nbformat.v4.new_output("stream", text="2")], 3
    code.metadata["ExecuteTime"] = {"start": "now"}
    twin = nbformat.v4.new_markdown_cell("text", id="keep-me")  # a duplicated id
    nb.cells = [code, twin]
    normalise(nb)
    assert "widgets" not in nb.metadata and "ExecuteTime" not in code.metadata
    assert code.outputs == [] and code.execution_count is None
    assert [c.id for c in nb.cells] == ["keep-me", "cell-1"]


def test_find_submissions_lists_student_assignment_folders_and_reports_hidden_ones(tmp_path):
    """Are hidden folders listed (to be reported) instead of silently skipped, checkpoints ignored?"""
    for folder in ("ann/01", "ann/02", "bob/01", ".alice/01", "bob/.02", "ann/.ipynb_checkpoints", "zoë [1]/01"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "notes.txt").write_text("not a student")
    found, hidden = find_submissions(tmp_path)
    assert [(s, a) for s, a, _ in found] == [("ann", "01"), ("ann", "02"), ("bob", "01"), ("zoë [1]", "01")]
    assert hidden == [".alice", "bob/.02"]


def test_find_submissions_rejects_a_missing_folder(tmp_path):
    with pytest.raises(ValueError, match="nowhere"):
        find_submissions(tmp_path / "nowhere")
