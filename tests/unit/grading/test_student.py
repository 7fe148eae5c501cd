"""autoencoders.grading.student, answered in-process (one kernel): the same data a graded test cell gets."""

import types

import numpy as np
import pytest

import autoencoders as ae
from autoencoders.grading import StudentCodeError, forbid, ref, student, use_namespace, wire
from autoencoders.grading.serve import handle

NOTEBOOK = """
import numpy as np
import autoencoders as ae

def sgd(w, dw, state, lr):
    w -= lr * dw                  # modifies its input in place
    return w, state

def delegates(w, dw, state, lr):
    return ae.optim.sgd(w, dw, state, lr)

copied = types.FunctionType(ae.optim.sgd.__code__, {"np": np})

def calls_a_copy(w, dw, state, lr):
    return copied(w, dw, state, lr)

def todo(x):
    raise NotImplementedError()

def broken(x):
    return x / "two"

def opens_a_file():
    return open

class Net:
    def __init__(self, k):
        self.W = np.ones((2, k))
    def forward(self, x):
        return x @ self.W

results = {"relu": (0.5, np.arange(3)), 25: "size"}
"""


@pytest.fixture
def ns():
    namespace = {"types": types}
    exec(NOTEBOOK, namespace)
    use_namespace(namespace)
    yield namespace
    use_namespace(None)


def test_a_call_returns_data_and_leaves_the_tests_arrays_alone(ns):
    """Does student.sgd return the result, and .call the arguments as the function left them?"""
    w, dw = np.array([1.0, 2.0]), np.array([1.0, 1.0])
    call = student.sgd.call(w, dw, {}, lr=0.5)
    assert np.array_equal(call.result[0], [0.5, 1.5]) and call.result[1] == {}
    assert np.array_equal(call.args[0], [0.5, 1.5])  # the student's code changed its copy in place ...
    assert np.array_equal(w, [1.0, 2.0])  # ... never the test's array
    assert call.kwargs == {"lr": 0.5}


def test_variables_are_read_as_data(ns):
    table = student.results
    assert table["relu"][0] == 0.5 and np.array_equal(table["relu"][1], np.arange(3)) and table[25] == "size"


def test_objects_stay_in_the_students_namespace_and_their_methods_answer(ns):
    net = student.Net(3)
    assert "Net" in repr(net)
    assert net.W.shape == (2, 3) and np.array_equal(net.forward(np.ones((1, 2))), [[2.0, 2.0, 2.0]])


def test_errors_say_what_happened_in_the_students_code(ns):
    with pytest.raises(NotImplementedError, match="todo.*not written yet"):
        student.todo(1)
    with pytest.raises(NameError, match="missing.*not defined"):
        _ = student.missing
    with pytest.raises(StudentCodeError, match=r"broken\(...\) raised TypeError"):
        student.broken(1.0)
    with pytest.raises(wire.WireError, match="cannot be passed"):
        student.todo(object())  # an argument that is not data never leaves the test
    assert "function" in repr(student.opens_a_file())  # a returned function stays there, as a handle


def test_a_forbid_block_reaches_the_students_calls_and_their_copies(ns):
    w, dw = np.ones(2), np.ones(2)
    for name in ("delegates", "calls_a_copy"):
        with pytest.raises(AssertionError, match="write this yourself"):
            with forbid(ae.optim, "sgd"):
                getattr(student, name)(w, dw, {}, lr=0.1)


def test_a_test_can_define_a_helper_there_and_pass_it_by_reference(ns):
    student.define("def double(x):\n    return 2 * x\n")
    assert ns["double"](2) == 4
    ns["apply"] = lambda f, x: f(x)
    assert student.apply(ref("double"), 3) == 6
    assert student.apply(student.double, 4) == 8  # what student.name reaches can be passed back too
    student.define("def times(a):\n    return lambda x: a * x\n")
    assert student.apply(student.times(5), 2) == 10  # ... and so can an object kept there (a closure)
    with pytest.raises(TypeError, match="cannot be passed as an argument"):
        student.apply(student.Net(2).forward, 1)


def test_map_makes_many_calls_in_one_request(ns):
    """Does .map return every result, in order, under the active forbid blocks, and refuse results that are not data?"""
    ns["add"] = lambda a, b, scale=1.0: scale * (a + b)
    assert student.add.map([(1, 2), (np.ones(2), 1.0)], scale=2.0)[1].tolist() == [4.0, 4.0]
    assert student.add.map([(1, 2), (3, 4)]) == [3.0, 7.0]
    assert student.add.map([]) == []
    with pytest.raises(AssertionError, match="write this yourself"):
        with forbid(ae.optim, "sgd"):
            student.delegates.map([(np.ones(2), np.ones(2), {}, 0.1)])
    with pytest.raises(StudentCodeError, match="WireError"):
        student.opens_a_file.map([()])


def test_random_generators_and_their_state_come_back(ns):
    ns["draw"] = lambda rng: rng.normal()
    rng = np.random.default_rng(0)
    call = student.draw.call(rng)
    assert call.result == np.random.default_rng(0).normal()
    assert call.args[0].normal() == rng.normal(size=2)[1]  # the student's generator moved on; the test's did not


def test_malformed_requests_get_an_error_reply_not_an_exception(ns):
    """Does serve.handle answer garbage with an error message (it runs in the student's kernel)?"""
    for text in ("not json", '{"op": "nope", "target": ["sgd"]}', '{"op": "get", "target": ["#999999999"]}'):
        assert '"error"' in handle(text, ns)
