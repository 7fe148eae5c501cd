"""The kit's nbgrader preprocessors (autograde chain, named in nbgrader_config.py)."""

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer


def is_test_cell(cell):
    """An autograded test cell: an nbgrader grade cell of code that is not a student's answer."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and meta.get("grade", False) and not meta.get("solution", False)


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
