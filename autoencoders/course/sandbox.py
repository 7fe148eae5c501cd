"""The student kernel's sandbox while grading: bubblewrap namespaces plus per-job resource limits.

Inside, the kernel sees the system read-only (/usr, /etc, Python and the installed packages), its own
notebook folder read-write, a private /tmp, its own PIDs, and no network. The course (solutions/, gradebooks,
other students, the grader's files) is not there at all. It talks to the grader over IPC sockets in a
folder bound into the sandbox. Memory and process count are capped by a cgroup (v1) when this machine
lets us make one, else memory by RLIMIT_AS; CPU time by RLIMIT_CPU. Every process is killed with the job.
"""

import os
import shutil
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Any

CGROUP_ROOT = Path("/sys/fs/cgroup")
CONTROLLERS = ("memory", "pids")
GIB = 1024**3


@dataclass(frozen=True)
class Limits:
    """What one student kernel may use."""

    memory_bytes: int = 4 * GIB
    max_processes: int = 64
    cpu_seconds: int = 1800

    def describe_memory(self):
        return f"{self.memory_bytes / GIB:g} GiB"


def bwrap_path():
    """The bubblewrap executable, or None when it is not installed (macOS, Windows, a bare Linux)."""
    return shutil.which("bwrap")


def _system_paths():
    """Read-only folders the kernel needs: Python, its packages, and this package wherever it is installed."""
    import autoencoders

    paths = {sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parents[1])}
    paths.add(str(Path(autoencoders.__file__).resolve().parent))  # an editable install lives in the repository
    paths.update(p for p in sys.path if p and Path(p).is_dir() and p.startswith((sys.prefix, sys.base_prefix)))
    return sorted(paths)


class Cgroup:
    """A cgroup v1 per job under /sys/fs/cgroup/<controller>/autoencoders/<name>, or nothing where we cannot."""

    def __init__(self, name, limits):
        self.dirs = {}
        try:
            for controller in CONTROLLERS:
                folder = CGROUP_ROOT / controller / "autoencoders" / name
                folder.mkdir(parents=True, exist_ok=True)
                self.dirs[controller] = folder
            (self.dirs["memory"] / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
            swap = self.dirs["memory"] / "memory.memsw.limit_in_bytes"
            if swap.exists():
                swap.write_text(str(limits.memory_bytes))  # no escape into swap
            (self.dirs["pids"] / "pids.max").write_text(str(limits.max_processes))
        except OSError:  # no cgroup v1 here, or no permission: fall back to rlimits
            self.remove()
            self.dirs = {}

    @property
    def active(self):
        return bool(self.dirs)

    def join_command(self):
        """A shell prefix that moves itself into the cgroup, then execs the rest of the command."""
        joins = " && ".join(f"echo $$ > {d / 'cgroup.procs'}" for d in self.dirs.values())
        return ["/bin/sh", "-c", f'{joins} && exec "$@"', "sandbox"]

    def what_happened(self, limits):
        """A sentence for grades.csv when the kernel hit a limit, else ''."""
        try:
            if _counts(self.dirs["memory"] / "memory.oom_control").get("oom_kill", 0) > 0:
                return f"the notebook used more than {limits.describe_memory()} of memory and was stopped"
            if _counts(self.dirs["pids"] / "pids.events").get("max", 0) > 0:
                return f"the notebook tried to run more than {limits.max_processes} processes at once"
        except (OSError, ValueError):
            pass
        return ""

    def kill_all(self):
        """SIGKILL every process still in the cgroup (those started with a new session too), until none is left."""
        for _ in range(200):
            pids = self._pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)

    def _pids(self):
        pids = set()
        for folder in self.dirs.values():
            try:
                pids.update(int(p) for p in (folder / "cgroup.procs").read_text().split())
            except OSError:
                pass
        return pids

    def remove(self):
        self.kill_all()
        for folder in self.dirs.values():
            for _ in range(100):  # a killed process leaves the cgroup once it is reaped
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)


def _counts(path):
    """{name: int} from a cgroup file of 'name value' lines."""
    pairs = (line.split() for line in path.read_text().splitlines())
    return {p[0]: int(p[1]) for p in pairs if len(p) == 2}


class Sandbox:
    """How to wrap a kernel command: bubblewrap around it, the cgroup and rlimits, for one job."""

    def __init__(self, name, runtime_dir, limits=None, cache_dir=None):
        self.limits = limits or Limits()
        self.runtime_dir = Path(runtime_dir)  # the IPC sockets and connection file live here
        self.cache_dir = cache_dir
        self.cgroup = Cgroup(name, self.limits)

    def wrap(self, cmd, cwd):
        """cmd (python -m ipykernel_launcher ...) run in cwd inside the sandbox."""
        bwrap = bwrap_path()
        if bwrap is None:
            raise RuntimeError("bubblewrap (bwrap) is not installed: install it (Debian: apt-get install bubblewrap)")
        cwd = str(Path(cwd).resolve())
        # a private /tmp first: what is bound below may live under /tmp (a checkout in /tmp, a job folder)
        args = [
            bwrap,
            "--die-with-parent",
            "--unshare-all",
            "--new-session",
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--tmpfs",
            "/dev/shm",
            "--tmpfs",
            "/tmp",
        ]
        for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):  # merged-/usr symlinks, or folders
            root = Path("/") / name
            if root.is_symlink():
                args += ["--symlink", os.readlink(root), str(root)]
            elif root.is_dir():
                args += ["--ro-bind", str(root), str(root)]
        read_only = ["/usr", "/etc", *_system_paths()]
        if self.cache_dir and Path(self.cache_dir).is_dir():
            read_only.append(str(self.cache_dir))  # the data cache: MNIST loads offline, and cannot be poisoned
        for path in read_only:
            args += ["--ro-bind", path, path]
        for path in (str(self.runtime_dir), cwd):
            args += ["--bind", path, path]
        env = {
            "HOME": cwd,
            "TMPDIR": "/tmp",
            "MPLCONFIGDIR": "/tmp/matplotlib",
            # its parent is outside its PIDs: 1 tells ipykernel not to watch for it (--die-with-parent
            # does) and not to print its start-up banner
            "JPY_PARENT_PID": "1",
        }
        if self.cache_dir:
            env["AUTOENCODERS_CACHE"] = str(self.cache_dir)
        for name, value in env.items():
            args += ["--setenv", name, value]
        args += ["--chdir", cwd]
        rlimits = [f"--cpu={self.limits.cpu_seconds}", "--core=0"]
        if not self.cgroup.active:
            rlimits.append(f"--as={self.limits.memory_bytes}")
        args += ["--", "prlimit", *rlimits, "--", *cmd]
        return (self.cgroup.join_command() if self.cgroup.active else []) + args

    def what_happened(self):
        return self.cgroup.what_happened(self.limits) if self.cgroup.active else ""

    def close(self):
        """Kill whatever the kernel left running, and remove the cgroup."""
        self.cgroup.remove()


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts its kernel inside `sandbox` (give it transport="ipc" and an ip, i.e. a socket
    path prefix, in the sandbox's runtime dir: the sandbox has no network)."""

    sandbox = Any(None, help="the Sandbox to start the kernel in")

    async def _async_pre_start_kernel(self, **kw):
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        return self.sandbox.wrap(cmd, kw.get("cwd") or os.getcwd()), kw
