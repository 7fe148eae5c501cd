"""autoencoders.settings: fast mode and the one-BLAS-thread limit, read the same way everywhere."""

import pytest

from autoencoders import settings


@pytest.mark.parametrize("value", ["1", "true", "True", "YES", "on", " 1 "])
def test_fast_mode_is_on_for_every_spelling_of_yes(monkeypatch, value):
    monkeypatch.setenv("AUTOENCODERS_FAST", value)
    assert settings.fast_mode() is True


@pytest.mark.parametrize("value", ["", "0", "false", "No", "off"])
def test_fast_mode_is_off_for_every_spelling_of_no(monkeypatch, value):
    monkeypatch.setenv("AUTOENCODERS_FAST", value)
    assert settings.fast_mode() is False


def test_fast_mode_is_off_when_unset(monkeypatch):
    monkeypatch.delenv("AUTOENCODERS_FAST", raising=False)
    assert settings.fast_mode() is False


def test_fast_mode_rejects_a_value_it_cannot_read(monkeypatch):
    """Is a typo an error naming the variable and the value, rather than a silent full-size run?"""
    monkeypatch.setenv("AUTOENCODERS_FAST", "fats")
    with pytest.raises(ValueError, match=r"AUTOENCODERS_FAST.*'fats'"):
        settings.fast_mode()


def test_one_blas_thread_limits_blas_and_restores_it():
    """Does the context limit every BLAS pool to one thread, and put the old limits back on exit?"""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    before = [p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
    with settings.one_blas_thread():
        inside = [p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
    after = [p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
    assert inside and all(n == 1 for n in inside)
    assert after == before
