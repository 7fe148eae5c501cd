"""Parametrize the NotebookTests of each module from its notebook: its answers, mutants and alternatives."""


def pytest_generate_tests(metafunc):
    nb = getattr(metafunc.cls, "NB", None)
    if nb is None:
        return
    if "answer" in metafunc.fixturenames:
        metafunc.parametrize("answer", nb.answers)
    if "mutant" in metafunc.fixturenames:
        metafunc.parametrize("mutant", nb.params(nb.all_mutants, with_targets=True))
    if "alternative" in metafunc.fixturenames:
        metafunc.parametrize("alternative", nb.params(nb.all_alternatives, with_targets=False))
