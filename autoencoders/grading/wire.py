"""Values as data between the student's kernel and the trusted test kernel: JSON with tagged numpy arrays.

Reading this format never runs code (no pickle): it yields only None, bools, numbers, strings, lists, tuples,
dicts, numpy arrays and scalars of numeric or bool dtype, numpy random generators (rebuilt from their state),
pandas DataFrames of these, and (on the student's side only) references to names in the student's namespace or
to importable functions. Size and depth are capped.
"""

import base64
import json

import numpy as np

MAX_CHARS = 64 * 1024**2  # longest message read (64 MiB of JSON)
MAX_DEPTH = 32
DTYPE_KINDS = "biufc"  # bool, int, uint, float, complex
TAGS = ("__array__", "__scalar__", "__tuple__", "__dict__", "__generator__", "__frame__", "__ref__", "__import__")
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")  # numpy's own, rebuilt by name


class WireError(ValueError):
    """A value that cannot cross between the kernels, or a message that is not one."""


class Ref:
    """A name in the student's namespace, passed as an argument (a helper the test defined there, say)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"Ref({self.name!r})"


class Import:
    """An importable object (module.attribute path), passed as an argument: the student's side imports it."""

    def __init__(self, path):
        self.path = path

    def __repr__(self):
        return f"Import({self.path!r})"


def dumps(value):
    """value as a JSON string; WireError naming what cannot cross."""
    text = json.dumps(_encode(value, 0))
    if len(text) > MAX_CHARS:
        raise WireError(f"the value is too large to pass between kernels ({len(text):,} characters)")
    return text


def loads(text, resolve=None):
    """The value that dumps wrote. resolve(tagged) turns __ref__/__import__ into objects; without it they fail."""
    if not isinstance(text, str):
        raise WireError(f"expected a JSON string, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise WireError(f"the message is too large ({len(text):,} characters)")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"not a valid message: {exc}") from None
    return _decode(data, 0, resolve)


def _encode(value, depth):
    if depth > MAX_DEPTH:
        raise WireError("the value is nested too deeply to pass between kernels")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, np.generic):
        return value
    if isinstance(value, np.generic):
        return {"__scalar__": _encode(np.asarray(value), depth + 1)}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in DTYPE_KINDS:
            raise WireError(f"an array of dtype {value.dtype} cannot be passed between kernels (numbers only)")
        data = np.ascontiguousarray(value).astype(value.dtype.newbyteorder("<"), copy=False)
        return {
            "__array__": base64.b64encode(data.tobytes()).decode("ascii"),
            "dtype": data.dtype.str,
            "shape": list(value.shape),
        }
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [_encode(v, depth + 1) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and k not in TAGS for k in value):
            return {k: _encode(v, depth + 1) for k, v in value.items()}
        return {"__dict__": [[_encode(k, depth + 1), _encode(v, depth + 1)] for k, v in value.items()]}
    if isinstance(value, np.random.Generator):  # its state is data: the student's code draws what the test's would
        return {"__generator__": _encode(value.bit_generator.state, depth + 1)}
    if type(value).__name__ == "DataFrame" and type(value).__module__.startswith("pandas"):
        frame = {"index": list(value.index), "columns": list(value.columns), "values": value.to_numpy()}
        return {"__frame__": _encode(frame, depth + 1)}
    if isinstance(value, Ref):
        return {"__ref__": value.name}
    if isinstance(value, Import):
        return {"__import__": value.path}
    raise WireError(
        f"a {type(value).__module__}.{type(value).__qualname__} cannot be passed between kernels: "
        "use numbers, strings, numpy arrays, lists, tuples and dicts"
    )


def _decode(data, depth, resolve):
    if depth > MAX_DEPTH:
        raise WireError("the message is nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [_decode(v, depth + 1, resolve) for v in data]
    if not isinstance(data, dict):
        raise WireError(f"unexpected {type(data).__name__} in a message")
    tag = next((t for t in TAGS if t in data), None)
    if tag is None:
        return {k: _decode(v, depth + 1, resolve) for k, v in data.items()}
    if tag == "__array__":
        return _array(data)
    if tag == "__scalar__":
        arr = _decode(data["__scalar__"], depth + 1, resolve)
        if not isinstance(arr, np.ndarray) or arr.ndim != 0:
            raise WireError("a scalar must hold a 0-d array")
        return arr[()]
    if tag == "__tuple__":
        return tuple(_decode(v, depth + 1, resolve) for v in _list(data["__tuple__"]))
    if tag == "__dict__":
        pairs = [_decode(p, depth + 1, resolve) for p in _list(data["__dict__"])]
        if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            raise WireError("a dict must be a list of [key, value] pairs")
        try:
            return {k: v for k, v in pairs}
        except TypeError as exc:
            raise WireError(f"a dict key cannot be used: {exc}") from None
    if tag == "__generator__":
        return _generator(_decode(data["__generator__"], depth + 1, resolve))
    if tag == "__frame__":
        return _frame(_decode(data["__frame__"], depth + 1, resolve))
    if resolve is None or not isinstance(data[tag], str):
        raise WireError(f"{tag} is not accepted here")
    return resolve(Ref(data[tag]) if tag == "__ref__" else Import(data[tag]))


def _list(value):
    if not isinstance(value, list):
        raise WireError(f"expected a list in a message, got {type(value).__name__}")
    return value


def _array(data):
    try:
        dtype = np.dtype(data["dtype"])
        shape = tuple(int(n) for n in data["shape"])
        raw = base64.b64decode(data["__array__"], validate=True)
    except (KeyError, TypeError, ValueError) as exc:
        raise WireError(f"not a valid array: {exc}") from None
    if dtype.kind not in DTYPE_KINDS or any(n < 0 for n in shape):
        raise WireError(f"not a valid array: dtype {dtype}, shape {shape}")
    if len(raw) != dtype.itemsize * int(np.prod(shape, dtype=np.int64)):
        raise WireError(f"not a valid array: {len(raw)} bytes for shape {shape} of {dtype}")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))


def _generator(state):
    name = state.get("bit_generator") if isinstance(state, dict) else None
    if name not in BIT_GENERATORS:
        raise WireError(f"not a valid random generator: bit generator {name!r}")
    bit_generator = getattr(np.random, name)()
    try:
        bit_generator.state = state
    except (TypeError, ValueError, KeyError, OverflowError) as exc:
        raise WireError(f"not a valid random generator state: {exc}") from None
    return np.random.Generator(bit_generator)


def _frame(frame):
    import pandas as pd

    try:
        values, index, columns = frame["values"], frame["index"], frame["columns"]
        if not isinstance(values, np.ndarray) or values.ndim != 2:
            raise TypeError("values must be a 2-d array")
        return pd.DataFrame(values, index=pd.Index(index), columns=pd.Index(columns))
    except (KeyError, TypeError, ValueError) as exc:
        raise WireError(f"not a valid DataFrame: {exc}") from None
