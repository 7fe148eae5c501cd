"""The kit's nbgrader preprocessors (release and autograde chains, named in nbgrader_config.py)."""

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer


def is_test_cell(cell):
    """An autograded test cell: an nbgrader grade cell of code that is not a student's answer."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and meta.get("grade", False) and not meta.get("solution", False)


HIDDEN_NOTE = "# Hidden tests of this exercise follow in the graded copy: they run only when it is graded."


def has_hidden_tests(cell):
    """A test cell with hidden tests: their block in the source, or the note the release leaves in its place."""
    return is_test_cell(cell) and ("### BEGIN HIDDEN TESTS" in cell.source or HIDDEN_NOTE in cell.source)


class AnnounceHiddenTests(Preprocessor):
    """Put HIDDEN_NOTE before the hidden tests of a test cell, so the released cell says where they were.

    Runs first in the release chain: the note is part of the cell as nbgrader records it, and stays when
    ClearHiddenTests removes the block. `check` counts the points of these cells as depending on hidden tests.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if is_test_cell(cell) and "### BEGIN HIDDEN TESTS" in cell.source and HIDDEN_NOTE not in cell.source:
            lines = cell.source.splitlines()
            at = next(i for i, line in enumerate(lines) if line.strip() == "### BEGIN HIDDEN TESTS")
            indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
            cell.source = "\n".join([*lines[:at], indent + HIDDEN_NOTE, *lines[at:]])
        return cell, resources


class StderrToStdout(Preprocessor):
    """Turn stderr stream output of test cells into stdout, so a warning does not zero a passing test.

    Runs in the grader after execution, so nothing a student's code does can undo it.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if is_test_cell(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    output["name"] = "stdout"
        return cell, resources


class LimitOutputChars(Preprocessor):
    """Cut each stream or text/plain output to max_chars characters (nbgrader's LimitOutput only counts lines)."""

    enabled = Bool(True).tag(config=True)
    max_chars = Integer(20_000, help="longest text kept per output (-1: no limit)").tag(config=True)

    def _cut(self, text):
        if self.max_chars < 0 or len(text) <= self.max_chars:
            return text
        return text[: self.max_chars] + f"\n... output truncated ({len(text)} characters in all) ...\n"

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                output["text"] = self._cut("".join(output["text"]))
            elif "text/plain" in output.get("data", {}):
                output["data"]["text/plain"] = self._cut("".join(output["data"]["text/plain"]))
        return cell, resources
