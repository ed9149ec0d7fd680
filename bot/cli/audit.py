"""``lianzheng audit --since DATE [--unit CODE] [--out FILE]``: the audit log as CSV, in
local time with its offset and with names beside the ids (the ids stay: names change and
repeat, ids do not)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.cli.common import Command, output_file, refuse, with_uow, write_private
from bot.settings import Settings

_HEADER = [
    "id",
    "at",
    "actor_id",
    "actor_name",
    "chat_id",
    "action",
    "object_type",
    "object_id",
    "unit_id",
    "unit_name",
    "details",
]


class _Names:
    """Names of people and units by id: an export names few distinct ones, so each is
    looked up once."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow
        self._people: dict[int, str] = {}
        self._units: dict[int, str] = {}

    async def person(self, person_id: int | None) -> str:
        """The person's name ("" for none or an unknown id)."""
        return await self._name(self._people, person_id, self.uow.people.get)

    async def unit(self, unit_id: int | None) -> str:
        """The unit's name ("" for none or an unknown id)."""
        return await self._name(self._units, unit_id, self.uow.units.get)

    @staticmethod
    async def _name(
        cache: dict[int, str], key: int | None, get: Callable[[int], Awaitable[Any]]
    ) -> str:
        if key is None:
            return ""
        if key not in cache:
            found = await get(key)
            cache[key] = found.name if found else ""
        return cache[key]


def _local(at: datetime | None, zone: ZoneInfo) -> str:
    """``at`` in local time with its offset ("" for none)."""
    if at is None:
        return ""
    if at.tzinfo is None:  # stored in UTC; never guess the server's zone
        at = at.replace(tzinfo=UTC)
    return at.astimezone(zone).isoformat(timespec="seconds")


async def _write(out: TextIO, entries: Sequence[Any], names: _Names, zone: ZoneInfo) -> None:
    """The CSV of ``entries``, header first."""
    from handlers.core.spreadsheet import safe

    writer = csv.writer(out)
    writer.writerow(_HEADER)
    for e in entries:
        writer.writerow(
            [
                e.id,
                _local(e.at, zone),
                e.actor_id,
                # Names are typed by people; a spreadsheet must not run one as a formula.
                safe(await names.person(e.actor_id)),
                e.chat_id,
                e.action,
                e.object_type,
                e.object_id,
                e.unit_id,
                safe(await names.unit(e.unit_id)),
                json.dumps(e.details, ensure_ascii=False, sort_keys=True),
            ]
        )


async def _audit(settings: Settings, args: argparse.Namespace) -> int:
    """Export the audit log from ``--since`` on, of ``--unit``'s subtree when given."""
    try:
        since_day = date.fromisoformat(args.since)
    except ValueError:
        return refuse(f"--since must be a date like 2026-01-01, not {args.since!r}")
    zone = settings.timezone
    since = datetime.combine(since_day, time(), tzinfo=zone)

    async def go(uow: Any, app: Any) -> int:
        paths = None
        if args.unit:
            unit = await uow.units.by_code(args.unit)
            if unit is None:
                return refuse(f"unknown unit code: {args.unit}")
            paths = [unit.path]
        entries = await uow.audit.since(since, paths)
        if not args.out:
            await _write(sys.stdout, entries, _Names(uow), zone)
            return 0
        # Who did what to whom: written private, like the exports and backups.
        buffer = io.StringIO(newline="")
        await _write(buffer, entries, _Names(uow), zone)
        write_private(args.out, buffer.getvalue().encode("utf-8-sig"))
        print(f"written: {args.out} ({len(entries)} entries)", file=sys.stderr)
        return 0

    return await with_uow(settings, go)


def _audit_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", required=True, help="date, e.g. 2026-01-01")
    p.add_argument("--unit", default=None, help="only entries about this unit's subtree")
    p.add_argument("--out", type=output_file, default=None, help="file to write (default: stdout)")


AUDIT = Command("audit", "export the audit log as CSV", _audit_arguments, _audit)
