"""Start JupyterLab and Debian's Chromium, and drive explorer notebooks in it; server and browser always stop.

Used by tests/browser/ and scripts/screenshot_explorer.py. Playwright drives /usr/bin/chromium and
never downloads a browser of its own. Explorer widgets carry CSS classes (ae-explorer, ae-key-slider,
ae-key-view, ae-train, ae-status, ae-busy while computing) that the page helpers below look for.
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in a container: the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",  # /dev/shm is small in containers
    "--disable-extensions",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--mute-audio",
    "--hide-scrollbars",  # screenshots without scrollbars
]
INSTALL_HINT = (
    "the browser tests need Debian's chromium and the playwright Python package: "
    "`apt-get install -y chromium` and `pip install playwright` (never `playwright install`: "
    "we use /usr/bin/chromium)"
)
# JupyterLab user settings: render every cell (no windowing), and no network look-ups for news or updates.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"checkForUpdates": False, "fetchNews": "false"},
}
STARTUP_SECONDS = 120


def missing():
    """Why browser tests cannot run here (a message with an install hint), or None if they can."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} not found; {INSTALL_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"the playwright package is not installed; {INSTALL_HINT}"
    return None


def free_port():
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process_group(proc):
    """Terminate a process group started with start_new_session (a server and its kernels); kill it if it lingers."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


class Lab:
    """A running JupyterLab server: url(path), api(path, method) and its log."""

    def __init__(self, port, token, root, log_path):
        self.base = f"http://127.0.0.1:{port}"
        self.token, self.root, self.log_path = token, Path(root), Path(log_path)

    def url(self, path, query=""):
        """Full URL of path with the token (and an extra query string such as "reset")."""
        return f"{self.base}/{path.lstrip('/')}?{query + '&' if query else ''}token={self.token}"

    def api(self, path, method="GET"):
        """Call the REST API; returns decoded JSON (None for an empty body)."""
        request = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log(self, chars=4000):
        return self.log_path.read_text(errors="replace")[-chars:]

    def shutdown_kernels(self):
        """End every session and its kernel (each notebook then gets a fresh one)."""
        for session in self.api("api/sessions"):
            with contextlib.suppress(urllib.error.URLError):
                self.api(f"api/sessions/{session['id']}", method="DELETE")
        for kernel in self.api("api/kernels"):
            with contextlib.suppress(urllib.error.URLError):
                self.api(f"api/kernels/{kernel['id']}", method="DELETE")


@contextlib.contextmanager
def jupyter_lab(root, workdir, env=None):
    """Serve `root` with JupyterLab on a free port and a random token; yields a Lab; always stops it."""
    workdir = Path(workdir)
    settings = workdir / "lab-settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    for sub in ("config", "data", "runtime", "ipython", "workspaces"):
        (workdir / sub).mkdir(exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        **(env or {}),
        "JUPYTER_CONFIG_DIR": str(workdir / "config"),
        "JUPYTER_DATA_DIR": str(workdir / "data"),
        "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
        "IPYTHONDIR": str(workdir / "ipython"),
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
        "--LabApp.news_url=None",
        "--allow-root",
    ]
    log_path = workdir / "jupyter-lab.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    lab = Lab(port, token, root, log_path)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {proc.returncode}:\n{lab.log()}")
            try:
                lab.api("api/status")
                break
            except (urllib.error.URLError, ConnectionError, OSError) as exc:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"jupyter lab did not answer within {STARTUP_SECONDS} s:\n{lab.log()}") from exc
                time.sleep(0.5)
        yield lab
    finally:
        stop_process_group(proc)


@contextlib.contextmanager
def chromium():
    """A headless Playwright Browser on Debian's chromium; always closed."""
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def copy_notebooks(source, dest):
    """Copy the *.ipynb files of source into dest (the server's root); returns dest."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(source).glob("*.ipynb")):
        shutil.copy2(path, dest / path.name)
    return dest


# --------------------------------------------------------------------------- page helpers

RUN_SECONDS = 300  # generous: the machine may be shared and slow
NB = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in the visible tab


def accept_kernel_dialog(page):
    """Accept JupyterLab's "Select Kernel" dialog (the default Python 3 kernel) if it is showing."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    if dialog.count():
        dialog.locator(".jp-mod-accept").first.click()


def wait_kernel_idle(page, timeout=RUN_SECONDS):
    page.locator(f"{NB} .jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        state="attached", timeout=timeout * 1000
    )


def open_notebook(page, lab, name):
    """Open a notebook alone in a reset JupyterLab, kernel started and idle, file browser collapsed."""
    page.goto(lab.url(f"lab/tree/{name}", query="reset"))
    page.locator(f"{NB} .jp-Notebook").first.wait_for(timeout=RUN_SECONDS * 1000)
    deadline = time.monotonic() + RUN_SECONDS
    while not any(
        s["path"].endswith(name) and s["kernel"]["execution_state"] == "idle" for s in lab.api("api/sessions")
    ):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no idle kernel for {name}:\n{lab.log()}")
        accept_kernel_dialog(page)
        time.sleep(0.5)
    wait_kernel_idle(page)
    current = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if current.count():
        current.first.click()  # collapse the left sidebar: more room for the explorer


def run_all_cells(page):
    """Run > Run All Cells; wait until every code cell has an execution count, the kernel is idle
    and an explorer is on the page."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    done = f"""() => {{ const p = [...document.querySelectorAll("{NB} .jp-CodeCell .jp-InputPrompt")];
                       return p.length > 0 && p.every(e => /\\[\\d+\\]/.test(e.textContent)); }}"""
    deadline = time.monotonic() + RUN_SECONDS
    while not page.evaluate(done):
        if time.monotonic() > deadline:
            raise TimeoutError("the cells did not finish running")
        accept_kernel_dialog(page)
        time.sleep(0.25)
    wait_kernel_idle(page)
    page.locator(f"{NB} .ae-explorer").first.wait_for(timeout=RUN_SECONDS * 1000)


def view(page, cls):
    """The first element with CSS class cls in the visible notebook."""
    return page.locator(f"{NB} .{cls}").first


def wait_new_src(page, cls, old, timeout=RUN_SECONDS):
    """Wait until the image with CSS class cls shows new data (a new src); returns the seconds waited."""
    start = time.perf_counter()
    page.wait_for_function(
        "([sel, old]) => { const e = document.querySelector(sel); return e && e.src && e.src !== old; }",
        arg=[f"{NB} .{cls}", old],
        timeout=timeout * 1000,
    )
    return time.perf_counter() - start


def wait_not_busy(page, timeout=RUN_SECONDS):
    """Wait until the explorer has finished training or precomputing."""
    page.locator(f"{NB} .ae-explorer:not(.ae-busy)").first.wait_for(timeout=timeout * 1000)


def press_slider(page, cls="ae-key-slider", key="ArrowRight"):
    """Move a slider by one step with the keyboard."""
    handle = page.locator(f"{NB} .{cls} .noUi-handle").first
    handle.focus()
    handle.press(key)
