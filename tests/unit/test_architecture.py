"""The import rule of docs/architecture.md, read from the source with ``ast``.

Every module of every product package is parsed (imports inside functions count too); an import
of a package the importer may not use fails the test. Known exceptions are listed in ALLOWED,
each with its reason and issue; an entry nobody needs any more fails as well, so the list only
shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = ("api", "app", "bench", "cli", "components", "core", "ghl", "seller_bot",
               "services", "simulator", "tests")
UI = ("dash", "dash_bootstrap_components", "plotly", "flask")

# The packages a package may import from this repository (itself included); the most specific
# key wins, so ``seller_bot.extract`` is stricter than ``seller_bot``. app.py and cli.py assemble
# everything and may import anything; tests and bench are not checked.
MAY_IMPORT: dict[str, tuple[str, ...]] = {
    "core": ("core",),
    "seller_bot": ("core", "seller_bot"),
    "seller_bot.extract": ("seller_bot.extract", "seller_bot.models"),
    "services": ("core", "seller_bot", "services"),
    "components": ("components", "core.privacy", "services"),
    "api": ("api", "core", "seller_bot", "services"),
    "ghl": ("core", "ghl", "seller_bot"),
    # The bot's public parts only: its entry point and result, the webhook body, the document,
    # and the store (the bulk seeding writes with its commit script).
    "simulator": ("core", "seller_bot.bot", "seller_bot.models", "seller_bot.payload",
                  "seller_bot.store", "simulator"),
}
# Libraries a package may not import: the bot and the read side know nothing of the web or Dash.
MAY_NOT_USE: dict[str, tuple[str, ...]] = {
    "core": UI,
    "seller_bot": UI,
    "services": UI,
    "api": ("dash_bootstrap_components", "plotly"),
    "ghl": UI,
    "simulator": UI,
}
# Known debt, (importing module, imported module): why it is there and which issue removes it.
ALLOWED: dict[tuple[str, str], str] = {}


def matches(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_modules() -> list[Path]:
    packages = [ROOT / name for name in MAY_IMPORT if "." not in name]
    return sorted(path for package in packages for path in package.rglob("*.py"))


def imports(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in the file; ``from a import b`` gives ``a.b``."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing package
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def owner(module: str, table: dict[str, tuple[str, ...]]) -> str | None:
    keys = [key for key in table if matches(module, key)]
    return max(keys, key=len) if keys else None


def violations() -> tuple[list[str], set[tuple[str, str]]]:
    """Forbidden imports not on the allow-list, and the allow-list entries that were used."""
    found, used = [], set()
    for path in product_modules():
        module = module_name(path)
        allowed = MAY_IMPORT[owner(module, MAY_IMPORT)]
        banned = MAY_NOT_USE.get(owner(module, MAY_NOT_USE) or "", ())
        for line, name in imports(path, module):
            ours = any(matches(name, top) for top in FIRST_PARTY)
            if ours and any(matches(name, ok) for ok in allowed):
                continue
            if not ours and not any(matches(name, lib) for lib in banned):
                continue
            debt = [key for key in ALLOWED if key[0] == module and matches(name, key[1])]
            if debt:
                used.update(debt)
            else:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found, used


def test_arch001_no_forbidden_import():
    found, _ = violations()
    assert not found, ("imports against docs/architecture.md (remove them, or list them as "
                       "debt in ALLOWED with a reason):\n" + "\n".join(found))


def test_arch002_every_allowed_exception_still_exists():
    _, used = violations()
    paid = set(ALLOWED) - used
    assert not paid, f"debt paid off, remove these ALLOWED entries: {sorted(paid)}"


def test_arch003_the_rule_sees_a_violation(tmp_path):
    """The checker itself: a relative import back up the house is caught."""
    module = tmp_path / "seller_bot" / "extra.py"
    module.parent.mkdir()
    module.write_text("from ..services import cache\nimport dash\n")
    names = [name for _, name in imports(module, "seller_bot.extra")]
    assert names == ["services.cache", "dash"]
    assert owner("seller_bot.extract.price", MAY_IMPORT) == "seller_bot.extract"



def test_arch004_tests_take_helpers_from_modules_not_conftest():
    """Shared test code lives in tests/helpers.py (and friends); conftest only has fixtures."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for line, name in imports(path, module_name(path))
        if ".conftest" in f".{name}"
    ]
    assert offenders == []
