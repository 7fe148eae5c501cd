"""What leaves the course: the wide table of totals, and a grade upload for Canvas.

totals.csv   one row per student: per assignment its points, max points and points still pending
             (to grade by hand), then the total, its maximum and the pending points. A pending cell
             stays pending: it is never counted as 0, and an assignment not submitted is left blank.
canvas.csv   Canvas's gradebook import format (Canvas Instructor Guide, "How do I import grades in the
             Gradebook?"): Student, ID, SIS User ID, SIS Login ID, Section, one column per assignment,
             and a "Points Possible" row. A score with points still pending is left blank, so Canvas
             keeps it ungraded rather than recording a partial score as final.
"""

import csv
from pathlib import Path

from .report import totals

ROSTER_COLUMNS = ["student", "name", "id", "sis_user_id", "sis_login_id", "section"]
ROSTER_IDS = ["id", "sis_user_id", "sis_login_id"]  # Canvas matches a row on one of these
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def assignment_max(rows):
    """{assignment: max points}, pending cells included, from the submissions graded without error."""
    out = {}
    for t in totals(rows):
        if not t.errors:
            out[t.assignment] = max(out.get(t.assignment, 0.0), t.max_points + t.pending_points)
    return out


def wide_table(rows):
    """(header, [record]) of totals.csv from GradeRows (of a course gradebook, or of one batch)."""
    maxima = assignment_max(rows)
    assignments = sorted(maxima)
    by_student = {}
    for t in totals(rows):
        by_student.setdefault(t.student, {})[t.assignment] = t
    header = ["student"]
    for a in assignments:
        header += [f"{a} points", f"{a} max", f"{a} pending"]
    header += ["total", "total max", "total pending"]
    records = []
    for student in sorted(by_student):
        record, total, pending = [student], 0.0, 0.0
        for a in assignments:
            t = by_student[student].get(a)
            if t is None or t.errors:  # not submitted, or could not be graded: blank, not 0
                record += ["", _num(maxima[a]), ""]
                continue
            record += [_num(t.points), _num(maxima[a]), _num(t.pending_points)]
            total, pending = total + t.points, pending + t.pending_points
        records.append(record + [_num(total), _num(sum(maxima.values())), _num(pending)])
    return header, records


def write_totals(rows, path):
    """Write totals.csv (see wide_table); its path."""
    header, records = wide_table(rows)
    return _write(path, [header, *records])


def read_roster(path):
    """{student folder name: {roster column: value}} from a roster CSV (ROSTER_COLUMNS; student and an id needed).

    Raises ValueError naming the file and line for a missing column, a row without an id, or a student twice.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"no roster file {str(path)!r}")
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames or []
        if "student" not in fields or not any(c in fields for c in ROSTER_IDS):
            raise ValueError(
                f"{path}: a roster needs a 'student' column (the submission folder names) and one of "
                f"{', '.join(ROSTER_IDS)} (the LMS ids); it has {', '.join(fields) or 'no header'}"
            )
        roster = {}
        for row in reader:
            where = f"{path}, line {reader.line_num}"
            student = (row.get("student") or "").strip()
            if not student or not any((row.get(c) or "").strip() for c in ROSTER_IDS):
                raise ValueError(f"{where}: every row needs a student and one of {', '.join(ROSTER_IDS)}")
            if student in roster:
                raise ValueError(f"{where}: student {student!r} is listed twice")
            roster[student] = {c: (row.get(c) or "").strip() for c in ROSTER_COLUMNS}
    return roster


def write_canvas(rows, roster, path):
    """Write a Canvas gradebook import CSV for the students in rows; its path.

    Raises ValueError when a graded student is not in the roster (their grade would be lost on upload).
    """
    by_student = {}
    for t in totals(rows):
        by_student.setdefault(t.student, {})[t.assignment] = t
    missing = sorted(set(by_student) - set(roster))
    if missing:
        raise ValueError(
            f"the roster has no row for {', '.join(missing)}: add them (student = their submission folder name)"
        )
    maxima = assignment_max(rows)
    assignments = sorted(maxima)
    lines = [CANVAS_COLUMNS + assignments, ["Points Possible", "", "", "", ""] + [_num(maxima[a]) for a in assignments]]
    for student in sorted(by_student):
        r = roster[student]
        scores = []
        for a in assignments:
            t = by_student[student].get(a)
            scores.append("" if t is None or t.errors or t.pending else _num(t.points))
        lines.append([r["name"] or student, r["id"], r["sis_user_id"], r["sis_login_id"], r["section"], *scores])
    return _write(path, lines)


def _write(path, lines):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(lines)
    return path


def _num(x):
    return f"{x:g}"


def write_reports(course, cfg, out, roster=None, progress=True):
    """From the course gradebook: out/grades.csv, out/totals.csv, out/feedback/ and, given a roster, canvas.csv.

    The feedback of every submission is rendered again, so it shows the hand grades entered since.
    Returns the paths written.
    """
    from .gradebook import course_id_of, course_rows, render_feedback
    from .progress import progress_bar
    from .report import write_csv

    out = Path(out)
    students = read_roster(roster) if roster else None  # a bad roster stops before anything is written
    rows = course_rows(course, course_id_of(cfg))
    written = [write_csv(rows, out / "grades.csv"), write_totals(rows, out / "totals.csv")]
    if students is not None:
        written.append(write_canvas(rows, students, out / "canvas.csv"))
    pairs = sorted({(r.student, r.assignment) for r in rows})
    bar = progress_bar(None, "feedback", progress, total=len(pairs))
    for student, assignment in pairs:
        render_feedback(course, cfg, assignment, student, out / "feedback" / student / assignment)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return written + [out / "feedback"]
