"""The `e2e` marker, given to every test that starts another process (the real CLI, worker
processes, a wheel build), found by following the test and its fixtures through the test helpers.

One rule instead of hand-placed decorators: a new subprocess test is marked without anyone
remembering to. Select with `pytest -m e2e`, leave out with `pytest -m "not e2e"`.
"""

from __future__ import annotations

import asyncio
import inspect
import multiprocessing
import subprocess
from concurrent.futures import ProcessPoolExecutor
from types import CodeType, FunctionType, ModuleType
from typing import Any

import pytest

PROCESS_MODULES: tuple[ModuleType, ...] = (subprocess, multiprocessing)
PROCESS_STARTERS: tuple[Any, ...] = (
    subprocess.Popen,
    subprocess.run,
    subprocess.call,
    subprocess.check_call,
    subprocess.check_output,
    multiprocessing.Process,
    multiprocessing.get_context,
    ProcessPoolExecutor,
    asyncio.create_subprocess_exec,
    asyncio.create_subprocess_shell,
)
ASYNC_PROCESS_NAMES = frozenset({"create_subprocess_exec", "create_subprocess_shell"})


def _names(code: CodeType) -> set[str]:
    """Global and attribute names used by a function, its closures and comprehensions."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            names |= _names(constant)
    return names


def _is_test_helper(value: object) -> bool:
    module = getattr(value, "__module__", "") or ""
    return module == "conftest" or module.startswith(("tests.", "test_", "conftest"))


def starts_processes(function: object, seen: set[int] | None = None) -> bool:
    """Whether calling `function` may start a process, directly or through test helpers."""
    seen = seen if seen is not None else set()
    function = inspect.unwrap(function)  # type: ignore[arg-type]
    if not isinstance(function, FunctionType) or id(function) in seen:
        return False
    seen.add(id(function))
    names = _names(function.__code__)
    if names & ASYNC_PROCESS_NAMES:
        return True
    for name in names:
        value = function.__globals__.get(name)
        if value is None:
            continue
        if any(value is module for module in PROCESS_MODULES):
            return True
        if any(value is starter for starter in PROCESS_STARTERS):
            return True
        if inspect.isclass(value) and _is_test_helper(value):
            methods = [m for m in vars(value).values() if isinstance(m, FunctionType)]
            if any(starts_processes(m, seen) for m in methods):
                return True
        elif _is_test_helper(value) and starts_processes(value, seen):
            return True
    return False


def mark_e2e(items: list[pytest.Item]) -> None:
    for item in items:
        function = getattr(item, "function", None)
        fixtures = getattr(item, "_fixtureinfo", None)
        candidates = [function]
        if fixtures is not None:
            for definitions in fixtures.name2fixturedefs.values():
                candidates += [definition.func for definition in definitions]
        if any(starts_processes(candidate) for candidate in candidates if candidate):
            item.add_marker(pytest.mark.e2e)
