"""Execute a submission for grading with two kernels: the student's (sandboxed) and a trusted one for tests.

Every cell of the notebook runs in the student's kernel, except test cells that use `student`
(`from autoencoders.grading import ... student`): they run in a trusted kernel that never runs student code
and reaches the student's kernel only through `student`, as data. Whatever the student's code does to its
own kernel, it can change only those data, and wrong data fail. Test cells that do not use `student` still
run in the student's kernel, as nbgrader runs them.

Outputs and errors are recorded in the cells where nbgrader expects them, so SaveAutoGrades, the gradebook
and the feedback work as before. When the student's kernel dies (a memory limit, say), the remaining test
cells fail with the reason instead of the whole notebook becoming an error.
"""

import os
import re
import shutil
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from queue import Empty

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Float, Integer, Unicode

from .preprocessors import is_test_cell
from .sandbox import GIB, Limits, Sandbox, SandboxedKernelManager

USES_STUDENT = re.compile(r"^\s*from autoencoders\.grading import [^\n]*\bstudent\b", re.MULTILINE)


def is_trusted_test_cell(cell):
    """A test cell written for the trusted kernel: it reaches the student's code only through `student`."""
    return is_test_cell(cell) and bool(USES_STUDENT.search(cell.get("source", "")))


def _error_output(ename, evalue):
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class TrustedExecute(Execute):
    """nbgrader's Execute, with test cells in a trusted kernel and the student's kernel in a sandbox."""

    sandbox = Bool(True, help="run the student's kernel under bubblewrap with resource limits").tag(config=True)
    memory_gib = Float(4.0, help="memory limit of the student's kernel, in GiB").tag(config=True)
    max_processes = Integer(64, help="most processes the student's kernel may run at once").tag(config=True)
    cpu_seconds = Integer(1800, help="CPU time limit of each process of the student's kernel").tag(config=True)
    runtime_root = Unicode("", help="folder for kernel sockets and connection files (default: a temp dir)").tag(
        config=True
    )

    def preprocess(self, nb, resources=None, km=None):
        work = Path(tempfile.mkdtemp(prefix="ae-", dir=self.runtime_root or None))
        limits = Limits(int(self.memory_gib * GIB), self.max_processes, self.cpu_seconds)
        box = None
        try:
            if self.sandbox:
                (work / "student").mkdir()
                box = Sandbox(f"{os.getpid()}-{uuid.uuid4().hex[:8]}", work / "student", limits, _data_cache())
                self.kernel_manager_class = _factory(box)
            self._stopped_because = None
            with self._trusted_kernel(work) as trusted:
                self._trusted = trusted
                return super().preprocess(nb, resources, km)
        finally:
            self._stopped_because = None
            if box is not None:
                box.close()
            shutil.rmtree(work, ignore_errors=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if getattr(self, "_stopped_because", None):
            if is_test_cell(cell):
                cell.outputs = [_error_output("KernelStopped", self._stopped_because)]
            return cell, resources
        try:
            if is_trusted_test_cell(cell):
                self._connect_trusted()
                try:
                    with self._swapped(self._trusted):
                        return super().preprocess_cell(cell, resources, index)
                finally:
                    self._drain_student_iopub()
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stopped_because = self._why_dead()
            cell.outputs.append(_error_output("KernelStopped", self._stopped_because))
            return cell, resources

    def _why_dead(self):
        box = getattr(self.km, "sandbox", None)
        reason = box.what_happened() if box is not None else ""
        return (
            reason or "the notebook's kernel stopped (it crashed or was killed)"
        ) + "; the cells after this one were not run"

    # ------------------------------------------------------------ the trusted kernel

    @contextmanager
    def _trusted_kernel(self, work):
        """A plain kernel in an empty folder of its own, so nothing of the submission is on its path.

        It listens on IPC sockets in a folder beside that one: TCP ports picked by parallel jobs can collide.
        """
        folder, sockets = work / "trusted", work / "trusted-sockets"
        folder.mkdir()
        sockets.mkdir()
        km = AsyncKernelManager(
            kernel_name=self.kernel_name or "python3",
            transport="ipc",
            ip=str(sockets / "kernel"),
            connection_file=str(sockets / "kernel.json"),
        )
        run_sync(km.start_kernel)(extra_arguments=list(self.extra_arguments), cwd=str(folder))
        kc = km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=self.startup_timeout)
            self._trusted_connected = False
            yield km, kc
        finally:
            kc.stop_channels()
            run_sync(km.shutdown_kernel)(now=True)
            run_sync(km.cleanup_resources)()

    def _connect_trusted(self):
        """Point the trusted kernel's `student` at the student's kernel (once)."""
        if self._trusted_connected:
            return
        info = dict(self.km.get_connection_info(session=False))
        info["key"] = info["key"].decode() if isinstance(info["key"], bytes) else info["key"]
        code = f"import autoencoders.grading as _g\n_g.connect({info!r}, timeout={self.timeout or 180})\ndel _g\n"
        _, kc = self._trusted
        reply = run_sync(kc.execute_interactive)(code, silent=True, store_history=False, timeout=60)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the trusted kernel could not connect: {reply['content'].get('evalue')}")
        self._trusted_connected = True

    def _drain_student_iopub(self):
        """Drop the status messages `student`'s requests left on the student kernel's IOPub channel.

        Each request publishes busy and idle there; past zmq's high-water mark (1000 messages) the next cell's own
        messages would be dropped and nbclient would time out waiting for them. Bounded, so a kernel that
        prints forever (from a thread) cannot hold grading here.
        """
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            try:
                run_sync(self.kc.get_iopub_msg)(timeout=0.05)
            except Empty:
                return

    @contextmanager
    def _swapped(self, kernel):
        """Run the next cell in `kernel` ((manager, client)) instead of the student's kernel."""
        saved = self.km, self.kc
        self.km, self.kc = kernel
        try:
            yield
        finally:
            self.km, self.kc = saved


def _factory(box):
    """A SandboxedKernelManager class bound to one sandbox (nbclient instantiates the class itself)."""

    class JobKernelManager(SandboxedKernelManager):
        def __init__(self, **kw):
            runtime = box.runtime_dir
            super().__init__(
                sandbox=box,
                transport="ipc",
                ip=str(runtime / "kernel"),
                connection_file=str(runtime / "kernel.json"),
                **kw,
            )

    return JobKernelManager


def _data_cache():
    """The package's data cache folder (read-only in the sandbox), so the kernel loads MNIST offline and fast."""
    from autoencoders.data import cache_dir

    return cache_dir()
