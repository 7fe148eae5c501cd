"""Fixtures for the browser tests: one JupyterLab server and one Chromium per module; pages per test.

Skipped with an install hint when chromium or playwright is missing, except under CI=true, where
a missing browser is a failure.
"""

import os

import pytest

from tests.support import NOTEBOOKS, labdriver

EXPLORE = NOTEBOOKS / "explore"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server whose root is a throwaway copy of notebooks/explore."""
    why = labdriver.missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the browser test cannot run: {why}")
        pytest.skip(why)
    if not any(EXPLORE.glob("*.ipynb")):
        pytest.fail(f"no notebooks in {EXPLORE}: run `make release` first")
    work = tmp_path_factory.mktemp("lab")
    root = labdriver.copy_notebooks(EXPLORE, work / "notebooks")
    with labdriver.jupyter_lab(root, work) as server:
        yield server


@pytest.fixture(scope="module")
def browser(lab):
    with labdriver.chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser, lab, tmp_path):
    """A fresh browser page; its kernels are shut down afterwards so notebooks do not compete for CPU.

    The page's last state is saved as tmp_path/last-page.png, which helps when a test fails.
    """
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        try:
            new_page.screenshot(path=tmp_path / "last-page.png", full_page=True)
        except Exception as exc:  # a screenshot must never hide the test's own failure
            print(f"no last-page screenshot: {exc}")
        context.close()
        lab.shutdown_kernels()
