"""Feedback a student can be given, rendered by the real nbgrader for a failing submission (issue 12, part 3).

Each case builds a throwaway nbgrader course, autogrades one failing submission with real kernels and renders
its feedback three times: with nbgrader's stock settings (which show the hidden tests, to prove the checks here
catch a leak), with the course's, and with the course's again after a hand grade and a comment are entered
through nbgrader's Gradebook API, as the formgrader's REST handlers enter them.
"""

import copy
import html
import re

import nbformat
import pytest
from nbgrader.api import Gradebook

from autoencoders import course
from autoencoders.course.course_dir import generate, nbgrader_api
from autoencoders.course.sandbox import bwrap_path
from tests.pipeline.submissions import RELEASED, SOURCES, TOY, cell_by_id, edited, locate, write_submission
from tests.support import ROOT
from tests.support.cells import load_mutants, meta, notebooks_of

# nbgrader trips SQLAlchemy autoflush warnings while autograding: noise here, as in grade_job
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Object of type <")]

STUDENT = "ada"
NB01 = "01_backprop_gradcheck"  # hidden tests with reference code (known-good numerical_gradient, rel_error)

# per assignment: mutants (by the start of their `why`), answers left as released, the test cell that fails in
# its hidden tests only with its exercise's heading and points, and a hand grade to enter
CASES = {
    TOY: {
        "mutants": ["scalar maths in a loop"],  # passes the public test, fails the hidden batch
        "stubs": ["mse"],
        "failing": ("test_sigmoid", "Exercise 1: the logistic sigmoid", "0 / 2"),
        "hand": ("explain_saturation", 0.5, "Right idea; say why the slope a (1 - a) is small for large |z|."),
    },
    NB01: {
        "mutants": ["wrong eps handling: ignores the eps argument", "wrong eps handling: eps is not passed on"],
        "stubs": ["init"],
        "failing": ("test_numerical_gradient_hidden", "Exercise 3 (3 points): the central difference", "0 / 2"),
        "hand": ("eps_answer", 1.5, "The V is right; the rounding error side needs its slope."),
    },
}


def text_of(page):
    """The visible text of an HTML page: tags stripped (code is highlighted token by token), entities decoded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def section(page, grade_id):
    """The text of a graded cell, its outputs included: from its anchor to the next anchor or the next cell."""
    start = page.index(f'<a name="{grade_id}"></a>')
    ends = [m.start() for m in re.finditer(r'<a name=|<div class="cell[ "]', page[start + 1 :])]
    return " ".join(text_of(page[start : start + 1 + ends[0] if ends else None]).split())


def header(page):
    """The text of the feedback's heading line: the notebook's name and its score."""
    return " ".join(text_of(re.search(r"<h4>(.*?)</h4>", page, re.DOTALL).group(1)).split())


def toc(page):
    """The entries of the table of contents: [(the anchor it links to or None, its text)]."""
    found = re.search(r'<div id="toc">(.*?)</div>', page, re.DOTALL).group(1)
    entries = re.findall(r"<li\b.*?</li>", found, re.DOTALL)
    return [
        (m.group(1) if (m := re.search(r'href="#([^"]+)"', li)) else None, " ".join(text_of(li).split()))
        for li in entries
    ]


def region_lines(nb, begin, end):
    """The stripped non-blank lines strictly between a begin and an end marker, in every cell."""
    out, inside = set(), False
    for cell in nb.cells:
        for line in cell.source.splitlines():
            if begin in line:
                inside = True
            elif end in line:
                inside = False
            elif inside and line.strip():
                out.add(line.strip())
    return out


def lines_of(*nbs):
    """The stripped lines of every cell of the notebooks."""
    return {line.strip() for nb in nbs for cell in nb.cells for line in cell.source.splitlines()}


def leaked(lines, page):
    """The lines that the page shows: as a whole line of its text, or (when not trivially short) inside one."""
    text = text_of(page)
    shown = {line.strip() for line in text.splitlines()}
    return sorted(line for line in lines if line in shown or (len(line) >= 12 and line in text))


def mutant(name, why):
    """The one mutant of an assignment whose `why` starts so."""
    found = [e for e in load_mutants(SOURCES[name])["mutants"] if e["why"].startswith(why)]
    assert len(found) == 1, f"{name}: {len(found)} mutants whose why starts with {why!r}"
    return found[0]


def submission(name, case):
    """{stem: notebook}: the reference answers with the case's mutants applied and its stubs left as released."""
    edits = [mutant(name, why) for why in case["mutants"]]
    for grade_id in case["stubs"]:
        stem = locate(name, grade_id)
        released = notebooks_of(RELEASED["folder"] / name)[stem]
        edits.append({"cell": grade_id, "source": cell_by_id(released, grade_id).source})
    return edited(name, edits)


def render(graded, cfg):
    """Generate the student's feedback with cfg; the page of the (single) notebook."""
    result = nbgrader_api(graded["folder"], cfg).generate_feedback(graded["name"], STUDENT, force=True)
    assert result["success"], result.get("log", "") + result.get("error", "")
    (page,) = (graded["folder"] / "feedback" / STUDENT / graded["name"]).glob("*.html")
    return page.read_text()


@pytest.fixture(
    scope="module",
    params=[pytest.param(n, marks=pytest.mark.skipif(n not in SOURCES, reason="narrowed out")) for n in CASES],
)
def graded(request, released, tmp_path_factory):
    """One failing submission of an assignment, autograded in its own course, with nbgrader's and our feedback."""
    name, case = request.param, CASES[request.param]
    folder = tmp_path_factory.mktemp(f"feedback-{name}")
    cfg = course.load_config(ROOT)
    cfg.TrustedExecute.sandbox = bwrap_path() is not None  # the sandbox changes nothing in the feedback
    generate(folder, name, SOURCES[name], cfg)
    nbs = submission(name, case)
    write_submission(folder / "submitted", STUDENT, name, nbs)
    result = nbgrader_api(folder, cfg).autograde(name, STUDENT, force=True, create=True)
    assert result["success"], result.get("log", "") + result.get("error", "")
    (stem,) = nbs
    graded = {"name": name, "case": case, "folder": folder, "cfg": cfg, "stem": stem}
    graded["source"] = notebooks_of(SOURCES[name])[stem]
    graded["released"] = notebooks_of(folder / "notebooks" / name)[stem]
    graded["submitted"] = nbs[stem]
    graded["autograded"] = nbformat.read(folder / "autograded" / STUDENT / name / f"{stem}.ipynb", as_version=4)
    with gradebook(graded) as gb:  # before any test enters a hand grade
        sub = gb.find_submission_notebook(stem, name, STUDENT)
        graded["score"] = sub.score
        graded["autograded_max"] = sum(g.max_score for g in sub.grades if g.auto_score is not None)
    stock = copy.deepcopy(cfg)
    del stock["GenerateFeedback"]  # nbgrader's own preprocessors and template
    graded["stock"] = render(graded, stock)
    graded["page"] = render(graded, cfg)
    return graded


def hidden_lines(graded):
    """Lines of the source's hidden tests that the student never saw."""
    src = graded["source"]
    return region_lines(src, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS") - lines_of(graded["released"])


def solution_lines(graded):
    """Lines of the reference solutions that are neither in the release nor in the student's answers."""
    src = graded["source"]
    return region_lines(src, "BEGIN SOLUTION", "END SOLUTION") - lines_of(graded["released"], graded["submitted"])


def more(points):
    """What the header says of the points still to be graded by hand."""
    return f"{points:g} more point{'' if points == 1 else 's'} to be graded by hand"


def pending_points(graded):
    """The points of the answers graded by hand (all pending before a grader enters a score)."""
    by_hand = [c for c in graded["source"].cells if meta(c).get("grade") and meta(c).get("solution")]
    return sum(float(meta(c)["points"]) for c in by_hand)


def gradebook(graded):
    """The case's nbgrader gradebook, as the formgrader opens it."""
    course_id = graded["cfg"].CourseDirectory.course_id
    return Gradebook(f"sqlite:///{graded['folder'] / 'gradebook.db'}", course_id)


def test_the_checks_catch_nbgrader_s_own_feedback(graded):
    """Does nbgrader's stock feedback show hidden tests, "Test cell" and a 0 for the written answer? (It does.)"""
    assert hidden_lines(graded) and solution_lines(graded)  # something to look for
    assert leaked(hidden_lines(graded), graded["stock"])
    assert "Test cell" in text_of(graded["stock"])
    assert "Score: 0.0" in section(graded["stock"], graded["case"]["hand"][0])


def test_no_hidden_test_or_solution_line_is_shown(graded):
    """Does the feedback leave out every line of the hidden tests and of the reference solutions?"""
    assert leaked(hidden_lines(graded), graded["page"]) == []
    assert leaked(solution_lines(graded), graded["page"]) == []
    assert "BEGIN HIDDEN TESTS" not in graded["page"]


def test_a_failed_hidden_test_shows_its_exercise_points_and_message_without_traceback(graded):
    """Does a failed hidden test say which exercise, its points and the assertion message, with no frames?"""
    grade_id, exercise, score = graded["case"]["failing"]
    errors = [o for o in cell_by_id(graded["autograded"], grade_id).outputs if o.output_type == "error"]
    assert errors, f"{grade_id} did not fail"
    message = " ".join(f"{errors[0].ename}: {errors[0].evalue}".split())
    shown = section(graded["page"], grade_id)
    assert exercise in shown and "failed" in shown and f"Score: {score}" in shown, shown
    assert message[:200] in shown, (message, shown)
    assert "Hidden tests ran here" in shown
    for cell in graded["autograded"].cells:  # no frame of any cell with hidden tests
        if course.is_test_cell(cell) and "BEGIN HIDDEN TESTS" in cell.source:
            shown = section(graded["page"], meta(cell)["grade_id"])
            assert "Traceback" not in shown and "Cell In[" not in shown, shown


def test_the_table_of_contents_names_every_exercise(graded):
    """Is each graded cell listed by its exercise's heading, with its verdict, instead of "Test cell"?"""
    entries = [text for anchor, text in toc(graded["page"]) if anchor and not anchor.startswith("comment-")]
    headings = {
        re.sub(r"`|\*\*", "", line.lstrip("#")).strip()
        for cell in graded["source"].cells
        if cell.cell_type == "markdown" and not meta(cell).get("solution")
        for line in cell.source.splitlines()
        if line.startswith("#")
    }
    graded_cells = [c for c in graded["source"].cells if meta(c).get("grade")]
    assert len(entries) == len(graded_cells)
    assert all(any(e.startswith(h + " ") for h in headings) for e in entries), entries
    assert "Test cell" not in text_of(graded["page"])
    grade_id, exercise, score = graded["case"]["failing"]
    assert any(e.startswith(exercise) and "failed" in e and score in e for e in entries), entries


def test_written_answers_are_to_be_graded_by_hand_not_zero(graded):
    """Is a written answer not graded yet "to be graded by hand", and left out of the score instead of 0?"""
    grade_id = graded["case"]["hand"][0]
    shown = section(graded["page"], grade_id)
    assert "to be graded by hand" in shown and "Score:" not in shown, shown
    assert "to be graded by hand" in dict(toc(graded["page"]))[grade_id]
    counted = f"{graded['score']:g} / {graded['autograded_max']:g}"
    assert header(graded["page"]) == f"{graded['stem']} (Score: {counted} autograded; {more(pending_points(graded))})"


def test_a_hand_grade_and_comment_show_once_entered(graded):
    """After a grader enters a score and a comment (as the formgrader does), does regenerated feedback show them?"""
    grade_id, points, comment = graded["case"]["hand"]
    with gradebook(graded) as gb:
        grade = gb.find_grade(grade_id, graded["stem"], graded["name"], STUDENT)
        grade.manual_score = points
        grade.needs_manual_grade = False
        gb.find_comment(grade_id, graded["stem"], graded["name"], STUDENT).manual_comment = comment
        gb.db.commit()
        sub = gb.find_submission_notebook(graded["stem"], graded["name"], STUDENT)
        score, max_score = sub.score, sub.max_score
    page = render(graded, graded["cfg"])
    shown = section(page, grade_id)
    assert f"Score: {points:g} / " in shown and comment in shown and "to be graded by hand" not in shown, shown
    left = pending_points(graded) - float(meta(cell_by_id(graded["source"], grade_id))["points"])
    counted = f"{score:g} / {max_score - left:g}"
    assert header(page) == f"{graded['stem']} (Score: {counted}" + (f" so far; {more(left)})" if left else ")")


def test_a_late_penalty_is_taken_off_and_listed(graded):
    """Is nbgrader's late-submission penalty (set on the submitted notebook) still shown and subtracted?"""
    with gradebook(graded) as gb:
        sub = gb.find_submission_notebook(graded["stem"], graded["name"], STUDENT)
        sub.late_submission_penalty = 0.25
        gb.db.commit()
        score = sub.score
    page = render(graded, graded["cfg"])
    assert f"(Score: {score - 0.25:g} / " in header(page)
    assert toc(page)[-1] == (None, "Late submission penalty (Score: -0.25)")
