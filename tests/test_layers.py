"""The module graph has arrows only downward: core <- io <- app <- render <- edges (excel, commands, cli).

Every import is counted, the ones inside functions too (lazy imports are still dependencies). ruff's banned-api
keeps core pure of third-party libraries and of the layers above it; this test checks every layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "xl_campaign"
LAYERS = {"core": 0, "io": 1, "app": 2, "render": 3, "excel": 4, "commands": 4, "cli": 4, "__init__": 4}
HEAVY = ("openpyxl", "xlwings", "python_calamine", "pandas", "typer", "rich")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:  # "from . import x": x may be a module
                    found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
                    continue
            else:
                target = node.module or ""
            found.append((node.lineno, target))
    return found


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "xl_campaign":
        return None
    if len(parts) == 1:
        return LAYERS["__init__"]
    return LAYERS.get(parts[1])


def test_every_package_is_in_a_layer() -> None:
    for path in PACKAGE.rglob("*.py"):
        assert layer_of(module_name(path)) is not None or module_name(path) == "xl_campaign", path


def test_imports_only_point_down() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = module_name(path)
        level = layer_of(here)
        if level is None:
            continue
        for line, target in imports(path):
            target_level = layer_of(target)
            if target_level is not None and target_level > level and target != "xl_campaign":
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    assert upward == []


def test_core_imports_no_heavy_library() -> None:
    heavy = [f"{path.name}:{line} {target}" for path in (PACKAGE / "core").rglob("*.py")
             for line, target in imports(path) if target.split(".")[0] in HEAVY]
    assert heavy == []


def test_the_check_of_the_layering_can_fail(tmp_path: Path) -> None:
    # the parser sees a relative import upward from core, and a lazy one inside a function
    sample = PACKAGE / "core" / "_probe_for_test.py"
    sample.write_text("def f():\n    from ..app import load\n    return load\n", encoding="utf-8")
    try:
        found = imports(sample)
        assert found == [(2, "xl_campaign.app.load")] or found == [(2, "xl_campaign.app")]
        assert layer_of(found[0][1]) == LAYERS["app"] > LAYERS["core"]
    finally:
        sample.unlink()
