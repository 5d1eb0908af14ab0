"""The domain is pure: no Temporal, no database, no logging framework, no web, no mail, no I/O.

Checked twice: statically (every import statement of domain/*.py) and dynamically (importing
``domain`` in a fresh interpreter loads none of those modules).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import domain

DOMAIN_DIR = Path(domain.__file__).parent
DOMAIN_FILES = sorted(DOMAIN_DIR.rglob("*.py"))
FORBIDDEN = frozenset(
    {
        "temporalio",
        "asyncpg",
        "structlog",
        "fastapi",
        "httpx",
        "jinja2",
        "socket",
        "os",
        "subprocess",
        "requests",
        "aiosmtplib",
    }
)
THIRD_PARTY = FORBIDDEN - {"socket", "os", "subprocess"}


def imported_roots(path: Path) -> list[tuple[int, str]]:
    """(line, top-level module) for every import in the file, including nested and guarded ones."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            found.append((node.lineno, "__import__"))
    return found


def test_the_domain_has_modules_to_check() -> None:
    names = {p.relative_to(DOMAIN_DIR).as_posix() for p in DOMAIN_FILES}
    assert names >= {"events.py", "commands/__init__.py", "commands/base.py", "state.py", "decide.py", "errors.py"}


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda p: p.relative_to(DOMAIN_DIR).as_posix())
def test_a_domain_module_imports_no_io_or_framework(path: Path) -> None:
    bad = [
        (line, root) for line, root in imported_roots(path) if root in FORBIDDEN or root in {"importlib", "__import__"}
    ]
    assert bad == [], f"{path.name} imports {bad}"


def test_the_import_check_would_catch_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os.path\nfrom temporalio import workflow\ndef f():\n    import socket\n")
    assert [root for _, root in imported_roots(sample)] == ["os", "temporalio", "socket"]


def _modules_loaded_by(code: str) -> set[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=DOMAIN_DIR.parent, timeout=60
    )
    return set(json.loads(done.stdout))


def test_importing_the_domain_loads_no_framework_or_io_module() -> None:
    loaded = _modules_loaded_by("import domain, domain.deadlines, domain.views")
    roots = {name.split(".")[0] for name in loaded}
    assert "domain.decide" in loaded
    assert roots & THIRD_PARTY == set()
    # pydantic, the domain's one dependency, itself pulls in socket (via email.utils) when its
    # first model is built, and Python starts with os loaded: only what the domain adds counts.
    baseline = _modules_loaded_by("import pydantic\nclass M(pydantic.BaseModel):\n    x: int")
    added = {name.split(".")[0] for name in loaded - baseline}
    assert added & FORBIDDEN == set()
    assert "subprocess" not in roots
