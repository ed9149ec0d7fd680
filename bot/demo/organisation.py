"""Demo organisation: a small city with two counties, a dozen units and ~30 people.

``lianzheng demo`` (and the main job on first start without a token) loads it so a newcomer
can try every command at once. Demo Telegram user ids are listed in README.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.demo.pledges import seed_pledges
from bot.demo.quiz import seed_quiz
from bot.demo.records import seed_records
from bot.demo.reminders import seed_reminders
from handlers.core.domain import NewPerson, Role, UnitLevel
from handlers.core.ports import UnitOfWork

C, D, T, K = UnitLevel.CITY, UnitLevel.DEPARTMENT, UnitLevel.TOWNSHIP, UnitLevel.COUNTY

UNITS: list[tuple[str, str, UnitLevel, str | None]] = [
    ("PY", "濮阳市", C, None),
    ("PY-JW", "市纪委监委", D, "PY"),
    ("PY-JY", "市教育局", D, "PY"),
    ("PY-JT", "市交通运输局", D, "PY"),
    ("PY-NY", "市农业农村局", D, "PY"),
    ("HL", "华龙区", K, "PY"),
    ("HL-ZF", "华龙区政府办公室", D, "HL"),
    ("HL-JW", "华龙区纪委监委", D, "HL"),
    ("HL-ZYL", "中原路街道", T, "HL"),
    ("HL-YC", "岳村镇", T, "HL"),
    ("QF", "清丰县", K, "PY"),
    ("QF-ZF", "清丰县政府办公室", D, "QF"),
    ("QF-JW", "清丰县纪委监委", D, "QF"),
    ("QF-LT", "六塔乡", T, "QF"),
    ("QF-MZQ", "马庄桥镇", T, "QF"),
]


@dataclass(frozen=True)
class DemoPerson:
    """One demo official and the roles (with the unit code each is held over)."""

    telegram_id: int
    name: str
    unit: str
    post: str
    roles: tuple[tuple[Role, str], ...]


A, S, I, H, R = Role.ADMIN, Role.SUPERVISOR, Role.INSPECTOR, Role.UNIT_HEAD, Role.CADRE  # noqa: E741

PEOPLE: list[DemoPerson] = [
    DemoPerson(1001, "王建国", "PY-JW", "市责任制领导小组办公室主任",
               ((A, "PY"), (S, "PY"), (I, "PY"), (R, "PY-JW"))),
    DemoPerson(1002, "李秀英", "PY-JW", "市责任制办公室副主任", ((S, "PY"),)),
    DemoPerson(1003, "张卫东", "PY-JW", "市纪委第一纪检监察室主任", ((I, "PY"),)),
    DemoPerson(1004, "刘志强", "PY-JY", "市教育局局长", ((H, "PY-JY"), (R, "PY-JY"))),
    DemoPerson(1005, "陈静", "PY-JY", "市教育局副局长", ((R, "PY-JY"),)),
    DemoPerson(1006, "杨明", "PY-JT", "市交通运输局局长", ((H, "PY-JT"), (R, "PY-JT"))),
    DemoPerson(1007, "赵丽", "PY-JT", "市交通运输局纪检组长", ((I, "PY-JT"), (R, "PY-JT"))),
    DemoPerson(1008, "黄海涛", "PY-NY", "市农业农村局局长", ((H, "PY-NY"), (R, "PY-NY"))),
    DemoPerson(1009, "周敏", "PY-NY", "市农业农村局副局长", ((R, "PY-NY"),)),
    DemoPerson(1101, "吴刚", "HL", "华龙区责任制办公室主任", ((S, "HL"),)),
    DemoPerson(1102, "徐芳", "HL-JW", "华龙区纪委副书记", ((I, "HL"),)),
    DemoPerson(1103, "孙伟", "HL-ZF", "华龙区政府办公室主任", ((H, "HL-ZF"), (R, "HL-ZF"))),
    DemoPerson(1104, "马丽娟", "HL-ZF", "华龙区政府办公室副主任", ((R, "HL-ZF"),)),
    DemoPerson(1105, "朱军", "HL-ZYL", "中原路街道党工委书记", ((H, "HL-ZYL"), (R, "HL-ZYL"))),
    DemoPerson(1106, "胡晓燕", "HL-ZYL", "中原路街道办事处主任", ((R, "HL-ZYL"),)),
    DemoPerson(1107, "郭强", "HL-ZYL", "中原路街道纪工委书记", ((I, "HL-ZYL"), (R, "HL-ZYL"))),
    DemoPerson(1108, "林涛", "HL-YC", "岳村镇党委书记", ((H, "HL-YC"), (R, "HL-YC"))),
    DemoPerson(1109, "何静", "HL-YC", "岳村镇镇长", ((R, "HL-YC"),)),
    DemoPerson(1110, "高峰", "HL-YC", "岳村镇副镇长", ((R, "HL-YC"),)),
    DemoPerson(1201, "罗斌", "QF", "清丰县责任制办公室主任", ((S, "QF"),)),
    DemoPerson(1202, "郑红", "QF-JW", "清丰县纪委副书记", ((I, "QF"),)),
    DemoPerson(1203, "梁勇", "QF-ZF", "清丰县政府办公室主任", ((H, "QF-ZF"), (R, "QF-ZF"))),
    DemoPerson(1204, "宋佳", "QF-ZF", "清丰县政府办公室副主任", ((R, "QF-ZF"),)),
    DemoPerson(1205, "谢东", "QF-LT", "六塔乡党委书记", ((H, "QF-LT"), (R, "QF-LT"))),
    DemoPerson(1206, "韩梅", "QF-LT", "六塔乡乡长", ((R, "QF-LT"),)),
    DemoPerson(1207, "唐磊", "QF-LT", "六塔乡纪委书记", ((I, "QF-LT"), (R, "QF-LT"))),
    DemoPerson(1208, "冯雪", "QF-MZQ", "马庄桥镇党委书记", ((H, "QF-MZQ"), (R, "QF-MZQ"))),
    DemoPerson(1209, "董建", "QF-MZQ", "马庄桥镇镇长", ((R, "QF-MZQ"),)),
    DemoPerson(1210, "萧然", "QF-MZQ", "马庄桥镇副镇长", ((R, "QF-MZQ"),)),
    DemoPerson(1211, "程远", "QF-MZQ", "马庄桥镇宣传委员（科员）", ((R, "QF-MZQ"),)),
]  # fmt: skip


async def seed_demo(uow: UnitOfWork, now: datetime) -> bool:
    """Load the demo organisation unless units already exist; True when loaded."""
    if await uow.units.count() > 0:
        return False
    ids: dict[str, int] = {}
    for code, name, level, parent in UNITS:
        unit = await uow.units.add(code, name, level, ids[parent] if parent else None)
        ids[code] = unit.id
    for p in PEOPLE:
        section = "科员" not in p.post
        person = await uow.people.add(
            NewPerson(p.name, ids[p.unit], p.post, section, p.telegram_id)
        )
        for role, unit_code in p.roles:
            await uow.people.grant(person.id, role, ids[unit_code])
    await seed_pledges(uow, now)
    await seed_records(uow, now)
    await seed_reminders(uow, now)
    await seed_quiz(uow, now)
    return True
