"""Optimisers: pure update rules, an `Optimizer` that applies one to a parameter dict, and L-BFGS via scipy.

Modules: `rules` (sgd, momentum, rmsprop, adam, adagrad; RULES by name and their DEFAULTS), `optimizer`
(`Optimizer`) and `quasi_newton` (flatten, unflatten and full-batch L-BFGS). The rules below are the very
function objects the Optimizer calls, so blocking one (`grading.forbid(ae.optim, "sgd")`) blocks it everywhere.
"""

from .optimizer import Optimizer
from .quasi_newton import flatten, lbfgs, unflatten
from .rules import DEFAULTS, RULES, adagrad, adam, momentum, rmsprop, sgd

__all__ = [
    "sgd",
    "momentum",
    "rmsprop",
    "adam",
    "adagrad",
    "RULES",
    "DEFAULTS",
    "Optimizer",
    "flatten",
    "unflatten",
    "lbfgs",
]
