"""Code the tests share: repository paths, the nbgrader notebook helpers and the JupyterLab driver."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
