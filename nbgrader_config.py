"""nbgrader settings for the course (nbgrader 0.9). `python -m autoencoders` loads this file too.

solutions/<name>/  nbgrader source: reference solutions and hidden tests (instructors edit these)
notebooks/<name>/  student notebooks, written by `make release` (never edited by hand)
"""

import os

from nbgrader.converters import GenerateAssignment

from autoencoders.course.config import CODE_STUB, DEFAULT_TIMEOUT, IGNORE, KERNEL_ARGS, TEXT_STUB, timeout_error
from autoencoders.course.feedback import TEMPLATE as FEEDBACK_TEMPLATE
from autoencoders.course.preprocessors import AnnounceHiddenTests

c = get_config()  # noqa: F821  (injected by traitlets when it loads this file)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "autoencoders"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
# Per-notebook mutants/alternatives files hold answers: never copy them into notebooks/ or a grading dir.
c.CourseDirectory.ignore = [*IGNORE, "mutants.py", "mutants.json", "mutants.yaml", "mutants.yml"]

c.ClearSolutions.code_stub = {"python": CODE_STUB}
c.ClearSolutions.text_stub = TEXT_STUB

# Per-cell time limit while grading (seconds); `python -m autoencoders autograde --timeout` overrides it.
# Training cells stay well under this with AUTOENCODERS_FAST unset; an infinite loop costs at most this.
c.ExecutePreprocessor.timeout = DEFAULT_TIMEOUT
c.Execute.error_on_timeout = timeout_error(c.ExecutePreprocessor.timeout)
# Two kernels start per job, and a sandboxed one on a busy machine can take a while: one slow start must not
# turn a submission into an error row (nbclient's default is 60 s).
c.Execute.startup_timeout = 120
# After a cell's reply, nbclient waits this long for the rest of its output (default 4 s) and otherwise fails the
# whole notebook: on a busy grading machine (trainings using every core) 4 s is not enough.
c.Execute.iopub_timeout = 30
# In-memory history, and no start-up chatter from ipykernel on the terminal.
c.Execute.extra_arguments = KERNEL_ARGS

# Keep autograded notebooks and feedback small when a submission prints megabytes.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60
c.LimitOutputChars.max_chars = 20_000

# The release chain is nbgrader's, after one preprocessor of ours (autoencoders/course/preprocessors.py):
# AnnounceHiddenTests leaves a note where a test cell's hidden tests are, so a student (and `check`) can see
# which exercises have more tests than the public ones.
c.GenerateAssignment.preprocessors = [
    AnnounceHiddenTests,
    *GenerateAssignment.class_traits()["preprocessors"].default(),
]

# A deleted test cell is put back (and graded) instead of silently missing from the gradebook.
c.OverwriteCells.add_missing_cells = True

# nbgrader's default chain, with its Execute replaced and two preprocessors added:
# - TrustedExecute (autoencoders/course/execute.py) runs the student's cells in a sandboxed kernel and the
#   test cells that use `student` in a trusted kernel that never runs student code;
# and two of ours from autoencoders/course/preprocessors.py:
# - StderrToStdout runs right after execution, in the grader's process, so nothing a student's
#   code does can undo it: stderr text (e.g. a numpy RuntimeWarning) in a *test* cell no longer
#   zeroes a test that passed. Errors still fail the test: they are 'error' outputs, not stderr.
# - LimitOutputChars caps the characters of a stream or text output (LimitOutput counts lines only,
#   so a single megabyte-long line would otherwise get through).
c.Autograde.autograde_preprocessors = [
    "autoencoders.course.execute.TrustedExecute",
    "autoencoders.course.preprocessors.StderrToStdout",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "autoencoders.course.preprocessors.LimitOutputChars",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Feedback a student can be given (autoencoders/course/feedback.py): nbgrader's GetGrades, then three of ours
# - HideHiddenTests: where a test cell's hidden tests were, one line says they ran; their code, what they
#   printed and the traceback frames are left out, the failing assertion's message is kept;
# - NameExercises: each graded cell is named by the nearest heading above it, not "Test cell";
# - PendingGrades: a cell to grade by hand says so, with no score, until a grader enters one; the header
#   counts its points apart instead of as 0.
# Our template, autoencoders/course/templates/student_feedback.html.j2, extends nbgrader's feedback template,
# which stays the template GenerateFeedback names, in nbgrader's template folder. It is set for
# GenerateFeedback's exporter only, so the formgrader's own HTMLExporter keeps its template.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autoencoders.course.feedback.HideHiddenTests",
    "autoencoders.course.feedback.NameExercises",
    "autoencoders.course.feedback.PendingGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.GenerateFeedback.HTMLExporter.template_file = FEEDBACK_TEMPLATE
