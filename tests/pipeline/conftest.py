"""The pipeline tests' shared fixture: one release of every source, for the whole session."""

import pytest

from autoencoders import course
from tests.pipeline.submissions import RELEASED, ROOT, SOURCES


@pytest.fixture(scope="session")
def released(tmp_path_factory):
    """Every source released with the real nbgrader into a temporary notebooks/ folder."""
    folder = tmp_path_factory.mktemp("release") / "notebooks"
    course.release(list(SOURCES), root=ROOT, dest=folder, sources=SOURCES)
    RELEASED["folder"] = folder
    return folder
