"""`forbid`: inside a hidden test, the package's own version of what the student writes cannot be called.

Best effort against an honest mistake (calling `ae.optim.sgd` instead of writing it): a student can always
paste the package's source into a cell. Copies made from the function's code object
(`types.FunctionType(f.__code__, ...)`) are caught too, by watching every call made inside the block.
"""

import contextlib
import importlib
import sys
import types

ACTIVE = []  # [(module name, attribute or dict path, names)] of the forbid blocks now open, outermost first


def _blocked(qualname):
    """A function, with no free variables, that raises AssertionError telling the student to write qualname."""
    namespace = {}
    message = f"write this yourself instead of calling {qualname}"
    exec(f"def blocked(*args, **kwargs):\n    raise AssertionError({message!r})\n", namespace)
    return namespace["blocked"]


def _public_name(owner, name):
    """'ae.activations.sigmoid' for autoencoders.activations.sigmoid; owner's name otherwise."""
    mod = getattr(owner, "__name__", None) or type(owner).__name__
    if mod == "autoencoders" or mod.startswith("autoencoders."):
        mod = "ae" + mod[len("autoencoders") :]
    return f"{mod}.{name}"


def _fingerprint(code):
    """Where a code object was compiled: copies of a package function's code share it, a student's own does not.

    (Bytecode alone would not do: a correct one-line answer can compile to exactly the package's bytecode.)
    """
    return code.co_filename, code.co_firstlineno, code.co_name, code.co_code


def _locate(owner):
    """(module name, attribute path) that finds owner again in another process, or (None, "") if none does.

    Modules by name; classes and functions by __module__ and __qualname__; dicts held by a loaded
    autoencoders module (ACTIVATIONS, say) by that module and attribute.
    """
    if isinstance(owner, types.ModuleType):
        return owner.__name__, ""
    module, qualname = getattr(owner, "__module__", None), getattr(owner, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str) and "<" not in qualname:
        return module, qualname
    for mod_name, mod in list(sys.modules.items()):
        if mod_name == "autoencoders" or mod_name.startswith("autoencoders."):
            for attr, value in list(vars(mod).items()):
                if value is owner:
                    return mod_name, attr
    return None, ""


def resolve(module_name, attr):
    """The owner that _locate described."""
    owner = importlib.import_module(module_name)
    for name in attr.split(".") if attr else []:
        owner = getattr(owner, name)
    return owner


@contextlib.contextmanager
def forbid(owner, *names):
    """Inside the block, owner.<name> (a module attribute or a dict key) raises AssertionError when called.

    A plain Python function has its code swapped, so every reference to it is blocked, including aliases
    made earlier (`from autoencoders.activations import sigmoid as s`) and dict entries holding the same
    function (`ACTIVATIONS["sigmoid"]`); calling a copy of its code (`types.FunctionType(f.__code__, ...)`)
    fails the block on exit. Anything else (builtins, ufuncs, classes) is
    replaced as an attribute or dict item only. The block is recorded in ACTIVE, so that a trusted test
    kernel can apply it in the student's kernel around each call it makes there.
    """
    if not names:
        raise ValueError("forbid needs at least one name, got none")
    is_mapping = isinstance(owner, dict)
    undo, watched = [], {}
    module_name, attr = _locate(owner)
    ACTIVE.append((module_name, attr, names))
    try:
        for name in names:
            target = owner[name] if is_mapping else getattr(owner, name)
            qualname = _public_name(owner, name)
            blocked = _blocked(qualname)
            if isinstance(target, types.FunctionType) and not target.__code__.co_freevars:
                saved = (target.__code__, target.__defaults__, target.__kwdefaults__)
                watched[_fingerprint(target.__code__)] = qualname
                target.__defaults__, target.__kwdefaults__ = None, None
                target.__code__ = blocked.__code__  # raises a builtin, so it runs in any module's globals
                undo.append(lambda t=target, s=saved: _restore_code(t, s))
            elif is_mapping:
                owner[name] = blocked
                undo.append(lambda n=name, t=target: owner.__setitem__(n, t))
            else:
                setattr(owner, name, blocked)
                undo.append(lambda n=name, t=target: setattr(owner, n, t))
        with _WATCH.watching(watched) as copies:
            yield
        if copies:
            raise AssertionError(f"write this yourself instead of calling a copy of {copies[0]}")
    finally:
        for restore in reversed(undo):
            restore()
        ACTIVE.pop()


def _restore_code(func, saved):
    func.__code__, func.__defaults__, func.__kwdefaults__ = saved


class _CallWatch:
    """One profile hook for every open forbid block: it notes calls of watched code objects."""

    def __init__(self):
        self.watched, self.seen, self.depth, self.previous = {}, set(), 0, None

    @contextlib.contextmanager
    def watching(self, watched):
        """Yield a list that gets the names of watched functions whose code ran in the block."""
        self.watched.update(watched)
        if self.depth == 0:
            self.previous = sys.getprofile()
            sys.setprofile(self._profile)
        self.depth += 1
        found = []
        try:
            yield found
        finally:
            self.depth -= 1
            found.extend(name for name in watched.values() if name in self.seen)
            for key in watched:
                self.seen.discard(self.watched.pop(key, None))
            if self.depth == 0:
                sys.setprofile(self.previous)

    def _profile(self, frame, event, arg):
        if event == "call":
            name = self.watched.get(_fingerprint(frame.f_code))
            if name is not None:
                self.seen.add(name)


_WATCH = _CallWatch()
