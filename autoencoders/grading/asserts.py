"""Assertions for test cells whose failures say what was expected, what came, and where."""

import numpy as np

TINY = 1e-8  # floor of the denominator in max_rel_error, as in the cs231n kit


def max_rel_error(a, b, tiny=TINY):
    """max over entries of |a - b| / max(|a| + |b|, tiny) (cs231n): the worst single entry, for failure messages.

    Unlike ae.gradcheck.rel_error (||a - b|| / ||a + b||, one number for the whole array), a small entry that
    is wrong counts fully: for a = [1, 0], b = [1, 1e-3] this is 1.0, the norm-wise error 5e-4.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"max_rel_error needs arrays of one shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(tiny, np.abs(a) + np.abs(b))))


def _as_array(actual, name):
    """actual as an ndarray, or AssertionError when it is None or not numeric."""
    if actual is None:
        raise AssertionError(f"{name} is None: did the function forget to `return` its result?")
    arr = np.asarray(actual)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise AssertionError(f"{name} should be numeric, got {type(actual).__name__} with dtype {arr.dtype}")
    return arr


def _fmt_shape(shape):
    return "(" + ", ".join("*" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def assert_shape(actual, shape, name="value"):
    """Raise AssertionError unless actual has `shape` (None in `shape` matches any size)."""
    arr = _as_array(actual, name)
    shape = tuple(shape)
    ok = arr.ndim == len(shape) and all(s is None or s == n for s, n in zip(shape, arr.shape))
    if not ok:
        raise AssertionError(f"{name} has shape {arr.shape}, expected {_fmt_shape(shape)}")


def assert_close(actual, expected, name="value", rtol=1e-7, atol=1e-9):
    """Raise AssertionError unless actual matches expected in shape, kind of dtype and value (np.isclose)."""
    arr = _as_array(actual, name)
    exp = np.asarray(expected)
    if arr.shape != exp.shape:
        raise AssertionError(f"{name} has shape {arr.shape}, expected {exp.shape}")
    if np.issubdtype(exp.dtype, np.floating) and not np.issubdtype(arr.dtype, np.inexact):
        raise AssertionError(f"{name} has dtype {arr.dtype}, expected floating point like {exp.dtype}")
    bad_value = ~np.isfinite(arr) & np.isfinite(exp)
    if bad_value.any():
        idx = _index(np.argmax(bad_value), arr.shape)
        raise AssertionError(
            f"{name} has {arr[idx].item()!r} at index {idx} where {exp[idx].item()!r} was expected "
            f"(overflow or 0/0 somewhere?)"
        )
    ok = np.isclose(arr, exp, rtol=rtol, atol=atol, equal_nan=True)
    if ok.all():
        return
    # the worst entry is the one furthest outside its tolerance
    with np.errstate(invalid="ignore"):
        excess = np.abs(arr.astype(np.float64) - exp) - (atol + rtol * np.abs(exp))
    excess = np.where(ok, -np.inf, np.nan_to_num(excess, nan=np.inf))
    idx = _index(np.argmax(excess), arr.shape)
    got, want = arr[idx].item(), exp[idx].item()
    tol = f"(max_rel_error {max_rel_error(arr, exp):.2e}, rtol={rtol:g}, atol={atol:g})"
    if arr.ndim == 0:
        raise AssertionError(f"{name} is {got!r}, expected {want!r} {tol}")
    raise AssertionError(
        f"{name} differs from the expected value in {int((~ok).sum())} of {ok.size} entries; "
        f"worst at index {idx}: got {got!r}, expected {want!r} {tol}"
    )


def _index(flat, shape):
    """Flat index -> tuple index into shape (() for a scalar)."""
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()
