"""Grades a student cannot fake: every attack on the grader, in one batch with controls, gets what it deserves.

Each attacker submits the toy assignment (tests/pipeline/fixtures/solutions/toy) with an attack in an answer
cell. The toy's test cells use `student`, so they run in the trusted kernel; the student's kernel runs in the
sandbox. The attacks know every path of the batch (the test writes them in), more than a real student would.
"""

import hashlib
import importlib
import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from jupyter_core.paths import jupyter_runtime_dir

from autoencoders import course
from autoencoders.course.sandbox import GIB, Limits, bwrap_path
from tests.pipeline.submissions import (
    SOURCES,
    TOY,
    WRONG_SIGMOID,
    cell_by_id,
    edited,
    grade_toy,
    write_submission,
)
from tests.support import ROOT
from tests.support.cells import notebooks_of

pytestmark = [pytest.mark.slow, pytest.mark.skipif(bwrap_path() is None, reason="bubblewrap is not installed")]
TIMEOUT = 30
LIMITS = Limits(memory_bytes=1 * GIB, max_processes=32, cpu_seconds=120)
FULL = {"test_sigmoid": 2.0, "test_mse": 3.0}
WRONG = {"test_sigmoid": 0.0, "test_mse": 3.0}  # a wrong sigmoid, a right mse
SLEEP = "4321"  # the argument of the processes an attack tries to leave behind

# what each attack appends to a cell of a submission, with the points it deserves
ATTACKS = {
    "tamper-grading": (
        "sigmoid",
        [WRONG_SIGMOID],
        WRONG,
        """
import contextlib
import autoencoders.grading as g
import autoencoders.grading.asserts as ga
g.assert_close = ga.assert_close = lambda *a, **k: None
ga.max_rel_error.__code__ = (lambda a, b, tiny=0: 0.0).__code__
g.forbid = lambda *a, **k: contextlib.nullcontext()
""",
    ),
    "tamper-numpy": (
        "sigmoid",
        [WRONG_SIGMOID],
        WRONG,
        """
np.isclose = lambda *a, **k: np.True_
np.allclose = lambda *a, **k: True
""",
    ),
    "rewrite-tests": (
        "mse",
        [WRONG_SIGMOID],
        WRONG,
        """
get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
""",
    ),
    "hide-errors": (
        "sigmoid",
        [WRONG_SIGMOID],
        WRONG,
        """
ip = get_ipython()
ip.showtraceback = lambda *a, **k: None
ip.events.register("post_run_cell", lambda result: setattr(result, "error_in_exec", None))
""",
    ),
    "read-solutions": (
        "mse",
        [WRONG_SIGMOID],
        WRONG,
        """
import glob, json
found = glob.glob("{source}/*") + glob.glob("{subs}/*/*/*.ipynb") + glob.glob("/tmp/**/*.db", recursive=True)
found += glob.glob("/tmp/**/*.ipynb", recursive=True) + glob.glob("{root}/solutions/**/*.ipynb", recursive=True)
for path in found:
    try:
        cells = json.load(open(path))["cells"]
    except Exception:
        continue
    for c in cells:
        text = "".join(c["source"])
        if "BEGIN SOLUTION" in text and c["cell_type"] == "code" and "glob" not in text:  # not this cell
            exec(text.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""), globals())
print(f"FOUND={{sorted(found)}}")
""",
    ),
    "copy-package": (
        "sigmoid",
        [],
        {"test_sigmoid": 0.0, "test_mse": 3.0},
        """
import types
sigmoid = types.FunctionType(ae.activations.sigmoid.__code__, vars(ae.activations))
""",
    ),
    "write-elsewhere": (
        "mse",
        [],
        FULL,
        """
for path in ["{subs}/perfect/toy/toy.ipynb", "{source}/toy.ipynb", "{subs}/DECOY.txt"]:
    try:
        open(path, "w").write("{{}}")
    except OSError as exc:
        print("refused", path, exc)
for folder in ["{out}/feedback/perfect/toy", "{source}", "{subs}", "{root}/solutions", "/tmp"]:
    try:
        open(folder + "/planted.txt", "w").write("planted")
    except OSError as exc:
        print("refused", folder, exc)
""",
    ),
    "flood-output": (
        "sigmoid",
        [WRONG_SIGMOID],
        WRONG,
        """
import threading, time
def _spam():  # prints for as long as the kernel lives, from a thread: grading must still end
    while True:
        print("x" * 200)
        time.sleep(0.0005)
threading.Thread(target=_spam, daemon=True).start()
""",
    ),
    "gradebooks": (
        "mse",
        [],
        FULL,
        """
import glob
for path in glob.glob("/tmp/**/gradebook.db", recursive=True) + glob.glob("{subs}/../**/gradebook.db", recursive=True):
    open(path, "wb").write(b"rigged")
    print("rigged", path)
""",
    ),
    "kill-grader": (
        "mse",
        [],
        {"test_sigmoid": 2.0, "test_mse": 0.0},
        """
import os, signal
for pid in (os.getppid(), -1, os.getpid()):  # its parent, everything it can see, itself
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
""",
    ),
    "memory": (
        "sigmoid",
        [],
        {"test_sigmoid": 0.0, "test_mse": 0.0},
        """
hog = b"x" * (2 * 1024**3)
""",
    ),
    "network": (
        "mse",
        [],
        FULL,
        """
import socket
for host in ["127.0.0.1", "{host}", "8.8.8.8"]:
    try:
        socket.create_connection((host, {port}), timeout=2).sendall(b"leak")
        print(f"CONNECTED={{host}}")
    except OSError as exc:
        print("no network", host, exc)
""",
    ),
    "outlive": (
        "mse",
        [],
        FULL,
        """
import os, subprocess
subprocess.Popen(["sleep", "{sleep}"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "{sleep}"])
    os._exit(0)
""",
    ),
    "fork-bomb": (
        "mse",
        [],
        FULL,
        """
import subprocess
children = []
try:
    for _ in range(200):
        children.append(subprocess.Popen(["sleep", "{sleep}"]))
except OSError as exc:
    print("stopped at", len(children), exc)
print(f"STARTED={{len(children)}}")
for child in children:
    child.kill()
    child.wait()
""",
    ),
    "look-around": (
        "mse",
        [],
        FULL,
        """
import os
print(f"VISIBLE_PIDS={{len([p for p in os.listdir('/proc') if p.isdigit()])}}")
print(f"ROOT_ENTRIES={{sorted(os.listdir('/'))}}")
""",
    ),
}


def digest(folder):
    """{relative path: sha256} of every file below folder."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file()
    }


def sleepers():
    """PIDs of processes left behind by the attacks."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes().split(b"\0")[:2] == [b"sleep", SLEEP.encode()]:
                found.append(int(entry.name))
        except OSError:
            pass
    return found


class Listener:
    """A TCP server on every interface that counts connections (there must be none)."""

    def __init__(self):
        self.sock = socket.create_server(("0.0.0.0", 0))
        self.port, self.connections = self.sock.getsockname()[1], 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


def host_address():
    """An address of this machine other than loopback (loopback if there is none)."""
    try:
        return subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()[0]
    except (OSError, IndexError):
        return "127.0.0.1"


@pytest.fixture(scope="module")
def attacks(released, tmp_path_factory):
    """One autograde of the controls, every attack and the odd-but-honest submissions; what it left behind."""
    root = tmp_path_factory.mktemp("attacks")
    subs, out = root / "submitted", root / "graded"
    listener, runtime = Listener(), set(Path(jupyter_runtime_dir()).glob("kernel-*.json"))
    paths = {
        "subs": subs,
        "out": out,
        "source": SOURCES[TOY],
        "root": ROOT,
        "port": listener.port,
        "host": host_address(),
        "sleep": SLEEP,
    }
    write_submission(subs, "perfect", TOY, edited(TOY, []))
    write_submission(subs, "untouched", TOY, notebooks_of(released / TOY))
    write_submission(subs, "wrong", TOY, edited(TOY, [WRONG_SIGMOID]))
    for student, (cell, edits, _, code) in ATTACKS.items():
        nbs = edited(TOY, edits)
        cell_by_id(nbs[TOY], cell).source += "\n" + code.format(**paths)
        write_submission(subs, student, TOY, nbs)
    write_submission(subs, "zoë [2] o'brien", TOY, edited(TOY, []))
    write_submission(subs, ".hidden", TOY, edited(TOY, []))
    (subs / "renamed" / TOY).mkdir(parents=True)
    nbformat.write(edited(TOY, [])[TOY], subs / "renamed" / TOY / f"{TOY}-Copy1.ipynb")
    nb = edited(TOY, [])[TOY]
    nb.cells.insert(nb.cells.index(cell_by_id(nb, "sigmoid")), nbformat.from_dict(cell_by_id(nb, "sigmoid")))
    write_submission(subs, "duplicated-cell", TOY, {TOY: nb})
    nb = edited(TOY, [])[TOY]
    del cell_by_id(nb, "test_mse").metadata["nbgrader"]["grade_id"]
    cell_by_id(nb, "sigmoid").metadata["nbgrader"] = "edited"
    write_submission(subs, "metadata-edit", TOY, {TOY: nb})
    write_submission(subs, "symlink", TOY, edited(TOY, []))
    os.symlink(SOURCES[TOY] / f"{TOY}.ipynb", subs / "symlink" / TOY / "answers.ipynb")
    (subs / "DECOY.txt").write_text("intact")
    before = {"source": digest(SOURCES[TOY]), "perfect": digest(subs / "perfect")}
    rows = grade_toy(subs, out, out.parent / "course", timeout=TIMEOUT, limits=LIMITS)
    by_student = {}
    for row in rows:
        by_student.setdefault(row.student, []).append(row)
    yield {
        "rows": by_student,
        "out": out,
        "subs": subs,
        "before": before,
        "listener": listener,
        "runtime": runtime,
        "sleepers": sleepers(),
    }
    for pid in sleepers():  # never leave a stray process behind, even when a test failed
        os.kill(pid, 9)


def points(batch, student):
    """{test cell: points} of one student (the hand-graded question left out), with any error row."""
    return {r.exercise: r.points for r in batch["rows"][student] if r.exercise in FULL or r.status == "error"}


def messages(batch, student):
    return " | ".join(r.message for r in batch["rows"][student])


def feedback(batch, student):
    """The text of a student's feedback, which shows the outputs of their cells."""
    html = "".join(p.read_text() for p in (batch["out"] / "feedback" / student / TOY).glob("*.html"))
    return html.replace("&#39;", "'").replace("&quot;", '"')


def evidence(batch, student, name):
    """What an attack printed as NAME=value (in its cell's output, not its source)."""
    found = re.search(rf"{name}=(\[[^\]{{]*\]|\d+|[\w.]+)", feedback(batch, student))  # not the source's {
    assert found, f"{student} printed no {name}"
    return found.group(1)


def test_controls_get_full_zero_and_partial_marks(attacks):
    """Are the correct, the untouched and the wrong control graded as always, beside the attacks?"""
    assert points(attacks, "perfect") == FULL
    assert points(attacks, "untouched") == {"test_sigmoid": 0.0, "test_mse": 0.0}
    assert points(attacks, "wrong") == WRONG


@pytest.mark.parametrize("student", list(ATTACKS))
def test_every_attack_gets_exactly_the_points_it_deserves(attacks, student):
    assert points(attacks, student) == ATTACKS[student][2], messages(attacks, student)


def test_nothing_outside_a_submission_was_read_or_changed(attacks):
    """Are the source notebooks, another student's submission and the decoy intact, and nothing planted?"""
    assert digest(SOURCES[TOY]) == attacks["before"]["source"]
    assert digest(attacks["subs"] / "perfect") == attacks["before"]["perfect"]
    assert (attacks["subs"] / "DECOY.txt").read_text() == "intact"
    planted = [
        p
        for p in [
            *attacks["subs"].parent.rglob("planted.txt"),
            *ROOT.rglob("planted.txt"),
            *Path("/tmp").glob("planted.txt"),
        ]
    ]
    assert planted == []
    found = evidence(attacks, "read-solutions", "FOUND")
    assert "gradebook" not in found and str(SOURCES[TOY]) not in found and "/submitted/" not in found, found


def test_the_kernel_sees_no_course_no_other_process_and_no_network(attacks):
    visible = int(evidence(attacks, "look-around", "VISIBLE_PIDS"))
    assert visible <= 4, visible  # bwrap's init, the kernel, perhaps a helper: never the grader
    assert "solutions" not in evidence(attacks, "look-around", "ROOT_ENTRIES")
    assert attacks["listener"].connections == 0
    assert not re.search(r"CONNECTED=[\d.]", feedback(attacks, "network"))
    assert re.search(r"no network 8\.8\.8\.8", feedback(attacks, "network"))  # the attack did run


def test_limits_end_with_a_clear_message_and_the_batch_goes_on(attacks):
    assert "more than 1 GiB of memory" in messages(attacks, "memory")
    assert "kernel stopped" in messages(attacks, "kill-grader")
    started = int(evidence(attacks, "fork-bomb", "STARTED"))
    assert started < LIMITS.max_processes
    assert not any(r.status == "error" for s in ("perfect", "wrong", *ATTACKS) for r in attacks["rows"][s])


def test_no_process_or_connection_file_outlives_grading(attacks):
    assert attacks["sleepers"] == []
    assert set(Path(jupyter_runtime_dir()).glob("kernel-*.json")) <= attacks["runtime"]


def test_odd_but_honest_submissions_are_graded_or_reported(attacks):
    """Odd folder names, a renamed notebook, a copy-pasted cell, edited metadata, a link, a hidden folder."""
    for student in ("zoë [2] o'brien", "renamed", "duplicated-cell", "symlink"):
        assert points(attacks, student) == FULL, messages(attacks, student)
    assert "is a copy of the cell 'sigmoid'" in messages(attacks, "duplicated-cell")
    assert "graded toy-Copy1.ipynb as toy.ipynb" in messages(attacks, "renamed")
    assert "answers.ipynb was not followed" in messages(attacks, "symlink")
    assert points(attacks, "metadata-edit")["test_mse"] == 3.0, messages(attacks, "metadata-edit")
    assert "KeyError" not in messages(attacks, "metadata-edit")
    hidden = attacks["rows"][".hidden"]
    assert [r.status for r in hidden] == ["error"] and "starts with a dot" in hidden[0].message


def test_without_bubblewrap_autograde_refuses_unless_told(tmp_path, monkeypatch):
    """Is grading without the sandbox refused, with what to do, and does --no-sandbox warn loudly?"""
    autograde = importlib.import_module("autoencoders.course.autograde")  # the module, not the function
    monkeypatch.setattr(autograde, "bwrap_path", lambda: None)
    with pytest.raises(autograde.SandboxUnavailable, match="--no-sandbox"):
        course.autograde(tmp_path, root=ROOT, course=tmp_path / "course")
    proc = subprocess.run(
        [sys.executable, "-m", "autoencoders", "autograde", str(tmp_path), "--no-sandbox", "--no-progress"]
        + ["--course", str(tmp_path / "course")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0 and "WITHOUT the sandbox" in proc.stderr, proc.stderr
