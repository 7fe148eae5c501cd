"""The assertion helpers of autoencoders.grading: they pass right answers and explain wrong ones."""

import numpy as np
import pytest
import scipy.special

import autoencoders as ae
from autoencoders.grading import assert_close, assert_shape, max_rel_error


def test_max_rel_error_matches_the_cs231n_formula_by_hand():
    """Is max_rel_error the max over entries of |a - b| / max(|a| + |b|, 1e-8)?"""
    a, b = np.array([1.0, -2.0, 0.0]), np.array([1.1, -2.0, 0.0])
    assert max_rel_error(a, b) == pytest.approx(0.1 / 2.1, rel=1e-12)
    assert max_rel_error([1e-10], [0.0]) == pytest.approx(1e-10 / 1e-8)
    assert max_rel_error(np.ones((2, 3)), np.ones((2, 3))) == 0.0


def test_max_rel_error_counts_a_small_wrong_entry_fully_unlike_the_norm_wise_one():
    """Do the two relative errors differ as documented: worst entry (grading) against whole array (gradcheck)?"""
    a, b = np.array([1.0, 0.0]), np.array([1.0, 1e-3])
    assert max_rel_error(a, b) == pytest.approx(1.0)
    assert ae.gradcheck.rel_error(a, b) == pytest.approx(1e-3 / np.linalg.norm([2.0, 1e-3]))


def test_max_rel_error_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"\(3,\) and \(3, 1\)"):
        max_rel_error(np.zeros(3), np.zeros((3, 1)))


def test_assert_close_passes_equal_values_within_tolerance():
    z = np.linspace(-5, 5, 11)
    assert_close(1 / (1 + np.exp(-z)), scipy.special.expit(z), "sigmoid(z)")
    assert_close(1.0 + 1e-12, 1.0, "x")
    assert_close(np.float32(0.5), 0.5, "x", rtol=1e-6)


def test_assert_close_names_the_worst_entry():
    """Does a wrong value report how many entries differ and the worst index, got and expected?"""
    expected = np.zeros((2, 3))
    actual = expected.copy()
    actual[0, 1], actual[1, 2] = 1e-3, 0.5
    with pytest.raises(AssertionError) as info:
        assert_close(actual, expected, "X_hat")
    msg = str(info.value)
    assert "X_hat" in msg and "2 of 6 entries" in msg and "(1, 2)" in msg and "got 0.5" in msg and "expected 0.0" in msg


@pytest.mark.parametrize(
    "actual, expected, words",
    [
        (np.zeros(3), np.zeros((3, 1)), ["shape (3,)", "expected (3, 1)"]),
        (np.array([1, 2]), np.array([1.0, 2.0]), ["dtype int64", "floating point"]),
        (None, np.zeros(2), ["None", "return"]),
        ("text", 1.0, ["numeric"]),
        (np.array([np.nan, 1.0]), np.array([0.5, 1.0]), ["nan", "index (0,)"]),
    ],
)
def test_assert_close_explains_each_kind_of_mistake(actual, expected, words):
    with pytest.raises(AssertionError) as info:
        assert_close(actual, expected, "out")
    for word in words:
        assert word in str(info.value)


def test_assert_shape_accepts_wildcards_and_reports_mismatches():
    assert_shape(np.zeros((4, 3)), (None, 3), "H")
    with pytest.raises(AssertionError, match=r"H has shape \(4, 3\), expected \(\*, 2\)"):
        assert_shape(np.zeros((4, 3)), (None, 2), "H")
    with pytest.raises(AssertionError, match=r"expected \(4,\)"):
        assert_shape(np.zeros((4, 1)), (4,), "b1")
