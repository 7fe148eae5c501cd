"""Assertion helpers for notebook test cells: failures say what was expected and where.

Test cells import these inside the cell (`from autoencoders.grading import assert_close`),
so a student who redefines `assert_close` in their own cell cannot make a wrong answer pass.
"""
import contextlib
import types

import numpy as np

TINY = 1e-8  # floor of the denominator in rel_error, as in the cs231n kit


def rel_error(a, b, tiny=TINY):
    """max |a - b| / max(|a| + |b|, tiny), elementwise (cs231n): ~1e-7 or less when two float64 results agree."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error needs arrays of one shape, got {a.shape} and {b.shape}")
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
        raise AssertionError(f"{name} has {arr[idx].item()!r} at index {idx} where {exp[idx].item()!r} was expected "
                             f"(overflow or 0/0 somewhere?)")
    ok = np.isclose(arr, exp, rtol=rtol, atol=atol, equal_nan=True)
    if ok.all():
        return
    # the worst entry is the one furthest outside its tolerance
    with np.errstate(invalid="ignore"):
        excess = np.abs(arr.astype(np.float64) - exp) - (atol + rtol * np.abs(exp))
    excess = np.where(ok, -np.inf, np.nan_to_num(excess, nan=np.inf))
    idx = _index(np.argmax(excess), arr.shape)
    got, want = arr[idx].item(), exp[idx].item()
    tol = f"(rel_error {rel_error(arr, exp):.2e}, rtol={rtol:g}, atol={atol:g})"
    if arr.ndim == 0:
        raise AssertionError(f"{name} is {got!r}, expected {want!r} {tol}")
    raise AssertionError(f"{name} differs from the expected value in {int((~ok).sum())} of {ok.size} entries; "
                         f"worst at index {idx}: got {got!r}, expected {want!r} {tol}")


def _index(flat, shape):
    """Flat index -> tuple index into shape (() for a scalar)."""
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def _blocked(qualname):
    """A function that raises AssertionError telling the student to write qualname themselves."""
    msg = f"write this yourself instead of calling {qualname}"
    namespace = {}
    exec(f"def blocked(*args, **kwargs):\n    raise AssertionError({msg!r})\n", namespace)
    return namespace["blocked"]


def _public_name(owner, name):
    """'ae.activations.sigmoid' for autoencoders.activations.sigmoid; owner's name otherwise."""
    mod = getattr(owner, "__name__", None) or type(owner).__name__
    if mod == "autoencoders" or mod.startswith("autoencoders."):
        mod = "ae" + mod[len("autoencoders"):]
    return f"{mod}.{name}"


@contextlib.contextmanager
def forbid(owner, *names):
    """Inside the block, owner.<name> (a module attribute or a dict key) raises AssertionError when called.

    A plain Python function has its code swapped, so every reference to it is blocked, including
    aliases a student made earlier (`from autoencoders.activations import sigmoid as s`) and
    dict entries holding the same function (`ACTIVATIONS["sigmoid"]`). Anything else (builtins,
    ufuncs, classes, closures) is replaced as an attribute or dict item only.
    """
    if not names:
        raise ValueError("forbid needs at least one name, got none")
    is_mapping = isinstance(owner, dict)
    undo = []
    try:
        for name in names:
            target = owner[name] if is_mapping else getattr(owner, name)
            blocked = _blocked(_public_name(owner, name))
            if isinstance(target, types.FunctionType) and not target.__code__.co_freevars:
                saved = (target.__code__, target.__defaults__, target.__kwdefaults__)
                target.__defaults__, target.__kwdefaults__ = None, None
                target.__code__ = blocked.__code__
                undo.append(lambda t=target, s=saved: _restore_code(t, s))
            elif is_mapping:
                owner[name] = blocked
                undo.append(lambda n=name, t=target: owner.__setitem__(n, t))
            else:
                setattr(owner, name, blocked)
                undo.append(lambda n=name, t=target: setattr(owner, n, t))
        yield
    finally:
        for restore in reversed(undo):
            restore()


def _restore_code(func, saved):
    func.__code__, func.__defaults__, func.__kwdefaults__ = saved
