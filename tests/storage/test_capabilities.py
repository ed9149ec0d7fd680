"""Every capability declared in handlers is offered by storage's unit of work and the fake.

A feature reaches its store through a ``Capability`` (``quiz_of(uow)``), which trusts the
unit of work to hold it under the capability's attribute: the core's ``UnitOfWork`` protocol
names only the shared stores. mypy checks the types of the attributes listed in
``storage/uow.py``'s ``_offers_every_capability``; these tests check that no capability is
missing there, nor from storage's or the fake unit of work at run time.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Iterable
from pathlib import Path

import handlers
import storage.uow
from handlers.core.ports import Capability
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.handlers.core.fakes import FakeDB, FakeUnitOfWork


def declared_capabilities() -> list[Capability[object]]:
    """Every Capability found in the modules of ``handlers`` (each once)."""
    found: dict[int, Capability[object]] = {}
    for module in pkgutil.walk_packages(handlers.__path__, "handlers."):
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, Capability):
                found[id(value)] = value
    return sorted(found.values(), key=lambda c: c.attribute)


def statically_checked() -> set[str]:
    """The attributes of storage's unit of work that ``_offers_every_capability`` types."""
    tree = ast.parse(inspect.getsource(storage.uow))
    check = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == "_offers_every_capability"
    )
    return {
        node.value.attr
        for node in ast.walk(check)
        if isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Attribute)
    }


def missing(uow: object, capabilities: Iterable[Capability[object]]) -> list[str]:
    """The attributes of ``capabilities`` that ``uow`` does not offer."""
    return [c.attribute for c in capabilities if not hasattr(uow, c.attribute)]


async def offered_by_storage(tmp_path: Path, capabilities: list[Capability[object]]) -> list[str]:
    """What storage's unit of work misses of ``capabilities`` (entering it opens no
    connection: the repositories are made on a session that has not yet used one)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        async with SqlUnitOfWork(session_factory(engine)) as uow:
            return missing(uow, capabilities)
    finally:
        await engine.dispose()


async def offered_by_fake(capabilities: list[Capability[object]]) -> list[str]:
    """What the fake unit of work misses of ``capabilities``."""
    async with FakeUnitOfWork(FakeDB()) as uow:
        return missing(uow, capabilities)


def test_the_features_declare_their_capabilities() -> None:
    attributes = [c.attribute for c in declared_capabilities()]
    assert len(attributes) == len(set(attributes)), "two capabilities share an attribute"
    assert {"calendar", "records", "pledges", "quiz", "reminders", "summary"} <= set(attributes)


async def test_storage_offers_every_capability(tmp_path: Path) -> None:
    assert await offered_by_storage(tmp_path, declared_capabilities()) == []


async def test_the_fake_unit_of_work_offers_every_capability() -> None:
    assert await offered_by_fake(declared_capabilities()) == []


def test_mypy_checks_every_capability_storage_offers() -> None:
    unchecked = {c.attribute for c in declared_capabilities()} - statically_checked()
    assert unchecked == set()


async def test_an_unknown_capability_is_reported(tmp_path: Path) -> None:
    unknown: Capability[object] = Capability("no_such_store")
    capabilities = [*declared_capabilities(), unknown]
    assert await offered_by_storage(tmp_path, capabilities) == ["no_such_store"]
    assert await offered_by_fake(capabilities) == ["no_such_store"]
    assert "no_such_store" not in statically_checked()
