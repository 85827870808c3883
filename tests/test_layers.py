"""The data flows one way, and so do the imports: each module imports only modules of its own layer
or of a layer below it (CONTRIBUTING.md draws the layers)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "validator"
# lowest first: the shared ground, reading a workbook, the rules, running them, reporting, the command
LAYERS = [
    ("ground", ["model", "table", "numbers", "i18n", "fold", "shown", "files", "isolate", "yamlfile", "yamlwords"]),
    ("read", ["read"]),
    ("rules", ["rules"]),
    ("run", ["batch", "sources", "consolidate"]),
    ("report", ["report"]),
    ("web", ["web"]),
    (
        "command",
        [
            "cli",
            "cli_options",
            "cli_rules",
            "cli_serve",
            "cli_template",
            "cli_consolidate",
            "cli_copies",
            "cli_words",
            "__main__",
        ],
    ),
]
LEVEL = {name: level for level, (_, names) in enumerate(LAYERS) for name in names}


def _level(module: str) -> int:
    """The layer of `validator.x.y` by its first part; the package's own __init__ is ground."""
    parts = module.split(".")
    return LEVEL[parts[1]] if len(parts) > 1 else 0


def _imports(path: Path) -> list:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("validator"):
            found += [
                f"{node.module}.{alias.name}" if node.module == "validator" else node.module for alias in node.names
            ]
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith("validator")]
    return found


def test_every_module_imports_only_downward():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(("validator", *path.relative_to(PACKAGE).with_suffix("").parts))
        for target in _imports(path):
            if _level(target) > _level(module):
                upward.append(f"{module} imports {target}")
    assert upward == []


def test_every_module_has_a_layer_and_stays_under_400_lines():
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        assert parts[0] in LEVEL or parts == ("__init__",), path
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path
