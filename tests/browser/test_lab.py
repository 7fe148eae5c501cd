"""Does `make lab` start a JupyterLab server on notebooks/ that answers on the port and token we give it?"""

import json
import os
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.support import ROOT
from tests.support.labdriver import free_port  # shared with the browser tests
from tests.support.labdriver import stop_process_group as stop

STARTUP_SECONDS = 180  # make may first re-install the kit when pyproject.toml changed
# Jupyter's default hide rules (hidden files plus ContentsManager.hide_globs).
HIDDEN_SUFFIXES = (".pyc", ".pyo", "~")
HIDDEN_NAMES = {"__pycache__", ".DS_Store"}


def get_json(url):
    """GET url and decode its JSON body."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode())


def visible_entries(folder):
    """Names Jupyter lists in a folder: no dot-files and nothing matched by its hide rules."""
    return {
        p.name
        for p in folder.iterdir()
        if not p.name.startswith(".") and p.name not in HIDDEN_NAMES and not p.name.endswith(HIDDEN_SUFFIXES)
    }


def wait_for_status(proc, url, log_path):
    """Poll url until the server answers; fail early if `make lab` exits."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"make lab exited with {proc.returncode} before answering:\n{log_path.read_text()[-3000:]}")
        try:
            return get_json(url)
        except urllib.error.HTTPError as error:  # the server is up but refused us: no point waiting
            pytest.fail(f"{url} answered {error.code}:\n{log_path.read_text()[-3000:]}")
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    pytest.fail(f"no answer from {url} after {STARTUP_SECONDS} s:\n{log_path.read_text()[-3000:]}")


@pytest.mark.slow
def test_make_lab_serves_notebooks(tmp_path):
    """Does `make lab LAB_ARGS=...` pass the args through and serve notebooks/ behind the token?"""
    make = shutil.which("make")
    assert make is not None, "make is not on PATH"
    port, token = free_port(), secrets.token_hex(16)
    lab_args = " ".join(
        [
            "--no-browser",
            f"--port={port}",
            "--ServerApp.port_retries=0",  # fail instead of moving to another port
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            "--LabApp.news_url=None",  # no announcement feed from the network
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
    )
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    # Keep the user's Jupyter config and runtime files out of the test, and the test's out of theirs.
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        BROWSER="false",
    )
    log_path = tmp_path / "lab.log"
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [make, "--no-print-directory", "lab", f"LAB_ARGS={lab_args}"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() reaches jupyter too
        )
        try:
            status = wait_for_status(proc, f"{base}/api/status?token={token}", log_path)
            assert {"started", "last_activity", "connections", "kernels"} <= status.keys(), status
            assert status["kernels"] == 0

            # The token is enforced: the same request without it is refused.
            with pytest.raises(urllib.error.HTTPError) as refused:
                get_json(f"{base}/api/contents")
            assert refused.value.code == 403

            # The server's root is notebooks/, not the repository root.
            root = get_json(f"{base}/api/contents?token={token}")
            assert root["type"] == "directory"
            served = {item["name"] for item in root["content"]}
            assert served == visible_entries(ROOT / "notebooks"), served
        finally:
            stop(proc)
    assert proc.returncode is not None
