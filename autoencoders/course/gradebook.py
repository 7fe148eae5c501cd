"""The course gradebook: one persistent nbgrader gradebook that every grading batch merges into.

Each job grades in a throwaway nbgrader course (autograde.py). Its results are merged here, through nbgrader's
Gradebook API, into the course folder, laid out as nbgrader lays out a course:

    <course>/gradebook.db                                 what the formgrader and `nbgrader` commands read
    <course>/autograded/<student>/<assignment>/*.ipynb   the graded notebooks the formgrader shows
    <course>/feedback/<student>/<assignment>/*.html      feedback regenerated from this gradebook

Regrading replaces a student's autograded scores and keeps the hand grades and comments of every exercise
whose answer cells did not change; the hand grades of changed answers are cleared, and said so in a note.
"""

import copy
import shutil
import warnings
from pathlib import Path

import nbformat
from nbgrader.api import MissingEntry

from .course_dir import fast_new_gradebooks
from .preprocessors import is_test_cell

GRADEBOOK = "gradebook.db"
AUTOGRADED = "autograded"


def course_id_of(cfg):
    """The nbgrader course id of a config."""
    return cfg.get("CourseDirectory", {}).get("course_id", "default_course")


def db_url(folder):
    """The SQLAlchemy address of folder/gradebook.db."""
    return f"sqlite:///{Path(folder).resolve() / GRADEBOOK}"


def quiet_nbgrader():
    """Silence the SQLAlchemy autoflush warnings nbgrader's gradebook code trips: noise, here."""
    warnings.filterwarnings("ignore", message=r"Object of type <\w+> not in session")


def open_gradebook(folder, course_id):
    """nbgrader's Gradebook on folder/gradebook.db (created when missing)."""
    from nbgrader.api import Gradebook

    fast_new_gradebooks()
    return Gradebook(db_url(folder), course_id)


def copy_structure(source, dest, assignment):
    """Copy an assignment's notebooks and cells from Gradebook source to Gradebook dest (its due date is kept)."""
    found = source.find_assignment(assignment)
    try:
        dest.find_assignment(assignment)
    except MissingEntry:  # a new assignment, with the source's due date
        dest.add_assignment(assignment, duedate=found.duedate)
    for nb in found.notebooks:
        dest.update_or_create_notebook(nb.name, assignment)
        for c in nb.grade_cells:
            dest.update_or_create_grade_cell(c.name, nb.name, assignment, max_score=c.max_score, cell_type=c.cell_type)
        for c in nb.solution_cells:
            dest.update_or_create_solution_cell(c.name, nb.name, assignment)
        for c in nb.task_cells:
            dest.update_or_create_task_cell(c.name, nb.name, assignment, max_score=c.max_score, cell_type=c.cell_type)
        for c in nb.source_cells:
            kind = {"cell_type": c.cell_type, "locked": c.locked, "source": c.source, "checksum": c.checksum}
            dest.update_or_create_source_cell(c.name, nb.name, assignment, **kind)


def due_date(course, course_id, assignment):
    """The assignment's due date in the course gradebook (None when unset or unknown)."""
    if not (Path(course) / GRADEBOOK).is_file():
        return None
    with open_gradebook(course, course_id) as gb:
        try:
            return gb.find_assignment(assignment).duedate
        except MissingEntry:
            return None


def answers_by_exercise(path):
    """{grade cell id: (sources of the answer cells it grades)} of a notebook; {} when there is none.

    An exercise's answer cells are the solution cells since the previous grade cell, the grade cell
    included when it is itself an answer (a written answer graded by hand).
    """
    if not Path(path).is_file():
        return {}
    exercises, answers = {}, []
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            answers.append(cell.source)
        if meta.get("grade") or is_test_cell(cell):
            exercises[meta.get("grade_id")] = tuple(answers)
            answers = []
    return exercises


def late_penalty_of(cfg):
    """penalty(student, score, seconds late) -> points off or None, from the config's AssignLatePenalties plugin."""
    from nbgrader.preprocessors import AssignLatePenalties

    assigner = AssignLatePenalties(config=cfg)
    assigner.init_plugin()
    return assigner.plugin_inst.late_submission_penalty


def apply_late_penalties(submission, late_penalty):
    """Set each notebook's late_submission_penalty of a SubmittedAssignment from its current score.

    nbgrader computes it once, when autograding; here it is computed again whenever scores change (a merge,
    an import of hand grades), so a policy such as "late work scores 0" holds after hand grading too.
    """
    seconds_late = submission.total_seconds_late
    for nb in submission.notebooks:
        score = notebook_score(nb)
        penalty = late_penalty(submission.student.id, score, seconds_late) if seconds_late > 0 else None
        nb.late_submission_penalty = None if penalty is None else min(max(penalty, 0.0), score)


def merge(course, course_id, job, job_student, student, assignment, late_penalty):
    """Merge one job's grading of (student, assignment) into the course; notes on hand grades cleared.

    job is the job's course folder (gradebook.db, autograded/<job_student>/<assignment>/); late_penalty is
    late_penalty_of(cfg). The merge is one transaction of the course gradebook; the graded notebooks are
    copied after it.
    """
    quiet_nbgrader()
    course, job = Path(course), Path(job)
    new_folder = job / AUTOGRADED / job_student / assignment
    old_folder = course / AUTOGRADED / student / assignment
    notes = []
    with open_gradebook(job, course_id) as src, open_gradebook(course, course_id) as gb:
        copy_structure(src, gb, assignment)
        graded = src.find_submission(assignment, job_student)
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment, student, timestamp=graded.timestamp)
        try:
            for nb in graded.notebooks:
                notes += _merge_notebook(gb, nb, assignment, student, old_folder, new_folder)
            apply_late_penalties(submission, late_penalty)
            gb.db.commit()
        except Exception:
            gb.db.rollback()
            raise
    shutil.rmtree(old_folder, ignore_errors=True)
    shutil.copytree(new_folder, old_folder)
    return notes


def notebook_score(nb):
    """A SubmittedNotebook's points as they stand in the session: hand grades over autograded scores."""
    return sum(grade_points(g) or 0.0 for g in nb.grades)


def grade_points(grade):
    """A Grade's points: the hand grade when entered, else the autograded score (None: neither yet)."""
    return grade.manual_score if grade.manual_score is not None else grade.auto_score


def _merge_notebook(gb, graded_nb, assignment, student, old_folder, new_folder):
    """Copy one notebook's autograded scores and comments; clear the hand grades of changed answers."""
    name = graded_nb.name
    before = answers_by_exercise(old_folder / f"{name}.ipynb")
    after = answers_by_exercise(new_folder / f"{name}.ipynb")
    notes = []
    for g in graded_nb.grades:
        grade = gb.find_grade(g.name, name, assignment, student)
        changed = before.get(g.name) != after.get(g.name)
        if changed and (grade.manual_score is not None or _comment_of(gb, g.name, name, assignment, student)):
            notes.append(_cleared(grade, gb, name, assignment, student))
        grade.auto_score = g.auto_score
        grade.needs_manual_grade = g.needs_manual_grade or grade.manual_score is not None
    for c in graded_nb.comments:
        gb.find_comment(c.name, name, assignment, student).auto_comment = c.auto_comment
    return notes


def _comment_of(gb, cell, notebook, assignment, student):
    """The hand-written comment of a cell ('' when none, or when the cell takes no comment)."""
    try:
        return gb.find_comment(cell, notebook, assignment, student).manual_comment or ""
    except MissingEntry:  # a test cell has no comment
        return ""


def _cleared(grade, gb, notebook, assignment, student):
    """Clear a hand grade and comment whose answer changed; the note that keeps what they were."""
    comment = _comment_of(gb, grade.name, notebook, assignment, student)
    was = f"{grade.manual_score:g}/{grade.max_score:g}" if grade.manual_score is not None else "no grade"
    grade.manual_score = None
    if comment:
        gb.find_comment(grade.name, notebook, assignment, student).manual_comment = None
    said = f", comment {comment!r}" if comment else ""
    return (
        f"{notebook}: the answer to {grade.name} changed since it was graded by hand ({was}{said}); "
        "that hand grade was cleared: grade it again"
    )


def render_feedback(course, cfg, assignment, student, dest):
    """Write dest/<notebook>.html for each graded notebook of (student, assignment), from the course gradebook.

    nbgrader's GenerateFeedback converter, configured by cfg, renders each notebook; its files are read
    directly (nbgrader's own command globs its paths, which breaks on folder names holding brackets).
    """
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    cfg = copy.deepcopy(cfg)
    cfg.CourseDirectory.root = str(Path(course).resolve())
    converter = GenerateFeedback(coursedir=CourseDirectory(config=cfg), config=cfg)
    exporter = converter.exporter_class(parent=converter, config=converter.config)
    for preprocessor in converter.preprocessors:
        exporter.register_preprocessor(preprocessor)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted((Path(course) / AUTOGRADED / student / assignment).glob("*.ipynb")):
        info = {"student": student, "assignment": assignment, "notebook": path.stem, "db_url": db_url(course)}
        resources = {"unique_key": path.stem, "output_files_dir": f"{path.stem}_files", "nbgrader": info}
        html, _ = exporter.from_filename(str(path), resources=resources)
        written.append(dest / f"{path.stem}.html")
        written[-1].write_text(html, encoding="utf-8")
    return written


def beyond_autograde(course, course_id, assignment, student):
    """Whether the course gradebook knows more of a submission than its job did: a hand grade or comment
    entered, or a late penalty (the course's due date and extensions decide it)."""
    with open_gradebook(course, course_id) as gb:
        for nb in gb.find_submission(assignment, student).notebooks:
            if any(g.manual_score is not None for g in nb.grades) or any(c.manual_comment for c in nb.comments):
                return True
            if nb.late_submission_penalty:
                return True
    return False


def course_rows(course, course_id):
    """GradeRows of every submission in the course gradebook, sorted (what `grades report` writes)."""
    from .report import read_scores

    if not (Path(course) / GRADEBOOK).is_file():
        return []
    with open_gradebook(course, course_id) as gb:
        pairs = [(s.student.id, a.name) for a in gb.assignments for s in gb.assignment_submissions(a.name)]
        rows = [r for student, a in pairs for r in read_scores(course, course_id, a, student, student, gb)]
    return sorted(rows, key=lambda r: r.sort_key())
