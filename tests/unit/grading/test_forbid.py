"""autoencoders.grading.forbid: the package's version of an exercise is switched off inside a hidden test."""

import types

import numpy as np
import pytest
import scipy.special

import autoencoders as ae
import autoencoders.activations as act
from autoencoders import grading
from autoencoders.grading import assert_close, forbid


def test_forbid_blocks_every_reference_to_a_package_function_and_restores_it():
    """Inside forbid, do the attribute, an earlier alias and the ACTIVATIONS entry all raise?"""
    alias = act.sigmoid
    z = np.array([-1.0, 0.0, 2.0])
    with forbid(act, "sigmoid"):
        for call in (act.sigmoid, alias, act.ACTIVATIONS["sigmoid"]):
            with pytest.raises(
                AssertionError, match=r"write this yourself instead of calling ae\.activations\.sigmoid"
            ):
                call(z)
        assert_close(act.tanh(z), np.tanh(z), "tanh is untouched")
    assert_close(alias(z), scipy.special.expit(z), "restored sigmoid")
    assert act.ACTIVATIONS["sigmoid"] is alias


def test_forbid_restores_after_an_error_and_handles_dicts_and_builtins():
    table = {"f": len}
    with pytest.raises(RuntimeError):
        with forbid(table, "f"), forbid(np, "tanh"):
            with pytest.raises(AssertionError, match="write this yourself"):
                table["f"]([1])
            with pytest.raises(AssertionError, match=r"numpy\.tanh"):
                np.tanh(0.0)
            raise RuntimeError("the test body failed")
    assert table["f"] is len and np.tanh(0.0) == 0.0


def test_forbid_keeps_default_arguments_after_restoring():
    def f(x, scale=2.0, *, shift=1.0):
        return scale * x + shift

    holder = type("Holder", (), {})()
    holder.f = f
    with forbid(holder, "f"):
        with pytest.raises(AssertionError):
            f(1.0)
    assert f(1.0) == 3.0 and f(1.0, 3.0, shift=0.0) == 3.0


def test_forbid_needs_a_name():
    with pytest.raises(ValueError, match="at least one name"):
        with forbid(act):
            pass


def test_helpers_imported_fresh_are_the_real_ones():
    """A test cell's `from autoencoders.grading import assert_close` gets the module's function."""
    from autoencoders.grading import assert_close as fresh

    assert fresh is grading.assert_close
    with pytest.raises(AssertionError):
        fresh(np.ones(2), np.zeros(2), "wrong answer")


def test_forbid_catches_a_copy_made_from_the_functions_code_before_the_block():
    """Does calling types.FunctionType(ae.optim.sgd.__code__, ...) inside the block fail it?"""
    copy = types.FunctionType(ae.optim.sgd.__code__, {"np": np})
    w, dw = np.ones(2), np.ones(2)
    with pytest.raises(AssertionError, match="a copy of ae.optim.sgd"):
        with forbid(ae.optim, "sgd"):
            copy(w, dw, {}, lr=0.1)
    assert ae.optim.sgd(w, dw, {}, lr=0.1)[0] == pytest.approx(0.9 * w)  # restored


def test_forbid_does_not_flag_an_honest_answer_with_the_same_bytecode():
    """Is a student's own one-line sgd (same bytecode as the package's) left alone?"""
    ns = {}
    exec("def sgd(w, dw, state, lr):\n    return w - lr * dw, state\n", ns)
    assert ns["sgd"].__code__.co_code == ae.optim.sgd.__code__.co_code
    with forbid(ae.optim, "sgd"):
        w, _ = ns["sgd"](np.ones(2), np.ones(2), {}, lr=0.5)
    assert w == pytest.approx([0.5, 0.5])


def test_forbid_records_its_blocks_for_the_trusted_kernel_and_nests():
    """Does each open block appear in ACTIVE (module, attribute, names), innermost last, and leave on exit?"""
    from autoencoders.grading.forbid import ACTIVE

    with forbid(ae.optim, "sgd"):
        with forbid(act.ACTIVATIONS, "sigmoid"):
            assert ACTIVE == [
                ("autoencoders.optim", "", ("sgd",)),
                ("autoencoders.activations", "ACTIVATIONS", ("sigmoid",)),
            ]
        assert len(ACTIVE) == 1
    assert ACTIVE == []
