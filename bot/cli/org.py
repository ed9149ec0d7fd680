"""``lianzheng invite``, ``admin``, ``unit`` and ``org``: invitation codes, the first
administrator, single units and the organisation import."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli.common import Command, refuse, telegram_id_arg, with_uow
from bot.settings import Settings

#: The longest an invitation may stay valid.
MAX_INVITE_DAYS = 365


def _days(text: str) -> int:
    """``--days``: a whole number of days from 1 to MAX_INVITE_DAYS."""
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {text!r}") from None
    if not 1 <= days <= MAX_INVITE_DAYS:
        raise argparse.ArgumentTypeError(f"give 1 to {MAX_INVITE_DAYS} days, not {days}")
    return days


def _person_name(text: str) -> str:
    """``--name``: a display name, cleaned as registration cleans it, at most as long as the
    chat's /invite takes."""
    from handlers.core.parsing import clean_display_name
    from handlers.org.registration import MAX_INVITED_NAME

    name = clean_display_name(text)
    if len(name) > MAX_INVITED_NAME:
        raise argparse.ArgumentTypeError(f"a name of at most {MAX_INVITED_NAME} characters, please")
    return name


async def _invite(settings: Settings, args: argparse.Namespace) -> int:
    from handlers.core.domain import AuditEntry
    from handlers.org.admin import parse_role
    from handlers.org.registration import create_invitation

    async def go(uow: Any, app: Any) -> int:
        unit = await uow.units.by_code(args.unit)
        role = parse_role(args.role)
        if unit is None:
            return refuse(f"unknown unit code: {args.unit}")
        if role is None:
            return refuse(f"unknown role: {args.role}")
        # Bind to a pre-imported person of that name in that unit, if there is one.
        person_id = None
        if args.name:
            matches = [
                p
                for p in await uow.people.find(args.name, [unit.path])
                if p.name == args.name and p.unit_id == unit.id and p.telegram_user_id is None
            ]
            person_id = matches[0].id if len(matches) == 1 else None
        days = args.days if args.days is not None else settings.invite_ttl_days
        now = app.services.clock.now()
        inv = await create_invitation(uow, unit, role, now, days, args.name, person_id)
        details = {"role": role.value, "via": "cli"}
        await uow.audit.append(
            AuditEntry(
                "invitation.created",
                None,
                None,
                "invitation",
                inv.code[:3] + "…",
                unit.id,
                details,
                now,
            )
        )
        await uow.commit()
        expires = inv.expires_at.astimezone(app.services.config.timezone)
        linked = " (for the listed person of that name)" if person_id else ""
        print(
            f"invitation for {unit.name} ({unit.code}) as {role.value}{linked}, expires {expires:%Y-%m-%d %H:%M %Z}"
        )
        print(inv.code)
        return 0

    return await with_uow(settings, go)


async def _admin(settings: Settings, args: argparse.Namespace) -> int:
    from handlers.core.domain import AuditEntry, NewPerson, Role
    from handlers.org.registration import create_invitation

    if not args.name:
        return refuse("--name is empty")

    async def go(uow: Any, app: Any) -> int:
        unit = await uow.units.by_code(args.unit)
        if unit is None:
            return refuse(
                f"unknown unit code: {args.unit} (add it with `lianzheng unit add` or `org import`)"
            )
        now = app.services.clock.now()
        if args.telegram_id is None:
            inv = await create_invitation(
                uow, unit, Role.ADMIN, now, settings.invite_ttl_days, args.name
            )
            await uow.commit()
            print(
                f"administrator invitation for {args.name} over {unit.name}; register with /start CODE"
            )
            print(inv.code)
            return 0
        if await uow.people.by_telegram_id(args.telegram_id):
            return refuse("that Telegram id is already registered")
        person = await uow.people.add(
            NewPerson(args.name, unit.id, "", True, args.telegram_id, listed_at=now)
        )
        await uow.people.grant(person.id, Role.ADMIN, unit.id)
        details = {"role": "admin", "via": "cli"}
        await uow.audit.append(
            AuditEntry("role.granted", None, None, "person", str(person.id), unit.id, details, now)
        )
        await uow.commit()
        print(f"administrator {args.name} created (person {person.id})")
        return 0

    return await with_uow(settings, go)


async def _unit(settings: Settings, args: argparse.Namespace) -> int:
    from handlers.core.domain import UnitLevel
    from handlers.core.parsing import clean_display_name, valid_unit_code
    from handlers.org.placement import placement_problem, unit_name_problem

    if not valid_unit_code(args.code):
        return refuse(
            f"invalid unit code {args.code[:40]!r}: letters, digits, _ and - only (at most 32)"
        )
    name = clean_display_name(args.name)
    level = UnitLevel(args.level)
    problem = unit_name_problem(name)
    if problem:
        return refuse(problem)

    async def go(uow: Any, app: Any) -> int:
        if await uow.units.by_code(args.code):
            return refuse(f"unit code already exists: {args.code}")
        parent = None
        if args.parent:
            parent = await uow.units.by_code(args.parent)
            if parent is None:
                return refuse(f"unknown parent unit: {args.parent}")
        problem = placement_problem(level, parent.level if parent else None)
        if problem:
            return refuse(problem)
        if parent is not None and any(u.name == name for u in await uow.units.children(parent.id)):
            return refuse(f"{parent.name} already has a unit named {name}")
        parent_id = parent.id if parent else None
        unit = await uow.units.add(args.code, name, level, parent_id)
        await uow.commit()
        print(f"unit {unit.code} created (id {unit.id})")
        return 0

    return await with_uow(settings, go)


async def _org(settings: Settings, args: argparse.Namespace) -> int:
    """``org import``: all rows or none unless ``--skip-bad-rows``; an applied import is
    audited like any other change to the organisation. ``org export``: the whole
    organisation in the import's own columns."""
    from handlers.org.importing import ImportFileError, read_tables

    if args.org_cmd == "export":
        return await with_uow(settings, lambda uow, app: _export(uow, args.file))

    tables = []
    for f in args.files:
        if not f.exists():
            return refuse(f"{f}: file not found")
        try:
            tables.extend(read_tables(f))
        except ImportFileError as exc:
            return refuse(str(exc), 1)
    return await with_uow(settings, lambda uow, app: _import(uow, app, tables, args))


async def _export(uow: Any, file: Path) -> int:
    """Write every unit and active person to ``file`` (XLSX) as the import reads them."""
    from handlers.core.spreadsheet import to_xlsx
    from handlers.org.exporting import organisation_sheets

    if file.suffix.lower() != ".xlsx":
        return refuse(f"{file}: the export is an XLSX workbook; name the file *.xlsx")
    units, people = await organisation_sheets(uow, ["/"])
    file.write_bytes(to_xlsx([units, people]))
    print(f"exported {len(units.rows)} unit(s) and {len(people.rows)} person(s) to {file}")
    return 0


async def _import(uow: Any, app: Any, tables: list[Any], args: argparse.Namespace) -> int:
    """Check (``--dry-run``) or apply the tables read; say what was or would be done."""
    from handlers.org.importing import import_audit_entry, import_tables

    report = await import_tables(
        uow,
        tables,
        apply=not args.dry_run,
        skip_bad_rows=args.skip_bad_rows,
        now=app.services.clock.now(),
    )
    for err in report.errors:
        print(str(err))
    bad = len(report.bad_rows)
    if not report.ok and not args.skip_bad_rows:
        return refuse(
            f"{len(report.errors)} problem(s) in {bad} row(s); nothing was imported. "
            "Fix them and import again, or pass --skip-bad-rows to import the other rows.",
            1,
        )
    skipped = f"; {bad} row(s) with problems listed above" if bad else ""
    if args.dry_run:
        print(
            f"dry run: {report.units} unit(s) and {report.people} person(s) would be imported"
            + (skipped + " would be skipped." if bad else ".")
        )
        return 0
    await uow.audit.append(
        import_audit_entry(report, [str(f) for f in args.files], app.services.clock.now())
    )
    await uow.commit()
    print(
        f"imported {report.units} unit(s) and {report.people} person(s)"
        + (skipped + " were skipped." if bad else ".")
    )
    return 0


def _invite_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="invite_cmd", required=True)
    create = sub.add_parser("create", help="create a single-use invitation code")
    create.add_argument("--unit", required=True, help="unit code")
    create.add_argument("--role", required=True, help="cadre|unit_head|inspector|supervisor|admin")
    create.add_argument("--name", type=_person_name, default="", help="name of the person invited")
    create.add_argument(
        "--days", type=_days, default=None, help=f"days until it expires (1–{MAX_INVITE_DAYS})"
    )


def _admin_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="admin_cmd", required=True)
    create = sub.add_parser("create", help="create an administrator")
    create.add_argument("--unit", required=True, help="unit code the administrator manages")
    create.add_argument("--name", type=_person_name, required=True)
    create.add_argument(
        "--telegram-id",
        type=telegram_id_arg,
        default=None,
        help="bind directly; without it an invitation code is printed",
    )


def _unit_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="unit_cmd", required=True)
    add = sub.add_parser("add", help="add one unit")
    add.add_argument("--code", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--level", required=True, choices=["city", "county", "department", "township"])
    add.add_argument("--parent", default=None, help="parent unit code")


def _org_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="org_cmd", required=True)
    imp = sub.add_parser("import", help="import units and people from CSV or XLSX")
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    imp.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the valid rows and report the bad ones (default: any bad row imports nothing)",
    )
    exp = sub.add_parser("export", help="write every unit and active person to an XLSX file")
    exp.add_argument("file", type=Path, help="the workbook to write (*.xlsx)")


INVITE = Command("invite", "invitation codes", _invite_arguments, _invite)
ADMIN = Command("admin", "administrators", _admin_arguments, _admin)
UNIT = Command("unit", "units", _unit_arguments, _unit)
ORG = Command("org", "organisation lists", _org_arguments, _org)
