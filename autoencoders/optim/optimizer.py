"""`Optimizer`: one update rule applied to every array of a parameter dict, with one state per array.

    opt = Optimizer("adam", lr=1e-3)              # a package rule; other hyperparameters from DEFAULTS["adam"]
    opt = Optimizer(rule=my_rule, lr=0.1, mu=0.9)  # your own my_rule(w, dw, state, **hyper) -> (w, state)
    opt.step(params, grads)                        # params[key] <- rule(params[key], grads[key], state[key])

`training.train` builds one from a name or takes one ready-made.
"""

import inspect

from .._checks import check_choice, check_positive
from .rules import DEFAULTS, RULES


class Optimizer:
    """Applies one update rule to every entry of a parameter dict, keeping one state per entry.

    Optimizer(name="sgd", **hyper): the package rule RULES[name]; hyperparameters not given come from
    DEFAULTS[name], and any other keyword is refused.
    Optimizer(rule=my_rule, **hyper): your own rule, called as my_rule(w, dw, state, **hyper) -> (w, state)
    with exactly the hyperparameters you pass (lr is required); `name` is then only a label, by default
    my_rule.__name__. Passing one of the package's own rules as `rule` is the same as passing its name.

    Attributes: name (str), rule (the function), hyper (dict of hyperparameters), state ({key: dict}).
    """

    def __init__(self, name=None, rule=None, **hyper):
        if callable(name):
            raise ValueError(
                f"name must be the name of a package rule {sorted(RULES)} or a label; "
                f"pass your own function as rule=..., got name={name!r}"
            )
        if rule is not None:
            if not callable(rule):
                raise ValueError(f"rule must be a function rule(w, dw, state, **hyper) -> (w, state), got {rule!r}")
            package_name = next((key for key, f in RULES.items() if f is rule), None)
            if package_name is None:
                self._init_custom(name, rule, hyper)
                return
            if name is not None and name != package_name:
                raise ValueError(f"name={name!r} and rule={package_name} disagree: pass only one of them")
            name = package_name
        self._init_named("sgd" if name is None else name, hyper)

    def _init_named(self, name, hyper):
        """A rule from RULES with its DEFAULTS filled in."""
        rule = check_choice("optimizer", name, RULES)
        unknown = set(hyper) - set(DEFAULTS[name])
        if unknown:
            raise ValueError(f"optimizer {name!r} takes {sorted(DEFAULTS[name])}, got unknown {sorted(unknown)}")
        self.name, self.rule, self.hyper, self.state = name, rule, {**DEFAULTS[name], **hyper}, {}
        check_positive("lr", self.hyper["lr"])

    def _init_custom(self, name, rule, hyper):
        """A caller's rule with exactly the caller's hyperparameters."""
        if name is None:
            name = getattr(rule, "__name__", type(rule).__name__)
        elif not isinstance(name, str) or not name:
            raise ValueError(f"name must be a non-empty string labelling the rule, got name={name!r}")
        if "lr" not in hyper:
            raise ValueError(
                f"lr is required with rule={name}: Optimizer(rule={name}, lr=0.01, ...), "
                f"got hyperparameters {sorted(hyper)}"
            )
        check_positive("lr", hyper["lr"])
        _check_call(rule, name, hyper)
        self.name, self.rule, self.hyper, self.state = name, rule, dict(hyper), {}

    def step(self, params, grads):
        """Update params in place (new arrays per entry) from grads."""
        for key, dw in grads.items():
            params[key], self.state[key] = self.rule(params[key], dw, self.state.get(key, {}), **self.hyper)

    def __repr__(self):
        hyper = ", ".join(f"{k}={v!r}" for k, v in self.hyper.items())
        return f"Optimizer({self.name!r}, {hyper})"


def _check_call(rule, name, hyper):
    """Raise ValueError now, not at the first step, if rule(w, dw, state, **hyper) cannot be called."""
    try:
        signature = inspect.signature(rule)
    except (TypeError, ValueError):  # no signature (some builtins): any mistake shows at the first step
        return
    try:
        signature.bind(None, None, None, **hyper)  # w, dw, state by position, hyperparameters by keyword
    except TypeError as exc:
        given = ", ".join(f"{k}={v!r}" for k, v in hyper.items())
        hint = f"; the package's {name} uses {DEFAULTS[name]}" if name in DEFAULTS else ""
        raise ValueError(
            f"rule {name}{signature} cannot be called as {name}(w, dw, state, {given}): {exc}{hint}"
        ) from None
