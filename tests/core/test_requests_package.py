"""Our package `requests` shadows the HTTP library of that name: guard both sides of that."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import requests
from core.settings import ROOT

APP_DEPENDENCIES = (
    "streamlit", "streamlit.web.cli", "streamlit.web.bootstrap", "streamlit.runtime",
    "streamlit.testing.v1", "sqlalchemy", "pandas", "apscheduler", "reportlab", "alembic",
    "argon2", "psycopg",
)


def _run_python(code: str, *, cwd: Path, isolated: bool) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, *(["-I"] if isolated else []), "-c", code]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120,
                          check=False)


def _source_files() -> list[Path]:
    skip = {".venv", "tests", "data", ".git", "benchmarks"}
    return [p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts)]


def test_requests_is_our_package_inside_the_repo():
    assert Path(requests.__file__).resolve().is_relative_to(ROOT)


def test_the_app_dependencies_do_not_import_the_http_library(tmp_path):
    """Anything they imported eagerly would be our package inside the app, and break it."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(APP_DEPENDENCIES)!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'requests')))\n"
    )
    done = _run_python(code, cwd=tmp_path, isolated=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_inside_the_app_import_requests_means_ours():
    """What `streamlit run` from the repo sees: the script's folder comes first on sys.path."""
    code = (
        "import streamlit, streamlit.web.bootstrap, core.startup, requests\n"
        "print(requests.__file__)\n"
    )
    done = _run_python(code, cwd=ROOT, isolated=False)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).resolve() == ROOT / "requests" / "__init__.py"


def test_the_code_never_reaches_for_the_http_library():
    """`from requests import x` and `import requests.x` must name one of our own modules."""
    ours = ROOT / "requests"
    defined_in_init = {
        node.name for node in ast.parse((ours / "__init__.py").read_text()).body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }
    strangers = []
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module == "requests":
                    modules = [f"requests.{alias.name}" for alias in node.names
                               if alias.name not in defined_in_init]
                else:
                    modules = [node.module]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if parts[0] != "requests":
                    continue
                target = ROOT.joinpath(*parts)
                if len(parts) == 1 or not (target.with_suffix(".py").exists() or target.is_dir()):
                    strangers.append(f"{path.relative_to(ROOT)}:{node.lineno} {module}")
    assert strangers == []
