"""The house: stage folders in the order of the pipeline, each importing only the stages below it.

Read from the source with ``ast`` (every import counts: module level, inside functions, under ``TYPE_CHECKING``):
no import circle, no import of a stage above or beside (``LAYERS``), no name imported from a module that does
not define it (no re-export facades), no private helper imported across modules, few modules at the top, and
modules and functions of a size a reader takes in.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "toolkit"

# Stage -> layer (design.md section 2). A module may import its own stage and lower layers only: two stages on
# one layer do not import each other. The front doors (night, excel, cli) and the top call ``toolkit.api``.
LAYERS = {
    "core": 0,
    "workbook": 1,
    "rules": 2,
    "report": 3,
    "planparse": 3,
    "memory": 4,
    "mail": 5,
    "api": 6,
    "night": 7,
    "excel": 7,
    "create": 8,
    "demo": 9,
    "cli": 10,
    "button": 10,
    "__main__": 11,
}
MAX_TOP_MODULES = 10
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


@cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _imports(name: str) -> list[tuple[int, str, list[str]]]:
    """(line, imported module, names taken from it) for every import in module ``name``, relative ones resolved."""
    path = modules()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str, list[str]]] = []
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.append((node.lineno, base, [a.name for a in node.names]))
    return found


def _target(module: str) -> str | None:
    """The toolkit module an import lands in (its deepest existing prefix); None outside the toolkit."""
    while module and module not in modules():
        module = module.rpartition(".")[0]
    return module or None


@cache
def edges() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {m: set() for m in modules()}
    for m in modules():
        for _, base, names in _imports(m):
            for t in {_target(f"{base}.{n}") for n in names} | {_target(base)}:
                if t and t != m and not m.startswith(t + "."):  # a module's own package is not an edge
                    out[m].add(t)
    return out


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_no_import_circle() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges()[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in modules():
        if v not in index:
            visit(v)
    assert circles == []


def test_every_stage_has_a_layer() -> None:
    assert {_stage(m) for m in modules()} - {"__init__"} == set(LAYERS)


def test_each_stage_imports_only_the_stages_below_it() -> None:
    wrong = [f"{m} -> {t}" for m, targets in edges().items() for t in targets
             if _stage(t) not in ("__init__", _stage(m))
             and (_stage(m) == "__init__" or LAYERS[_stage(t)] >= LAYERS[_stage(m)])]
    assert wrong == []


def _defined(module: str) -> set[str]:
    """The names a module defines at its top level (functions, classes, assignments, also under if/try)."""
    names: set[str] = set()
    for node in ast.walk(tree(modules()[module])):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


@pytest.mark.parametrize("folder", ["toolkit", "tests", "bench", "workbooks", "templates"])
def test_names_are_imported_from_the_module_that_defines_them(folder: str) -> None:
    """No re-export facade: ``from toolkit.x import y`` only where ``x`` defines ``y`` (or ``y`` is a module)."""
    wrong = []
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(tree(path)):
            if not (isinstance(node, ast.ImportFrom) and not node.level and node.module in modules()):
                continue
            for alias in node.names:
                if f"{node.module}.{alias.name}" in modules() or alias.name == "__version__":
                    continue
                if alias.name not in _defined(node.module):
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.module}.{alias.name}")
    assert wrong == []


def test_no_private_helper_is_imported_across_modules() -> None:
    wrong = [f"{m}:{line}: {base}.{n}" for m in modules() for line, base, names in _imports(m)
             for n in names if n.startswith("_") and not n.startswith("__") and _target(base)]
    assert wrong == []


def test_the_button_name_is_a_two_line_shim() -> None:
    code = [line for line in modules()["toolkit.button"].read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith(('"""', "``")) and "import" in line]
    assert code == ["from toolkit.excel.button import main as main"]


def test_few_modules_sit_at_the_top() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top


def test_modules_and_functions_are_of_a_readable_size() -> None:
    """Everything the wheel ships: the library and the scripts installed with the templates and the example."""
    shipped = [*modules().values(), *(ROOT / "templates").glob("*.py"), *(ROOT / "workbooks").glob("*.py")]
    long_modules = [f"{p.relative_to(ROOT)}: {n}" for p in shipped
                    if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    long_functions = [f"{p.relative_to(ROOT)}:{node.lineno} {node.name}: {node.end_lineno - node.lineno + 1}"
                      for p in shipped for node in ast.walk(tree(p))
                      if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                      and node.end_lineno is not None and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long_modules == [] and long_functions == []


def _calls(dotted: str) -> list[str]:
    """Modules that call ``dotted`` (``gc.freeze``, ``os._exit``, ``eval``)."""
    head, _, name = dotted.rpartition(".")
    found = set()
    for m, path in modules().items():
        for node in ast.walk(tree(path)):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if (head and isinstance(f, ast.Attribute) and f.attr == name and isinstance(f.value, ast.Name)
                    and f.value.id == head) or (not head and isinstance(f, ast.Name) and f.id == name):
                found.add(m)
    return sorted(found)


def test_process_wide_switches_live_at_the_edge_only() -> None:
    """One collector policy (``core.process``, called by the front doors); the ordinary exit everywhere but the
    night child, whose outputs are closed files; no ``eval``; none of the removed speed libraries."""
    for switch in ("gc.set_threshold", "gc.disable", "gc.freeze", "gc.enable"):
        assert _calls(switch) in ([], ["toolkit.core.process"]), switch
    assert _calls("os._exit") == ["toolkit.night.child"]
    assert _calls("eval") == [] and _calls("exec") == []
    imported = {base.split(".")[0] for m in modules() for _, base, _names in _imports(m)}
    assert "isal" not in imported, "zip parts are read through zipfile"
    assert _calls("tune_gc") == ["toolkit.cli", "toolkit.night.child"]
