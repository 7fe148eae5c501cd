"""Helpers for notebook test cells.

    asserts  assert_close, assert_shape, max_rel_error: failures that say what was expected and where
    forbid   switch the package's own version of an exercise off inside a hidden test
    student  the student's notebook as data: student.f(...) calls the student's f, student.x reads x
    wire     the data format between the student's kernel and the trusted test kernel
    serve    the student's side of `student`

Test cells import these inside the cell (`from autoencoders.grading import assert_close, student`), so a
student who redefines a name in their own cell cannot change a test. When graded, a test cell that uses
`student` runs in a trusted kernel that never runs student code (see autoencoders/course/execute.py).
"""

from .asserts import TINY, assert_close, assert_shape, max_rel_error
from .forbid import forbid
from .student import StudentCodeError, connect, ref, student, use_namespace

__all__ = [
    "TINY",
    "StudentCodeError",
    "assert_close",
    "assert_shape",
    "connect",
    "forbid",
    "max_rel_error",
    "ref",
    "student",
    "use_namespace",
]
