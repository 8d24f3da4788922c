"""The direction of dependencies, read from the source with `ast`: the house stays a house.

index/ knows nothing of the bot; the engine knows nothing of the adapters, the settings or
the wording; only the Telegram adapter imports `telegram`; training/ stays outside the runtime.
"""
from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

# (modules whose source is checked, modules they must not import)
RULES = [
    ("index", ("bot", "training", "telegram")),
    ("bot.engine", ("bot.telegram", "bot.console", "bot.__main__", "bot.render", "bot.live", "bot.config",
                    "training", "telegram")),
    ("bot", ("training",)),
    ("bot.render", ("bot.telegram", "bot.console", "telegram")),
    ("bot.console", ("bot.telegram", "telegram")),
    ("bot.live", ("bot.telegram", "bot.console", "telegram")),
    ("bot.config", ("bot.telegram", "bot.console", "telegram")),
]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, root: Path) -> set[str]:
    """Every module `path` imports, relative imports resolved; lazy imports inside functions included."""
    name = module_name(path, root)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def violations(root: Path) -> list[str]:
    found = []
    for path in sorted(root.glob("**/*.py")):
        if path.relative_to(root).parts[0] not in ("bot", "index"):
            continue
        name = module_name(path, root)
        for owner, forbidden in RULES:
            if not _within(name, owner):
                continue
            for imported in sorted(imports(path, root)):
                if any(_within(imported, bad) for bad in forbidden):
                    found.append(f"{path.relative_to(root)} imports {imported}")
    return sorted(set(found))


def test_dependencies_point_one_way():
    assert violations(ROOT) == []


def test_telegram_is_imported_only_by_its_adapter_and_the_command_line():
    users = {module_name(path, ROOT) for path in ROOT.glob("bot/**/*.py")
             if any(_within(m, "bot.telegram") for m in imports(path, ROOT))}
    assert {u for u in users if not _within(u, "bot.telegram")} == {"bot.__main__"}


def test_a_planted_wrong_import_is_caught(tmp_path):
    for folder, text in [("index", "from bot.engine import Engine\n"),
                         ("bot/engine", "from ..telegram.app import run\n"),
                         ("bot/engine/picker", "def f():\n    from ...render import full_text\n"),
                         ("bot/telegram", "")]:
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "planted.py").write_text(text, "utf-8")
    assert violations(tmp_path) == ["bot/engine/picker/planted.py imports bot.render",
                                    "bot/engine/picker/planted.py imports bot.render.full_text",
                                    "bot/engine/planted.py imports bot.telegram.app",
                                    "bot/engine/planted.py imports bot.telegram.app.run",
                                    "index/planted.py imports bot.engine",
                                    "index/planted.py imports bot.engine.Engine"]
