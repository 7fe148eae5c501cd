"""Wrong answers (MUTANTS) and differently written right answers (ALTERNATIVES) for toy.ipynb.

Format (read by tests/test_pipeline.py; mutants.json / mutants.yaml with keys "mutants" and
"alternatives" work the same way). Each entry is a dict:
  cell      grade_id of the solution cell to change
  find, replace   text of the reference solution (markers removed) to replace, all occurrences;
  or source       the whole new content of that cell
  why       what the mistake (or the alternative) is
  exercise  optional: grade_id (or list) of the test cell(s) that must lose points; default: the
            test cells after `cell`, up to the next solution cell
Every mutant must lose points on its exercise(s); every autograded test cell needs >= 2 such mutants.
Every alternative must get full marks on all autograded cells.
"""

MUTANTS = [
    {"cell": "sigmoid", "find": "np.tanh(z / 2)", "replace": "np.tanh(z)",
     "why": "forgot the 1/2 in sigmoid(z) = (1 + tanh(z/2)) / 2"},
    {"cell": "sigmoid", "find": "1 + np.tanh", "replace": "1 - np.tanh",
     "why": "sign error: computes sigmoid(-z)"},
    {"cell": "sigmoid",
     "source": "import math\n\n\ndef sigmoid(z):\n    return np.array([1 / (1 + math.exp(-v)) for v in z])\n",
     "why": "scalar maths in a loop: passes the public 1-D test, fails on a batch and overflows at -1000"},
    {"cell": "mse", "find": "np.mean(", "replace": "np.sum(",
     "why": "sum instead of mean"},
    {"cell": "mse", "find": "(X_hat - X) ** 2", "replace": "np.abs(X_hat - X)",
     "why": "mean absolute error instead of squared"},
    {"cell": "mse", "find": "np.mean((X_hat - X) ** 2)", "replace": "np.mean((X_hat - X) ** 2, axis=0)",
     "why": "mean over examples only: returns a (d,) vector"},
]

ALTERNATIVES = [
    {"cell": "sigmoid", "source": "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n",
     "why": "the textbook formula: right, but overflows (RuntimeWarning on stderr) at z = -1000"},
    {"cell": "sigmoid", "find": "0.5 * (1 + np.tanh(z / 2))", "replace": "np.exp(-np.logaddexp(0.0, -z))",
     "why": "log-sum-exp form"},
    {"cell": "mse", "find": "np.mean((X_hat - X) ** 2)", "replace": "np.sum((X - X_hat) ** 2) / X.size",
     "why": "sum over size, arguments swapped"},
    {"cell": "mse", "find": "np.mean((X_hat - X) ** 2)", "replace": "float(np.square(X_hat - X).mean())",
     "why": "np.square and a Python float"},
]
