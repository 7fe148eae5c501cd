"""`student`: what a test cell sees of the student's notebook: the values its code returns, as data.

    from autoencoders.grading import student
    w, state = student.sgd(w, dw, {}, lr=0.1)        # calls the student's sgd on these arguments
    call = student.sgd.call(w, dw, {}, lr=0.1)        # ... and gets the arguments back: call.args, call.kwargs
    losses = student.loss.map([(X, W) for W in Ws])   # many calls in one request (finite differences, say)
    table = student.results                           # reads a variable
    net = student.DenoisingAutoencoder(seed=0)        # an object stays in the student's kernel; its
    y = net.forward(x); W = net.W                     # methods and attributes are reached the same way
    student.define("def _square(v): return v * v")   # a known-good helper, defined in the student's kernel,
    g = student.numerical_gradient(student._square, w)  # passed to the student's code by reference

In JupyterLab and in `check` there is one kernel, and requests are answered in the same process. When the
notebook is graded, test cells run in a trusted kernel that never runs student code; `connect` points this
module at the student's kernel, and requests travel there as data (see serve.py and wire.py). Either way
arguments are copied, so the student's code cannot change the test's arrays.
"""

import ast
import time
from dataclasses import dataclass

from . import serve, wire
from .forbid import ACTIVE


class StudentCodeError(AssertionError):
    """The student's function raised; the message names the call and the error."""


class CellTimeoutError(AssertionError):
    """The student's code did not return in time (named like nbgrader's timeout error)."""


@dataclass
class Call:
    """One call made in the student's namespace: what it returned, and its arguments afterwards."""

    result: object
    args: list
    kwargs: dict


class _Local:
    """Requests answered in this process, against the notebook's own globals (or a namespace given)."""

    def __init__(self, ns=None):
        self.ns = ns

    def request(self, text):
        return serve.handle(text, self.ns)


class _Kernel:
    """Requests sent to the student's kernel over jupyter's messaging, answered by serve.handle there."""

    def __init__(self, connection_info, timeout):
        from jupyter_client import BlockingKernelClient

        self.timeout = timeout
        self.client = BlockingKernelClient()
        self.client.load_connection_info(connection_info)
        self.client.start_channels(iopub=False, stdin=False, hb=False, control=True)

    def request(self, text):
        # a user expression is eval'ed as it is: IPython's input transformers, which rewrite cells, never see it
        expression = f"__import__('autoencoders.grading.serve').grading.serve.handle({text!r})"
        msg_id = self.client.execute(
            "", silent=True, store_history=False, user_expressions={"reply": expression}, allow_stdin=False
        )
        deadline = time.monotonic() + self.timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._interrupt()
                    raise CellTimeoutError(f"the student's code ran longer than {self.timeout:g} s (an infinite loop?)")
                try:
                    reply = self.client.get_shell_msg(timeout=min(left, 1.0))
                except Exception:  # queue.Empty: keep waiting
                    continue
                if reply["parent_header"].get("msg_id") == msg_id:
                    return self._text(reply["content"])
        except KeyboardInterrupt:  # the test cell itself timed out: stop the student's code too
            self._interrupt()
            raise

    def _interrupt(self):
        self.client.control_channel.send(self.client.session.msg("interrupt_request", content={}))

    @staticmethod
    def _text(content):
        if content.get("status") != "ok":
            raise StudentCodeError(
                f"the student's kernel could not answer: {content.get('ename', 'error')}: {content.get('evalue', '')}"
            )
        expr = content.get("user_expressions", {}).get("reply", {})
        plain = expr.get("data", {}).get("text/plain", "") if expr.get("status") == "ok" else ""
        if not isinstance(plain, str) or len(plain) > wire.MAX_CHARS + 2:
            raise StudentCodeError("the student's kernel sent a reply that is not data")
        try:
            text = ast.literal_eval(plain)  # a Python string literal: parsing it runs no code
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            text = None
        if not isinstance(text, str):
            raise StudentCodeError("the student's kernel sent a reply that is not data")
        return text


_BACKEND = [_Local()]


def connect(connection_info, timeout=180):
    """Send every request from now on to the student's kernel (the trusted test kernel calls this once).

    A call that takes longer than 90% of timeout (the cell's limit) is stopped, so the test cell can say why.
    """
    _BACKEND[0] = _Kernel(connection_info, max(1.0, 0.9 * timeout))


def use_namespace(ns):
    """Answer requests against ns in this process (tests run notebook cells in a dict)."""
    _BACKEND[0] = _Local(ns)


def _request(payload):
    reply = wire.loads(_BACKEND[0].request(wire.dumps(payload)))
    if not isinstance(reply, dict):
        raise StudentCodeError("the student's kernel sent a reply that is not data")
    return reply


def _value(reply, what):
    """The data or proxy a reply stands for; errors raised as the student's code raised them."""
    if "error" in reply:
        error = reply["error"] if isinstance(reply["error"], dict) else {}
        ename, evalue = str(error.get("ename", "Error")), str(error.get("evalue", ""))
        if ename == "NotImplementedError":
            raise NotImplementedError(f"{what} is not written yet (replace `raise NotImplementedError()`)")
        if ename == "NameError":
            raise NameError(f"{what}: {evalue}")
        if ename == "AssertionError":  # a forbid block, or an assert in the student's own code
            raise AssertionError(f"{what}: {evalue}")
        raise StudentCodeError(f"{what} raised {ename}: {evalue}")
    if "value" in reply:
        return reply["value"]
    if "callable" in reply and isinstance(reply["callable"], list):
        return Remote(reply["callable"])
    if "handle" in reply:
        return Remote([f"#{int(reply['handle'])}"], str(reply.get("type", "object")))
    raise StudentCodeError(f"{what}: the student's kernel sent a reply that is not data")


class Remote:
    """A function, class or object of the student's notebook; its attributes and calls come back as data."""

    def __init__(self, target, kind="function"):
        object.__setattr__(self, "_target", list(target))
        object.__setattr__(self, "_kind", kind)

    def _name(self):
        root, *attrs = self._target
        return ".".join([self._kind if root.startswith("#") else root, *attrs])

    def __getattr__(self, name):
        if name.startswith("_") and name.endswith("_"):  # probes (_repr_html_, __wrapped__...) stay local
            raise AttributeError(name)
        what = f"{self._name()}.{name}" if self._target else name
        return _value(_request({"op": "get", "target": [*self._target, name]}), what)

    def __call__(self, *args, **kwargs):
        return self.call(*args, **kwargs).result

    def call(self, *args, **kwargs):
        """Call it; a Call with the result and the arguments as they were after the call."""
        forbids = [[module, attr, list(names)] for module, attr, names in ACTIVE]
        reply = _request(
            {
                "op": "call",
                "target": self._target,
                "args": [_as_argument(a) for a in args],
                "kwargs": {k: _as_argument(v) for k, v in kwargs.items()},
                "forbid": forbids,
                "return_args": True,
            }
        )
        result = _value(reply, f"{self._name()}(...)")
        return Call(result, reply.get("args", []), reply.get("kwargs", {}))

    def map(self, calls, **kwargs):
        """[f(*args, **kwargs) for args in calls], made in one request (results must be data)."""
        forbids = [[module, attr, list(names)] for module, attr, names in ACTIVE]
        calls = [[_as_argument(a) for a in args] for args in calls]
        kwargs = {k: _as_argument(v) for k, v in kwargs.items()}
        reply = _request({"op": "map", "target": self._target, "calls": calls, "kwargs": kwargs, "forbid": forbids})
        return _value(reply, f"{self._name()}(...)")

    def __repr__(self):
        return f"<the student's {self._name()}>"


def _as_argument(value):
    """A student-side object (a handle or a name) passed back by reference; data as it is."""
    if not isinstance(value, Remote):
        return value
    if len(value._target) != 1:
        raise TypeError(f"{value!r} cannot be passed as an argument: pass the object it belongs to, or data")
    return wire.Ref(value._target[0])


class _Student(Remote):
    """The student's namespace: `student.name` reads a variable or reaches a function."""

    def __init__(self):
        super().__init__([])

    def define(self, source):
        """Run source (a known-good helper the test wants to pass in) in the student's namespace."""
        _value(_request({"op": "define", "source": source}), "a test helper")

    def __repr__(self):
        return "<the student's notebook>"


student = _Student()
ref = wire.Ref  # student.f(ref("helper")) passes the student-side object named "helper"
