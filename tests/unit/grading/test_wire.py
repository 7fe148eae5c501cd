"""autoencoders.grading.wire: values cross between kernels as data, and reading a message never runs code."""

import json

import numpy as np
import pytest

from autoencoders.grading import wire


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        -2.5,
        float("inf"),
        "text",
        [1, [2, 3]],
        (1, (2.0, "x")),
        {"a": 1, "b": [None]},
        {3: "int key", (1, 2): "tuple key"},
        {"__array__": "a key that looks like a tag"},
    ],
)
def test_plain_values_come_back_equal_and_of_the_same_type(value):
    back = wire.loads(wire.dumps(value))
    assert back == value and type(back) is type(value)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.uint8, bool, np.complex128])
def test_arrays_keep_dtype_shape_and_values_and_are_writable(dtype):
    arr = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
    back = wire.loads(wire.dumps({"x": arr, "t": arr[:, 1].T}))
    assert back["x"].dtype == arr.dtype and back["x"].shape == (3, 4) and np.array_equal(back["x"], arr)
    assert np.array_equal(back["t"], arr[:, 1])
    back["x"][0, 0] = 1  # a copy the test may modify


def test_numpy_scalars_stay_numpy_scalars():
    back = wire.loads(wire.dumps([np.float32(1.5), np.int64(7), np.True_]))
    assert [type(v) for v in back] == [np.float32, np.int64, np.bool_] and back == [1.5, 7, True]


def test_random_generators_cross_with_their_state():
    rng = np.random.default_rng(3)
    rng.normal(size=5)
    back = wire.loads(wire.dumps((rng, np.random.Generator(np.random.MT19937(1)))))
    assert back[0] is not rng and np.array_equal(back[0].normal(size=4), rng.normal(size=4))
    assert np.array_equal(back[1].integers(0, 100, 5), np.random.Generator(np.random.MT19937(1)).integers(0, 100, 5))


def test_dataframes_keep_index_columns_and_values():
    pd = pytest.importorskip("pandas")
    table = pd.DataFrame([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], index=["relu", "tanh"], columns=[25, 50, 100])
    back = wire.loads(wire.dumps({"t": table}))["t"]
    assert isinstance(back, pd.DataFrame)
    assert list(back.index) == ["relu", "tanh"] and list(back.columns) == [25, 50, 100]
    assert back.loc["tanh", 50] == 5.0


@pytest.mark.parametrize("value", [object(), np.array(["a"], dtype=object), lambda x: x, {1, 2}])
def test_what_is_not_data_cannot_cross(value):
    with pytest.raises(wire.WireError, match="cannot be passed"):
        wire.dumps(value)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        json.dumps({"__array__": "!!", "dtype": "<f8", "shape": [1]}),
        json.dumps({"__array__": "AAAA", "dtype": "|O", "shape": [1]}),
        json.dumps({"__array__": "AAAAAAAAAAA=", "dtype": "<f8", "shape": [3]}),
        json.dumps({"__scalar__": [1]}),
        json.dumps({"__dict__": [[1]]}),
        json.dumps({"__dict__": [[[1], 2]]}),
        json.dumps({"__generator__": {"bit_generator": "os.system", "state": {}}}),
        json.dumps({"__generator__": {"bit_generator": "PCG64", "state": {"state": "x", "inc": 1}}}),
        json.dumps({"__frame__": {"index": [0], "columns": [0]}}),
        json.dumps({"__frame__": {"index": [0], "columns": [0, 1], "values": [[1, 2]]}}),
        json.dumps({"__ref__": "secret"}),
        json.dumps({"__import__": "os.system"}),
        "[" * 100 + "]" * 100,
    ],
)
def test_malformed_or_unsafe_messages_are_refused(text):
    """Are bad arrays, object dtypes, references and imports (without a resolver) and deep nesting refused?"""
    with pytest.raises(wire.WireError):
        wire.loads(text)


def test_oversized_messages_are_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(wire, "MAX_CHARS", 100)
    with pytest.raises(wire.WireError, match="too large"):
        wire.loads("[" + "1," * 100 + "1]")
    with pytest.raises(wire.WireError, match="too large"):
        wire.dumps(list(range(100)))


def test_references_and_imports_are_resolved_only_by_the_side_that_asks():
    text = wire.dumps([wire.Ref("helper"), wire.Import("numpy.tanh")])
    seen = wire.loads(text, resolve=lambda tagged: tagged)
    assert isinstance(seen[0], wire.Ref) and seen[0].name == "helper" and seen[1].path == "numpy.tanh"
