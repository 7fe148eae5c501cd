"""autoencoders.course.config: the course root, its nbgrader_config.py and the kit's defaults."""

from traitlets.config import Config

from autoencoders.course import config
from tests.support import ROOT


def test_find_root_walks_up_to_the_folder_with_nbgrader_config(tmp_path):
    (tmp_path / config.CONFIG_FILE).write_text("c = get_config()\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert config.find_root(deep) == tmp_path.resolve()


def test_the_repository_config_uses_the_kit_defaults():
    """Does nbgrader_config.py take its stub, kernel arguments and timeout from course.config (written once)?"""
    cfg = config.load_config(ROOT)
    assert config.code_stub(cfg) == config.CODE_STUB
    assert config.kernel_args(cfg) == config.KERNEL_ARGS
    assert config.cell_timeout(cfg) == config.DEFAULT_TIMEOUT
    assert cfg.Execute.error_on_timeout == config.timeout_error(config.DEFAULT_TIMEOUT)
    assert config.directories(cfg) == ("solutions", "notebooks")


def test_cell_timeout_prefers_the_explicit_value_then_execute_then_the_preprocessor():
    cfg = Config()
    assert config.cell_timeout(cfg) == config.DEFAULT_TIMEOUT
    cfg.ExecutePreprocessor.timeout = 50
    assert config.cell_timeout(cfg) == 50
    cfg.Execute.timeout = 40
    assert config.cell_timeout(cfg) == 40
    assert config.cell_timeout(cfg, timeout=7) == 7


def test_timeout_error_says_how_long_the_cell_ran():
    error = config.timeout_error(12)
    assert error["ename"] == "CellTimeoutError" and "12 s" in error["evalue"] and "12 s" in error["traceback"][0]


def test_find_assignments_lists_source_folders_holding_a_notebook(tmp_path):
    (tmp_path / "solutions" / "a").mkdir(parents=True)
    (tmp_path / "solutions" / "a" / "a.ipynb").write_text("{}")
    (tmp_path / "solutions" / "empty").mkdir()
    assert list(config.find_assignments(tmp_path, Config())) == ["a"]
    assert config.find_assignments(tmp_path / "nowhere", Config()) == {}
