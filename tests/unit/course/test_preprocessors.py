"""autoencoders.course.preprocessors: the kit's nbgrader preprocessors, on hand-made cells."""

import nbformat

from autoencoders.course.preprocessors import (
    HIDDEN_NOTE,
    AnnounceHiddenTests,
    LimitOutputChars,
    StderrToStdout,
    has_hidden_tests,
    is_test_cell,
)


def cell(grade, solution, outputs=(), kind="code"):
    c = nbformat.v4.new_code_cell("pass") if kind == "code" else nbformat.v4.new_markdown_cell("text")
    c.metadata["nbgrader"] = {"grade": grade, "solution": solution, "grade_id": "x", "points": 1}
    if kind == "code":
        c.outputs = [nbformat.v4.new_output(**o) for o in outputs]
    return c


def test_is_test_cell_only_for_graded_code_that_is_not_an_answer():
    assert is_test_cell(cell(True, False))
    assert not is_test_cell(cell(False, True))  # an answer
    assert not is_test_cell(cell(True, True))  # an answer graded by hand
    assert not is_test_cell(cell(True, False, kind="markdown"))


def test_stderr_becomes_stdout_in_test_cells_only():
    warning = {"output_type": "stream", "name": "stderr", "text": "RuntimeWarning: overflow"}
    test, answer = cell(True, False, [warning]), cell(False, True, [warning])
    StderrToStdout().preprocess_cell(test, {}, 0)
    StderrToStdout().preprocess_cell(answer, {}, 1)
    assert test.outputs[0]["name"] == "stdout" and answer.outputs[0]["name"] == "stderr"


def test_limit_output_chars_cuts_streams_and_text_and_says_so():
    long = "x" * 50
    c = cell(
        False,
        True,
        [
            {"output_type": "stream", "name": "stdout", "text": long},
            {"output_type": "execute_result", "data": {"text/plain": long}, "execution_count": 1},
        ],
    )
    LimitOutputChars(max_chars=10).preprocess_cell(c, {}, 0)
    assert c.outputs[0]["text"].startswith("x" * 10) and "50 characters" in c.outputs[0]["text"]
    assert c.outputs[1]["data"]["text/plain"].startswith("x" * 10) and "truncated" in c.outputs[1]["data"]["text/plain"]
    short = cell(False, True, [{"output_type": "stream", "name": "stdout", "text": "ok"}])
    LimitOutputChars(max_chars=10).preprocess_cell(short, {}, 0)
    assert short.outputs[0]["text"] == "ok"


def test_the_release_notes_where_hidden_tests_were_once_and_with_their_indent():
    """Does AnnounceHiddenTests put its note right before the hidden block, once, indented like the marker?"""
    test = cell(True, False)
    test.source = (
        "assert f(1) == 1\nif True:\n    ### BEGIN HIDDEN TESTS\n    assert f(2) == 2\n    ### END HIDDEN TESTS"
    )
    AnnounceHiddenTests().preprocess_cell(test, {}, 0)
    AnnounceHiddenTests().preprocess_cell(test, {}, 0)
    lines = test.source.splitlines()
    assert (
        lines[2] == "    " + HIDDEN_NOTE
        and test.source.count(HIDDEN_NOTE) == 1
        and lines[3].strip() == "### BEGIN HIDDEN TESTS"
    )
    released = cell(True, False)
    released.source = "assert f(1) == 1\n" + HIDDEN_NOTE
    public_only = cell(True, False)
    assert has_hidden_tests(test) and has_hidden_tests(released) and not has_hidden_tests(public_only)
    answer = cell(False, True)
    answer.source = "### BEGIN HIDDEN TESTS"
    AnnounceHiddenTests().preprocess_cell(answer, {}, 1)
    assert HIDDEN_NOTE not in answer.source and not has_hidden_tests(answer)
