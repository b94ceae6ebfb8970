"""Packaging: the wheel holds every module and runs without the repository, and every third-party
package the code imports is declared in pyproject.toml."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "jobs", "knowledge", "migrations", "web")
# Declared dependencies that a library loads for us instead of the code importing them by name.
LOADED_BY_LIBRARIES = {"python-multipart": "Starlette parses the web board's upload forms with it"}
# Alembic runs env.py itself (it reads `context.config`); the wheel test runs it through an
# upgrade.
ALEMBIC_SCRIPTS = {"migrations.env"}


def _source_packages() -> list[str]:
    return [name for name in PACKAGES if (ROOT / name / "__init__.py").is_file()]


def _source_modules() -> set[str]:
    """Dotted names of every module of the project's packages, from the source tree."""
    modules: set[str] = set()
    for package in _source_packages():
        for path in (ROOT / package).rglob("*.py"):
            if "__pycache__" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules.add(".".join(parts))
    return modules


def _data_files() -> set[str]:
    """Non-Python files inside the packages (templates, static assets, the Alembic template)."""
    found: set[str] = set()
    for package in _source_packages():
        for path in (ROOT / package).rglob("*"):
            if path.is_file() and path.suffix not in {".py", ".pyc"}:
                if "__pycache__" not in path.parts:
                    found.add(path.relative_to(ROOT).as_posix())
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built from a clean copy of the sources (no stale build/ folder)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    for package in _source_packages():
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    out = work / "dist"
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    command += ["--quiet", "-w", str(out), str(source)]
    subprocess.run(command, check=True, timeout=300, capture_output=True)
    (built,) = out.glob("*.whl")
    return built


def test_wheel_ships_every_module_and_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        name[: -len(".py")].removesuffix("/__init__").replace("/", ".")
        for name in names
        if name.endswith(".py")
    }
    assert _source_modules() - shipped == set()
    assert {"knowledge.compose", "knowledge.ingest", "migrations.versions"} <= shipped
    assert _data_files() - names == set()
    assert "migrations/script.py.mako" in names


IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys, tempfile
wheel_dir, site_dirs, packages, skip = json.loads(sys.argv[1])
sys.path[:] = [wheel_dir] + [p for p in sys.path if p.startswith(sys.base_prefix)] + site_dirs
imported = []
for name in packages:
    package = importlib.import_module(name)
    imported.append(name)
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        if info.name not in skip:
            importlib.import_module(info.name)
            imported.append(info.name)
outside = sorted(
    m.__name__ for m in list(sys.modules.values())
    if m.__name__.split(".")[0] in packages
    and not (getattr(m, "__file__", None) or "").startswith(wheel_dir)
)
# Alembic's env.py and every revision script, from the wheel, on a fresh SQLite file.
from migrations.runner import upgrade_to_head
from knowledge.db import make_engine
db = tempfile.mkdtemp() + "/wheel.db"
engine = make_engine("sqlite:///" + db)
upgrade_to_head(engine)
from sqlalchemy import inspect
tables = sorted(inspect(engine).get_table_names())
print(json.dumps({"imported": imported, "outside": outside, "path": sys.path, "tables": tables}))
"""


def test_every_module_imports_from_the_wheel_without_the_repository(
    wheel: Path, tmp_path: Path
) -> None:
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    # Third-party packages from the venv, but no .pth files: the editable install's finder
    # (which maps the project's packages to this repository) is never loaded.
    site_dirs = [p for p in sys.path if p.endswith("site-packages")]
    packages = _source_packages()
    argument = json.dumps([str(unpacked), site_dirs, packages, sorted(ALEMBIC_SCRIPTS)])
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", IMPORT_EVERYTHING, argument],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    # The venv may live inside the repository; no other path entry holds the project's code.
    holding_code = [p for p in report["path"] if (Path(p) / "knowledge" / "__init__.py").exists()]
    assert holding_code == [str(unpacked)]
    assert report["outside"] == []
    assert set(report["imported"]) == _source_modules() - ALEMBIC_SCRIPTS
    assert {"alembic_version", "document", "deadline"} <= set(report["tables"])


# ---------------------------------------------------------------- declared dependencies


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return _normalise(match.group(1))


def _declared() -> tuple[set[str], set[str], set[str]]:
    """(dependencies, the optional runtime extras such as postgres, the dev extra)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = {_requirement_name(r) for r in project["dependencies"]}
    extras = project.get("optional-dependencies", {})
    optional = {_requirement_name(r) for extra, rs in extras.items() if extra != "dev" for r in rs}
    dev = {_requirement_name(r) for r in extras.get("dev", [])}
    return required, optional, dev


def _top_level_imports(folders: list[Path]) -> dict[str, set[str]]:
    """Top-level module name -> files importing it (absolute imports, at any depth)."""
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in folder.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def _local_names(folders: list[Path]) -> set[str]:
    """Modules of this repository: its packages, and scripts' sibling modules in tests/bench."""
    local = set(PACKAGES) | {"tests", "bench"}
    for folder in folders:
        local |= {p.stem for p in folder.rglob("*.py")} | {p.name for p in folder.rglob("*/")}
    return local


def _third_party(folders: list[Path]) -> dict[str, set[str]]:
    local = _local_names(folders)
    imports = _top_level_imports(folders)
    return {
        name: files
        for name, files in imports.items()
        if name not in sys.stdlib_module_names and name not in local
    }


def _distribution(module: str) -> str:
    distributions = packages_distributions().get(module)
    assert distributions, f"{module} is imported but not installed"
    return _normalise(distributions[0])


def test_every_imported_package_is_declared_and_every_dependency_is_used() -> None:
    folders = [ROOT / name for name in _source_packages()]
    imported = {_distribution(module): files for module, files in _third_party(folders).items()}
    required, optional, _ = _declared()
    undeclared = {
        dist: sorted(files) for dist, files in imported.items() if dist not in required | optional
    }
    assert undeclared == {}, "imported by the application but not declared in dependencies"
    # Extras such as postgres hold drivers that SQLAlchemy loads by URL, never imported by name.
    unused = required - set(imported) - set(LOADED_BY_LIBRARIES)
    assert unused == set(), "declared in dependencies but imported nowhere in the application"


def test_tests_and_benchmarks_import_only_declared_packages() -> None:
    folders = [ROOT / "tests", ROOT / "bench"]
    imported = {_distribution(module): files for module, files in _third_party(folders).items()}
    declared = set().union(*_declared())
    undeclared = {dist: sorted(files) for dist, files in imported.items() if dist not in declared}
    assert undeclared == {}, "imported by tests or benchmarks but declared nowhere"


def test_constraints_pin_every_declared_package() -> None:
    pinned = {
        _normalise(line.split("==")[0])
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    }
    missing = set().union(*_declared()) - pinned
    assert missing == set(), "declared but not pinned: run `make constraints`"
