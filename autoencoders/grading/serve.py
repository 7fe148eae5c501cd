"""The student's side of `student`: answer one request about the student's namespace, as data.

Runs in the student's kernel (or in the same process when there is only one kernel). Nothing here is
trusted: whatever the student's code changes in this kernel can only change the data it sends back.

A request is {"op": "get" | "call" | "map" | "define", "target": [root, attr, ...], "args": [...], "kwargs": {...},
"forbid": [[module, attr, [names]]], "return_args": bool}, with "calls": [[args...], ...] in place of "args" for
"map" (one call per argument list, one reply); the root is a name in the namespace or "#<n>", an
object kept from an earlier reply. A reply is {"value": ...} | {"callable": target} | {"handle": n, "type": name}
| {"error": {"ename", "evalue"}}, and "args"/"kwargs" after the call when asked for.
"""

import contextlib
import importlib
import sys

from . import wire
from .forbid import forbid, resolve

HANDLES = {}  # objects that are not data (a model instance, say), kept here and named "#<n>" in replies


def namespace():
    """The student's globals: IPython's user namespace in a kernel, else __main__'s."""
    try:
        shell = sys.modules["IPython"].get_ipython()
        if shell is not None:
            return shell.user_ns
    except (KeyError, AttributeError):
        pass
    return vars(sys.modules["__main__"])


def handle(request_text, ns=None):
    """The JSON reply to one JSON request."""
    ns = namespace() if ns is None else ns
    try:
        request = wire.loads(request_text, resolve=lambda tagged: _resolve(tagged, ns))
        reply = _answer(request, ns)
    except Exception as exc:  # the student's code raised, or the value cannot cross: the test reports it
        reply = {"error": {"ename": type(exc).__name__, "evalue": str(exc)[:2000]}}
    try:
        return wire.dumps(reply)
    except wire.WireError as exc:
        return wire.dumps({"error": {"ename": "WireError", "evalue": str(exc)}})


def _resolve(tagged, ns):
    if isinstance(tagged, wire.Ref):
        return _lookup([tagged.name], ns)
    module, _, attr = tagged.path.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def _lookup(target, ns):
    root, *attrs = target
    if isinstance(root, str) and root.startswith("#"):
        obj = HANDLES[int(root[1:])]
    elif root in ns:
        obj = ns[root]
    else:
        raise NameError(f"name {root!r} is not defined: the cell that sets it has not run, or is not written yet")
    for attr in attrs:
        obj = getattr(obj, attr)
    return obj


def _answer(request, ns):
    op, target = request["op"], request.get("target", [])
    if op == "define":  # code a test wants to run here (a known-good helper to pass to the student's code)
        exec(compile(request["source"], "<test helper>", "exec"), ns)
        return {"value": None}
    obj = _lookup(target, ns)
    if op == "get":
        return _as_reply(obj, target)
    if op not in ("call", "map"):
        raise ValueError(f"unknown op {op!r}")
    args, kwargs = list(request.get("args", [])), dict(request.get("kwargs", {}))
    with contextlib.ExitStack() as stack:
        for module, attr, names in request.get("forbid", []):
            if module is not None:
                stack.enter_context(forbid(resolve(module, attr), *names))
        if op == "map":
            return {"value": [_data(obj(*list(each), **kwargs)) for each in request.get("calls", [])]}
        result = obj(*args, **kwargs)
    reply = _as_reply(result, None)
    if request.get("return_args"):  # the arguments as the call left them (None for those that are not data)
        reply["args"] = [_data_or_none(a) for a in args]
        reply["kwargs"] = {k: _data_or_none(v) for k, v in kwargs.items()}
    return reply


def _data(value):
    wire.dumps(value)  # WireError, naming the type, for what is not data
    return value


def _data_or_none(value):
    try:
        wire.dumps(value)
        return value
    except wire.WireError:
        return None


def _as_reply(obj, target):
    """Data as a value; what target names, when callable, as a callable; anything else as a handle kept here."""
    try:
        wire.dumps(obj)
        return {"value": obj}
    except wire.WireError:
        pass
    if callable(obj) and target is not None:  # a function, a class or a method: called through its name
        return {"callable": list(target)}
    HANDLES[len(HANDLES)] = obj
    return {"handle": len(HANDLES) - 1, "type": type(obj).__name__}
