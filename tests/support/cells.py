"""nbgrader source notebooks as the tests see them: cell metadata, markers, stubs and the mutants format.

A notebook's `mutants.py` (or mutants.json / .yaml) lists edits of its solution cells:
    {"cell": grade_id, "find": text, "replace": text, ["exercise": test id(s)], "why": ...}  or  {"cell", "source"}
MUTANTS (plausible bugs that must lose points) and ALTERNATIVES (correct answers that must get full marks)
are run by the in-process notebook tests, and a cover of them by the real pipeline (tests/pipeline/submissions.py,
`plan`); EXTRA_MUTANTS / EXTRA_ALTERNATIVES only by the in-process notebook tests.
"""

import json
import re
import runpy
from pathlib import Path

import nbformat

from autoencoders.course.config import CODE_STUB
from autoencoders.course.preprocessors import is_test_cell

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
EDIT_KINDS = ("mutants", "alternatives", "extra_mutants", "extra_alternatives")


def meta(cell):
    """The cell's nbgrader metadata ({} if none)."""
    return cell.metadata.get("nbgrader", {})


def is_test(cell):
    """Is this an autograded test cell (graded code that is not an answer)?"""
    return bool(is_test_cell(cell))


def notebooks_of(folder):
    """{notebook stem: notebook} for the .ipynb files of an assignment folder."""
    return {p.stem: nbformat.read(p, as_version=4) for p in sorted(Path(folder).glob("*.ipynb"))}


def strip_markers(source):
    """The source as the instructor runs it: solution and hidden-test markers removed."""
    return "\n".join(ln for ln in source.splitlines() if ln.strip() not in MARKERS)


def as_released(source):
    """The student's stub: each solution region replaced by nbgrader's stub, indented like the marker."""
    out, inside = [], False
    for line in source.splitlines():
        if line.strip() == "### BEGIN SOLUTION":
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + stub_line for stub_line in CODE_STUB.splitlines()]
            inside = True
        elif line.strip() == "### END SOLUTION":
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def unanswered(source):
    """The answer cell with its solution region replaced by `raise NotImplementedError()`."""
    return re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION", "raise NotImplementedError()", source, flags=re.DOTALL)


def apply_edit(edit, source):
    """The source after a mutant or alternative: a whole new `source`, or `find` replaced by `replace`."""
    if "source" in edit:
        return edit["source"]
    assert edit["find"] in source, f"stale edit: {edit['find']!r} not in cell {edit['cell']!r}"
    return source.replace(edit["find"], edit["replace"])


def load_mutants(folder):
    """{kind: [edits]} for each of EDIT_KINDS, from folder/mutants.py, mutants.json or mutants.yaml (else empty)."""
    folder = Path(folder)
    data = {}
    if (folder / "mutants.py").exists():
        data = {k.lower(): v for k, v in runpy.run_path(str(folder / "mutants.py")).items() if k.isupper()}
    for name in ("mutants.json", "mutants.yaml", "mutants.yml"):
        if not data and (folder / name).exists():
            text = (folder / name).read_text()
            if name.endswith("json"):
                data = json.loads(text)
            else:
                import yaml

                data = yaml.safe_load(text)
    return {kind: list(data.get(kind, [])) for kind in EDIT_KINDS}
