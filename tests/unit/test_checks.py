"""autoencoders._checks: the argument checks every module shares."""

import pytest

from autoencoders._checks import check_int, n_batches


@pytest.mark.parametrize("value", [1, 5, 10])
def test_check_int_returns_an_int_in_range(value):
    assert check_int("k", value, 1, 10) == value


@pytest.mark.parametrize(
    ("value", "bounds", "message"),
    [
        (0, (1, None), r"k must be an integer >= 1, got 0"),
        (11, (1, 10), r"k must be an integer in \[1, 10\], got 11"),
        (2.0, (1, None), r"got 2.0"),
        (True, (None, None), r"k must be an integer, got True"),
        ("3", (None, 5), r"k must be an integer <= 5, got '3'"),
    ],
)
def test_check_int_names_the_argument_the_bounds_and_the_value(value, bounds, message):
    with pytest.raises(ValueError, match=message):
        check_int("k", value, *bounds)


@pytest.mark.parametrize(("n", "batch_size", "expected"), [(10, 3, 4), (9, 3, 3), (1, 128, 1), (128, 128, 1)])
def test_n_batches_is_the_ceiling_of_n_over_batch_size(n, batch_size, expected):
    assert n_batches(n, batch_size) == expected
