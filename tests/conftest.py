"""Shared pytest setup: headless plotting and fast settings for every test."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot: no windows, no display needed
os.environ["AUTOENCODERS_FAST"] = "1"  # package code may shrink data/epochs when set
# explorers keep computed results on disk: not in tests (each test computes what it checks), except in
# the test of that cache, which switches it on with a cache folder of its own
os.environ["AUTOENCODERS_EXPLORER_CACHE"] = "off"

# Parallel runs (make test: pytest -n, --dist loadfile): each test file runs whole on one worker, since its cached
# notebook runs are shared and nbval's cells must run in order in one kernel. The pipeline files go first, the
# grading batch's the very first: they are the longest and should start at once. Kernels of different workers
# write their connection files to different runtime folders.
PIPELINE = Path(__file__).resolve().parent / "pipeline"
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["JUPYTER_RUNTIME_DIR"] = tempfile.mkdtemp(prefix=f"runtime-{os.environ['PYTEST_XDIST_WORKER']}-")
    atexit.register(shutil.rmtree, os.environ["JUPYTER_RUNTIME_DIR"], True)


def pytest_collection_modifyitems(items):
    def rank(item):
        path = Path(item.path)
        return 0 if path == PIPELINE / "test_pipeline.py" else 1 if PIPELINE in path.parents else 2

    items.sort(key=rank)  # stable: the order within each file stays
