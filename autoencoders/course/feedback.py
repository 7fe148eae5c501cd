"""Feedback a student can be given: nbgrader's GenerateFeedback with hidden tests hidden and pending grades pending.

nbgrader's feedback shows the full source of hidden tests (with the seeds, the `forbid` lists and any reference
code in them) and tracebacks through them, scores answers still to be graded by hand as 0, and names every
exercise "Test cell". The preprocessors below run after nbgrader's GetGrades (nbgrader_config.py lists them in
c.GenerateFeedback.preprocessors) and annotate each graded cell's metadata for TEMPLATE, which extends nbgrader's
feedback template:

    HideHiddenTests  cells with hidden tests: the hidden part replaced by one line, tracebacks cut to their
                     message, other outputs dropped; every test cell gets `tests` (public, hidden, or both)
    NameExercises    every graded or answer cell gets `exercise`: the nearest heading above it in the notebook
    PendingGrades    every graded cell gets `verdict` and `pending` from the gradebook; the resources get the
                     points graded so far and the points still to be graded by hand
"""

import re
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution, is_task

from .preprocessors import HIDDEN_NOTE, is_test_cell
from .report import error_message

# HTMLExporter.template_file, as a path: nbconvert adds its folder to the template path, after the folders of
# the template (nbgrader's 'feedback', which GenerateFeedback sets), so its `extends 'index.html.j2'` is nbgrader's
TEMPLATE = str(Path(__file__).resolve().parent / "templates" / "student_feedback.html.j2")
DELIMITERS = ("begin_test_delimeter", "end_test_delimeter")
HIDDEN_RAN = "# Hidden tests ran here; their code is not shown."
PENDING = "to be graded by hand"
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)


def hide_hidden(source, begin, end):
    """(source with each hidden region replaced by HIDDEN_RAN, has public code, has hidden tests).

    A region runs from a line containing `begin` to one containing `end`, as nbgrader's ClearHiddenTests
    reads them; one left open hides the rest of the cell. The release's HIDDEN_NOTE goes too: it says the
    hidden tests follow, which in feedback they do not. Public code is any line outside the regions that is
    neither blank nor a comment.
    """
    kept, inside, hidden = [], False, False
    for line in source.split("\n"):
        if begin in line:
            kept.append(line[: len(line) - len(line.lstrip())] + HIDDEN_RAN)
            inside = hidden = True
        elif inside:
            inside = end not in line
        elif line.strip() != HIDDEN_NOTE:
            kept.append(line)
    public = any(line.strip() and not line.strip().startswith("#") for line in kept)
    return "\n".join(kept), public, hidden


def one_line_error(output):
    """An error output whose traceback is its 'Name: value' line alone (no frames, no source lines)."""
    return NotebookNode({**output, "traceback": [error_message(output)]})


class HideHiddenTests(NbGraderPreprocessor):
    """No hidden-test code in feedback: not in the source, not in tracebacks, not in what the tests printed.

    Sets metadata.nbgrader.tests of every test cell to "public", "hidden" or "public and hidden".
    """

    def preprocess(self, nb, resources):
        # the delimiters nbgrader's ClearHiddenTests released the notebook with (nbgrader spells them so)
        traits, configured = ClearHiddenTests.class_traits(), self.config.get("ClearHiddenTests", {})
        self.begin, self.end = (configured.get(k, traits[k].default_value) for k in DELIMITERS)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        source, public, hidden = hide_hidden(cell.source, self.begin, self.end)
        if hidden:
            cell.source = source
        if hidden and "outputs" in cell:  # what the hidden part printed may show its data: errors' messages only
            cell.outputs = [one_line_error(o) for o in cell.outputs if o.get("output_type") == "error"]
        if is_test_cell(cell):
            kinds = [kind for kind, present in (("public", public), ("hidden", hidden)) if present]
            cell.metadata.nbgrader["tests"] = " and ".join(kinds) or "public"
        return cell, resources


def heading_text(markdown):
    """The last heading of a markdown cell, without its #s and code or emphasis marks (None if none)."""
    found = HEADING.findall(markdown)
    return re.sub(r"`|\*\*", "", found[-1]).strip() if found else None


class NameExercises(NbGraderPreprocessor):
    """metadata.nbgrader.exercise of every graded or answer cell: the nearest heading above it, else its grade_id.

    Headings inside graded or answer cells do not count: a student's answer must not rename an exercise.
    """

    def preprocess(self, nb, resources):
        name = None
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if is_grade(cell) or is_task(cell) or is_solution(cell):
                meta["exercise"] = name or meta.get("grade_id", "")
            elif cell.cell_type == "markdown" and not is_solution(cell):
                name = heading_text(cell.source) or name
        return nb, resources


def verdict(grade, test_cell):
    """What a graded cell's heading says beside its score: passed, failed, partly passed, PENDING or ''."""
    if grade.auto_score is None and grade.manual_score is None:
        return PENDING
    if not test_cell:
        return ""
    score, max_score = grade.score, grade.max_score
    return "passed" if score >= max_score else "failed" if score <= 0 else "partly passed"


class PendingGrades(NbGraderPreprocessor):
    """Cells graded by hand with no grade yet are pending, not 0; the feedback header counts them apart.

    Runs after GetGrades (which puts the score, points and comment of each cell in its metadata and the
    notebook's score, less any late penalty, in resources). Sets metadata.nbgrader.verdict and .pending of each
    graded cell, and in resources['nbgrader']: pending_points (the points still to be graded by hand),
    graded_max_score (the points of the cells graded so far) and hand_graded (a grader has entered a score).
    """

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            notebook = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
            grades = {g.name: g for g in notebook.grades}
            for cell in nb.cells:
                if is_grade(cell) or is_task(cell):
                    grade = grades[cell.metadata.nbgrader["grade_id"]]
                    cell.metadata.nbgrader["verdict"] = verdict(grade, is_test_cell(cell))
                    cell.metadata.nbgrader["pending"] = cell.metadata.nbgrader["verdict"] == PENDING
            pending = [g for g in grades.values() if verdict(g, False) == PENDING]
            info["pending_points"] = sum(g.max_score for g in pending)
            info["graded_max_score"] = notebook.max_score - info["pending_points"]
            info["hand_graded"] = any(g.manual_score is not None for g in grades.values())
        return nb, resources
