"""What officials type instead of buttons and commands: 收到, 已完成, 日历, 我要做承诺 …"""

from __future__ import annotations

import pytest

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.typed_words import normalise
from handlers.reminders.domain import AckStatus, OccurrenceKind
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts
from tests.handlers.reminders.helpers import person_id, send_deployment_round

CADRE = 1105


def answers(fake_uow: FakeUnitOfWorkFactory, person_id: int) -> dict[str, AckStatus]:
    """The person's answers to the event reminders sent to them, by event."""
    occ = fake_uow.db.reminder_tables.occurrences
    return {
        occ[d.occurrence_id].topic: d.ack
        for d in fake_uow.db.reminder_tables.deliveries.values()
        if d.person_id == person_id
        and occ[d.occurrence_id].kind == OccurrenceKind.EVENT
        and d.sends > 0
    }


def test_only_the_whole_message_counts() -> None:
    assert normalise(" 收到！") == "收到" and normalise("OK.") == "ok"
    assert normalise("收到红包怎么办") == "收到红包怎么办"


async def deployed(fake_uow: FakeUnitOfWorkFactory, clock: ManualClock) -> int:
    """Send the deployment round's reminders; returns the cadre's person id."""
    await send_deployment_round(fake_uow, clock)
    return await person_id(fake_uow, CADRE)


async def test_typed_received_acknowledges_the_latest_reminder(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    me = await deployed(fake_uow, clock)  # two events fall in this round
    assert set(answers(fake_uow, me).values()) == {AckStatus.NONE}
    reply = texts(await say(core, CADRE, "收到。"))
    assert "已确认收到" in reply and "另有 1 条提醒等待确认" in reply
    assert sorted(answers(fake_uow, me).values()) == [AckStatus.NONE, AckStatus.RECEIVED]
    assert "另有" not in texts(await say(core, CADRE, "收到"))
    assert set(answers(fake_uow, me).values()) == {AckStatus.RECEIVED}
    # 已完成 may follow 收到.
    assert "已标记为完成" in texts(await say(core, CADRE, "已完成"))
    assert sorted(answers(fake_uow, me).values()) == [AckStatus.DONE, AckStatus.RECEIVED]
    # Nothing left to acknowledge: said so, not a rule-base answer.
    assert "目前没有需要确认的提醒" in texts(await say(core, CADRE, "收到"))


async def test_acknowledgements_said_with_courtesies(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    """好的，收到 / 收到了谢谢 answer as 收到 does, 已经完成了 as 已完成; a question that
    starts the same way stays a question."""
    me = await deployed(fake_uow, clock)
    assert "已确认收到" in texts(await say(core, CADRE, "好的，收到"))
    assert "已确认收到" in texts(await say(core, CADRE, "收到了谢谢！"))
    assert set(answers(fake_uow, me).values()) == {AckStatus.RECEIVED}
    assert "已标记为完成" in texts(await say(core, CADRE, "已经完成了"))
    from handlers.shortcuts.typed import ack_code

    for question in ("收到红包怎么办", "完成任务要多久", "收到了礼金要上交吗"):
        assert ack_code(normalise(question)) is None, question
    assert ack_code(normalise("弄好了")) == "d"


async def test_thanks_answer_a_waiting_reminder_and_are_thanks_otherwise(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    """好的谢谢 / ok thanks / noted acknowledge a waiting reminder (they had been answered
    "you are welcome" and the reminder repeated); with nothing waiting they stay thanks."""
    me = await deployed(fake_uow, clock)  # two reminders wait
    assert "已确认收到" in texts(await say(core, CADRE, "好的谢谢"))
    assert "已确认收到" in texts(await say(core, CADRE, "ok thanks"))
    assert set(answers(fake_uow, me).values()) == {AckStatus.RECEIVED}
    thanks = texts(await say(core, CADRE, "好的谢谢"))
    assert "已确认收到" not in thanks and "目前没有需要确认的提醒" not in thanks


async def test_done_after_received_counts_only_unanswered_reminders_as_waiting(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    """已完成 after both reminders were acknowledged as seen: the one not marked done is no
    longer "waiting for an acknowledgement" (it had been counted)."""
    await deployed(fake_uow, clock)
    await say(core, CADRE, "收到")
    await say(core, CADRE, "收到")
    done = texts(await say(core, CADRE, "已完成"))
    assert "已标记为完成" in done and "另有" not in done


async def test_received_typed_while_a_form_is_open_answers_the_reminder(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    """收到 while a form waits answers the reminder and leaves the form where it was (it had
    been refused as "the name of a feature"); 好的 still belongs to the form."""
    await deployed(fake_uow, clock)  # the inspector is reminded of the meeting too
    await say(core, 1102, "/talk 马丽娟")  # a form waits at its first question
    form = fake_uow.db.conversations[(1102, 1102)]
    told = texts(await say(core, 1102, "收到"))
    assert "已确认收到" in told and "表单仍停在原处" in told
    assert fake_uow.db.conversations[(1102, 1102)] == form


async def test_a_question_that_starts_with_the_word_stays_a_question(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    me = await deployed(fake_uow, clock)
    assert "礼金" in texts(await say(core, CADRE, "收到红包怎么办"))
    assert set(answers(fake_uow, me).values()) == {AckStatus.NONE}


async def test_features_asked_for_by_name_run_their_command(core: Assistant) -> None:
    assert texts(await say(core, CADRE, "日历")) == texts(await say(core, CADRE, "/calendar"))
    assert texts(await say(core, CADRE, "我的提醒")) == texts(await say(core, CADRE, "/reminders"))
    assert texts(await say(core, CADRE, "帮助")) == texts(await say(core, CADRE, "/help"))
    started = texts(await say(core, 1109, "我要做承诺"))
    assert "为哪一年作承诺" in started
    # Typing 取消 leaves the open form, as /cancel does.
    assert "已取消" in texts(await say(core, 1109, "取消"))
    assert "为哪一年作承诺" not in texts(await say(core, 1109, "廉洁承诺什么时候做"))


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("帮我记个诫勉谈话", "/talk"),
        ("录个谈话", "/talk"),
        ("下发整改通知", "/notice"),
        ("新建案件", "/case"),
        ("新建个案子", "/case"),
        ("录入考核结果", "/assess"),
        ("这个月要干啥", "/reminders"),
        ("本月任务", "/reminders"),
    ],
)
async def test_inspectors_tasks_asked_for_in_words_run_their_command(
    core: Assistant, typed: str, command: str
) -> None:
    inspector = 1102
    expected = texts(await say(core, inspector, command))
    await say(core, inspector, "取消")
    assert texts(await say(core, inspector, typed)) == expected


async def test_the_shortcut_keeps_the_commands_permissions(core: Assistant) -> None:
    """A shortcut is its command: the district supervisor (no cadre role) typing 我要做承诺
    is refused exactly as /pledge refuses them."""
    supervisor = 1101
    refused = texts(await say(core, supervisor, "/pledge"))
    assert "无权" in refused
    assert texts(await say(core, supervisor, "我要做承诺")) == refused
    assert texts(await say(core, supervisor, "我要报告践诺")) == refused


async def test_in_groups_typed_words_stay_silent(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    me = await deployed(fake_uow, clock)
    assert await say(core, CADRE, "收到", group=True) == []
    assert set(answers(fake_uow, me).values()) == {AckStatus.NONE}


async def test_may_someone_be_promoted_asked_in_words(core: Assistant) -> None:
    inspector, cadre = 1102, 1110  # 徐芳 (华龙区 inspector); 高峰, who had a warning talk
    assert texts(await say(core, inspector, "高峰能提拔吗？")) == texts(
        await say(core, inspector, "/eligible 高峰")
    )
    assert texts(await say(core, cadre, "我今年能评先吗")) == texts(
        await say(core, cadre, "/eligible")
    )
    # A general question stays with the rule base; a name the asker may not look up is
    # "not within your scope", whether or not such a person exists (it reveals nothing),
    # where the rule base's "not covered" decline had read it as a question about a rule.
    general = texts(await say(core, inspector, "干部能不能提拔"))
    assert "截至" not in general
    for asker, name in ((1104, "高峰"), (1104, "张三丰"), (1108, "孙伟")):
        outside = texts(await say(core, asker, f"{name}能提拔吗"))
        assert outside == texts(await say(core, asker, f"/eligible {name}")), (asker, name)
        assert "没有找到" in outside and "截至" not in outside, outside
    assert "没有找到" not in texts(await say(core, 1104, "受过处分的干部能提拔吗"))
    # One's own name is oneself.
    assert texts(await say(core, cadre, "高峰能提拔吗")) == texts(
        await say(core, cadre, "/eligible")
    )
    # A unit principal asks in words about a cadre of his own unit.
    head = 1103  # 孙伟, principal of 华龙区政府办公室 (马丽娟's unit)
    assert texts(await say(core, head, "马丽娟能提拔吗")) == texts(
        await say(core, head, "/eligible 马丽娟")
    )


async def test_promotion_questions_typed_loosely_or_with_a_year(core: Assistant) -> None:
    inspector = 1102
    same = {
        "高峰 能提拔吗": "/eligible 高峰",
        "高峰去年能评先吗": "/eligible 高峰 2025",
        "高峰2025年能评先吗": "/eligible 高峰 2025",
        "高峰能提吗": "/eligible 高峰",
        "can i be promoted?": "/eligible",
        "高峰今年考核能评优秀吗": "/eligible 高峰 2026",
        "我能评上优秀吗": "/eligible",
    }
    for typed, command in same.items():
        expected = texts(await say(core, inspector, command))
        assert "没有找到" not in expected and "截至" in expected, command
        assert texts(await say(core, inspector, typed)) == expected, typed
    # Next year is foreseen from today's records, as /eligible with its year does.
    later = texts(await say(core, inspector, "高峰明年能评先吗"))
    assert "2027" in later and later == texts(await say(core, inspector, "/eligible 高峰 2027"))
    # The year may come first, or in words, in the command too.
    year_first = texts(await say(core, inspector, "/eligible 2025 高峰"))
    assert "2025" in year_first and "没有找到" not in year_first
    assert year_first == texts(await say(core, inspector, "/eligible 高峰 去年"))


async def test_typed_remind_me_tomorrow_postpones_the_latest(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    me = await deployed(fake_uow, clock)
    assert "再次提醒您" in texts(await say(core, CADRE, "明天提醒我"))
    assert sorted(answers(fake_uow, me).values()) == [AckStatus.NONE, AckStatus.SNOOZED]
    # 收悉, the official word for "received", acknowledges the other one.
    await say(core, CADRE, "收悉")
    assert sorted(answers(fake_uow, me).values()) == [AckStatus.RECEIVED, AckStatus.SNOOZED]


def test_a_request_for_figures_typed_in_words_is_read_as_its_command() -> None:
    """A period and a verb or a word for the figures make a request; anything else stays a
    question for the rule base (统计造假, 今年的考核情况怎么样) or is not one (今年, 岳村镇)."""
    from handlers.summary.typed import figures_request

    assert figures_request("统计一下今年的情况") == "/summary 今年"
    assert figures_request("统计下今年") == "/summary 今年"
    assert figures_request("岳村镇上季度的数据") == "/summary 岳村镇 上季度"
    assert figures_request("岳村镇 上季度 数据") == "/summary 岳村镇 上季度"  # typed with spaces
    assert figures_request("统计 数据 造假 咋处分") is None
    assert figures_request("查一下岳村镇今年的统计数据吧") == "/summary 岳村镇 今年"
    assert figures_request("华龙区2025年的统计") == "/summary 华龙区 2025年"
    assert figures_request("我们单位今年的情况") == "/summary 今年"
    assert figures_request("导出去年的报表") == "/export 去年"
    assert figures_request("岳村镇本月的表格") == "/export 岳村镇 本月"
    # The own scope after the period (看看今年全县情况) is the default scope too.
    assert figures_request("看看今年全县情况") == "/summary 今年"
    assert figures_request("今年全区的数据") == "/summary 今年"
    # The longer period wordings /summary reads (a half, a month or quarters of a named year).
    assert figures_request("统计一下岳村镇去年上半年的数据") == "/summary 岳村镇 去年上半年"
    assert figures_request("导出去年下半年的报表") == "/export 去年下半年"
    assert figures_request("华龙区去年12月的统计") == "/summary 华龙区 去年12月"
    assert figures_request("岳村镇前三季度情况") == "/summary 岳村镇 前三季度"
    assert figures_request("看看全区年初至今情况") == "/summary 年初至今"
    for question in ("统计造假怎么处分", "今年的考核情况怎么样", "今年评先情况", "今年", "岳村镇"):
        assert figures_request(question) is None, question
    # In English, the period alone (unit names are Chinese).
    assert figures_request("this year's figures") == "/summary this year"
    assert figures_request("show me last quarter summary") == "/summary last quarter"
    assert figures_request("export last year's report") == "/export last year"
    assert figures_request("how do i see this year summary") is None
    assert figures_request("summary for this month") == "/summary this month"
    assert figures_request("figures of last year") == "/summary last year"


async def test_figures_asked_for_in_words_show_what_the_command_shows(core: Assistant) -> None:
    supervisor = 1101
    asked = texts(await say(core, supervisor, "统计一下华龙区今年的情况"))
    assert asked == texts(await say(core, supervisor, "/summary 华龙区 今年"))
    assert "统计汇总：华龙区" in asked
    # The command's own permissions: a cadre is refused as /summary refuses them.
    assert texts(await say(core, CADRE, "今年的统计数据")) == texts(
        await say(core, CADRE, "/summary 今年")
    )
    # A question about statistics stays a question.
    assert "统计汇总" not in texts(await say(core, supervisor, "统计数据造假怎么处分"))


async def test_figures_asked_for_in_english_show_the_summary(core: Assistant) -> None:
    supervisor = 1101
    await say(core, supervisor, "/lang en")
    asked = texts(await say(core, supervisor, "this year's figures"))
    assert asked == texts(await say(core, supervisor, "/summary this year"))
    assert "Summary: 华龙区 · year 2026" in asked
    # Typed on a phone without the apostrophe.
    assert texts(await say(core, supervisor, "this years figures")) == asked


async def test_a_unit_heads_pledge_questions_show_the_units_pledges(core: Assistant) -> None:
    head = 1108  # 林涛, 岳村镇
    expected = texts(await say(core, head, "/unitpledges"))
    for typed in (
        "谁还没做承诺",
        "谁还没交践诺报告？",
        "本单位承诺情况",
        "还有谁没做承诺",
        "年终报告谁没交？",
        "who hasn't pledged",
        "who hasnt pledged",
        "Who still has not checked in yet?",
        "返回名单",  # the person view's Back button typed out
        "◀ 返回名单",
    ):
        assert texts(await say(core, head, typed)) == expected, typed


async def test_features_and_months_named_in_english(core: Assistant) -> None:
    supervisor = 1101
    await say(core, supervisor, "/lang en")
    for typed, command in (("Menu", "/help"), ("my pledge", "/mypledge"), ("stats", "/summary")):
        assert texts(await say(core, supervisor, typed)) == texts(
            await say(core, supervisor, command)
        )
    november = texts(await say(core, supervisor, "/summary nov"))
    assert november == texts(await say(core, supervisor, "/summary 2026-11"))
    assert november == texts(await say(core, supervisor, "/summary November 2026"))


async def test_cancel_or_confirm_typed_with_no_form_open_is_not_a_question(
    core: Assistant,
) -> None:
    """取消 and 确认 with nothing open used to reach the rule base, which offered
    取消预备党员资格 and 纠风 rules."""
    for typed in ("取消", "算了", "cancel"):
        assert texts(await say(core, CADRE, typed)) == texts(await say(core, CADRE, "/cancel"))
    nothing = texts(await say(core, CADRE, "确认"))
    assert "/help" in nothing and "纠风" not in nothing
    assert texts(await say(core, CADRE, "提交")) == nothing


async def test_a_full_width_slash_and_other_bots_command_names_work(core: Assistant) -> None:
    me = texts(await say(core, CADRE, "/me"))
    assert texts(await say(core, CADRE, "／me")) == me  # typed with a Chinese input method
    assert texts(await say(core, CADRE, "/whoami")) == me
    assert texts(await say(core, CADRE, "／ｈｅｌｐ")) == texts(await say(core, CADRE, "/help"))


async def test_my_records_named_in_words(core: Assistant) -> None:
    cadre = 1110  # 高峰, with sanctions and a talk on record
    for typed, command in (
        ("我的处分", "/cases"),
        ("我的诫勉谈话", "/talks"),
        ("我的考核", "/assessments"),
    ):
        assert texts(await say(core, cadre, typed)) == texts(await say(core, cadre, command)), typed


def test_asking_to_pledge_or_report_in_other_words() -> None:
    """我要写承诺, 写个承诺, 交个践诺报告, 我要交年终践诺报告 name the forms; a question about
    them (写承诺要注意什么) or a longer sentence does not."""
    from handlers.shortcuts.typed import _command_for

    for typed, command in (
        ("我要写承诺", "/pledge"),
        ("写个承诺", "/pledge"),
        ("交一份廉洁承诺书", "/pledge"),
        ("交个践诺报告", "/checkin"),
        ("交践诺报告", "/checkin"),
        ("我要交践诺报告", "/checkin"),
        ("我要交年终践诺报告", "/checkin 年终"),
        ("报一下年中践诺情况", "/checkin 年中"),
    ):
        assert _command_for(normalise(typed)) == command, typed
    for typed in ("写承诺要注意什么", "承诺", "交个朋友"):
        assert _command_for(normalise(typed)) is None, typed


def test_record_forms_and_lists_asked_for_in_words() -> None:
    """给岳村镇发个整改通知 is /notice with the unit, 给高峰记个诫勉谈话 /talk with the person,
    岳村镇的诫勉谈话 and 还有哪些案件没办结 the lists; questions about the same things, or a
    kind's name alone, stay with the rule base."""
    from handlers.shortcuts.records_typed import records_request

    for typed, command in (
        ("给岳村镇发个整改通知 月底前", "/notice 岳村镇 月底前"),
        ("发个整改通知 下周五", "/notice 下周五"),
        ("给岳村镇发个整改通知，月底前", "/notice 岳村镇 月底前"),
        ("给岳村镇发个整改通知 春节前", "/notice 岳村镇 春节前"),
        ("发个整改通知", "/notice"),
        ("给高峰记个诫勉谈话", "/talk 高峰"),
        ("记个谈话 高峰", "/talk 高峰"),
        ("岳村镇的诫勉谈话", "/talks 岳村镇"),
        ("逾期的整改通知", "/notices 逾期"),
        ("还有哪些案件没办结", "/cases 没办结"),
        ("哪些整改通知逾期了", "/notices 逾期"),
        ("看看岳村镇的案件", "/cases 岳村镇"),
        ("帮我查下中原路的案件", "/cases 中原路"),
        ("待回访的谈话", "/talks 待回访"),
        ("哪些谈话还没回访", "/talks 没回访"),
        ("案件列表", "/cases"),
        ("整改通知 逾期", "/notices 逾期"),
        ("发整改通知给岳村镇", "/notice 岳村镇"),
        ("立个案", "/case"),
        ("4号案件", "/case #4"),
        ("案件#4", "/case #4"),
        ("查看通知书#1", "/notice #1"),
        ("打开谈话3", "/talk #3"),
        # A notice to a unit is a rectification notice.
        ("顺便给区政府办发个通知", "/notice 区政府办"),
        # A year or part of one typed with the list (it had been read as a unit's name).
        ("今年逾期的整改通知", "/notices 今年 逾期"),
        ("岳村镇上半年的诫勉谈话", "/talks 岳村镇 上半年"),
        ("岳村镇2025年的案件", "/cases 岳村镇 2025年"),
        ("去年岳村镇的整改通知", "/notices 岳村镇 去年"),  # the year first
    ):
        assert records_request(normalise(typed)) == command, typed
    for question in (
        "什么情况下发整改通知",
        "什么是诫勉谈话",
        "诫勉谈话",
        "整改通知书由谁发",
        "诫勉谈话影响提拔吗",
        "谁能发整改通知",
        "测试案件",  # a case's title typed into its form
        "违规收受礼金案件",
        "未及时下发整改通知",  # a notice's problem, typed into its form
        "没有登记谈话",
        "立案标准是什么",
        "谈话",
        "立案",  # a question about 立案 (立个案 opens the form)
        "村干部的诫勉谈话",  # a kind of people, not a unit
        "发整改通知 要盖章吗",  # a question after the request
        "发个通知",  # any notice
        "给大家发个通知吧",  # a circular to everyone
        "4号文件",  # no record's kind
        "给高峰记个诫勉谈话需要什么手续",  # a question about the talk, not the form
        "记一下诫勉谈话的要求",
        "补录诫勉谈话的时限",
    ):
        assert records_request(normalise(question)) is None, question


async def test_a_record_list_asked_for_in_words_shows_the_list(core: Assistant) -> None:
    inspector = 1102
    for typed, command in (
        ("逾期的整改通知", "/notices 逾期"),
        ("还有哪些案件没办结", "/cases 没办结"),
    ):
        assert texts(await say(core, inspector, typed)) == texts(
            await say(core, inspector, command)
        ), typed


async def test_edit_typed_alone_says_how_to_change_a_record(core: Assistant) -> None:
    """修改 typed under a record's view (no form open) says how records are changed; it had
    gone to the rule base, which offered an unrelated entry."""
    told = texts(await say(core, 1102, "修改"))
    assert "/talks" in told and "/notices" in told
    # 删除 typed by an administrator, who may delete, is told the same.
    assert texts(await say(core, 1001, "删除")) == texts(await say(core, 1001, "修改"))


def test_own_records_asked_for_in_words() -> None:
    """我的践诺报告 / 我的评议结果 / 我明年的承诺 are /mypledge, 我还有啥没交 /reminders,
    我考了多少分 /test scores."""
    from handlers.shortcuts.typed import _command_for

    for typed, command in (
        ("我的践诺报告", "/mypledge"),
        ("我的评议结果", "/mypledge"),
        ("看看我的承诺", "/mypledge"),
        ("我明年的承诺", "/mypledge 明年"),
        ("我还有啥没交", "/reminders"),
        ("我考了多少分", "/test scores"),
    ):
        assert _command_for(normalise(typed)) == command, typed


async def test_lists_take_the_year_in_words(core: Assistant) -> None:
    """/cases 今年 is /cases 2026 (the fake clock's year), /talks 去年 is 2025; 今年的案件 typed
    is the same list (it had been looked up as a unit named 今年)."""
    inspector = 1102
    this_year = texts(await say(core, inspector, "/cases 2026"))
    assert texts(await say(core, inspector, "/cases 今年")) == this_year
    assert texts(await say(core, inspector, "今年的案件")) == this_year
    assert texts(await say(core, inspector, "/talks 去年")) == texts(
        await say(core, inspector, "/talks 2025")
    )


def test_loose_readings_are_field_values_inside_forms() -> None:
    """Inside a form only the exact feature names and acknowledgements are refused: 已整改完毕
    as a follow-up result, 王某违规收受礼金的案件 as a case title are values (they had been
    refused as "the name of a feature")."""
    from handlers.shortcuts.typed import is_typed_acknowledgement, is_typed_shortcut

    for value in ("已整改完毕", "整改完成", "王某违规收受礼金的案件", "逾期的整改通知"):
        assert not is_typed_shortcut(value), value
    assert is_typed_shortcut("日历") and is_typed_shortcut("收到")
    assert is_typed_acknowledgement("好的，收到") and not is_typed_acknowledgement("已阅")


def test_questions_about_ones_own_records_are_read_as_their_command() -> None:
    """我有没有被诫勉谈话, 我践诺报告交了没, 何静交了没, 民主生活会哪天开 had gone to the
    rule base; questions about the rules themselves still do."""
    from handlers.shortcuts.own_typed import own_records_request

    for typed, command in (
        ("我有没有被诫勉谈话", "/talks 我"),
        ("我有诫勉谈话吗", "/talks 我"),
        ("我被谈过话没", "/talks 我"),
        ("我有啥处分", "/cases 我"),
        ("我有几个案子", "/cases 我"),
        ("我承诺交了没", "/mypledge"),
        ("我践诺报告交了没？", "/mypledge"),
        ("我考核是啥等次", "/assessments 我"),
        ("我今年考核是啥等次", "/assessments 我"),
        ("何静的践诺报告交了没", "/unitpledges 何静"),
        ("何静承诺了吗", "/unitpledges 何静"),
        ("何静交承诺了吗", "/unitpledges 何静"),
        ("高峰报告践诺了吗", "/unitpledges 高峰"),
        ("何静的承诺", "/unitpledges 何静"),
        ("高峰的践诺", "/unitpledges 高峰"),
        ("看下何静承诺", "/unitpledges 何静"),
        ("还有谁没交", "/unitpledges"),
        ("践诺报告都交了没", "/unitpledges"),
        ("谁还没写承诺", "/unitpledges"),
        ("我们单位谁没交", "/unitpledges"),
        ("谁没有报告践诺", "/unitpledges"),
        ("我交承诺了吗", "/mypledge"),
        ("啥时候开民主生活会", "/calendar"),
        ("民主生活会哪天开", "/calendar"),
        ("践诺报告啥时候截止", "/calendar"),  # this year's dates, not the default windows
        ("my warning talks", "/talks 我"),
        ("did i hand in my report", "/mypledge"),
        ("when is the democratic life meeting?", "/calendar"),
    ):
        assert own_records_request(normalise(typed)) == command, typed
    for question in (
        "诫勉谈话影响提拔吗",
        "红包交了没",
        "党费交了没",
        "礼品上交了吗",
        "受过处分能提拔吗",
        "民主生活会怎么开",
        "谈话了吗",
        "诫勉谈话",
        "述职述廉交了吗",  # other things handed in: the rule base's
        "个人事项报了吗",
        "社保交了没",
        "考核表交了没",
        "党员的承诺",
        "看一下廉洁承诺",
        "看下我的承诺",
        "领导干部的承诺书",
    ):
        assert own_records_request(normalise(question)) is None, question


async def test_own_records_asked_in_words_show_the_commands_reply(core: Assistant) -> None:
    cadre, head = 1104, 1103
    for who, typed, command in (
        (cadre, "我有没有被诫勉谈话", "/talks"),
        (1102, "我有没有被诫勉谈话", "/talks 我"),  # an inspector's own, not his scope's
        (cadre, "我践诺报告交了没", "/mypledge"),
        (head, "还有谁没交", "/unitpledges"),
        (cadre, "民主生活会哪天开", "/calendar"),
    ):
        assert texts(await say(core, who, typed)) == texts(await say(core, who, command)), typed


async def test_a_head_asking_about_someone_gets_that_persons_record(core: Assistant) -> None:
    """何静承诺了吗 from the head of another unit had shown his own unit's list."""
    own_head, other_head = 1108, 1103  # 林涛 heads 何静's 岳村镇; 孙伟 another unit
    record = texts(await say(core, own_head, "何静承诺了吗"))
    assert record.startswith("👤 何静（岳村镇）"), record
    assert texts(await say(core, own_head, "/unitpledges 何静")) == record
    outside = texts(await say(core, other_head, "何静承诺了吗"))
    assert outside == "在您的权限范围内没有找到“何静”这个人或单位。", outside


async def test_an_inspectors_own_talks_are_his_not_his_scopes(core: Assistant) -> None:
    """我有没有被诫勉谈话 asked by an inspector had listed everyone's talks in his scope."""
    from tests.handlers.records.support import create_talk

    await create_talk(core)  # about 马丽娟
    assert "马丽娟" in texts(await say(core, 1102, "/talks"))
    assert "马丽娟" not in texts(await say(core, 1102, "我有没有被诫勉谈话"))


def test_abbreviations_and_doubled_names_are_not_junk() -> None:
    """KTV / PPT / ZWL (capitals) and 丽丽 (a name) had been refused as keyboard junk."""
    from handlers.core.typed_words import says_nothing

    for text in ("KTV", "PPT", "ZWL", "CBD", "丽丽", "No KTV", "不去KTV"):
        assert not says_nothing(text), text
    for text in ("asdf", "xxxx", "aa", "啊啊啊", "test", "好的谢谢"):
        assert says_nothing(text), text
    # Pointers and stand-ins, with a closing stop too.
    for text in (
        "同上。",
        "略。",
        "见附件",
        "参见附件2",
        "详见调查报告",
        "附件稍后补交",
        "see the attachment",
    ):
        assert says_nothing(text), text
    for text in ("内容见附件", "如上所述", "同上同上", "同上，略", "照片稍后补交", "证明材料后补"):
        assert says_nothing(text), text
    # Putting it off, and a pointer to the talk's own notes (thirty-sixth session).
    for text in (
        "明天再说",
        "回头再补",
        "以后再说。",
        "先这样吧",
        "详见谈话笔录",
        "见笔录",
        "will add later",
    ):
        assert says_nothing(text), text
    for text in ("区纪委谈话室", "见面谈了", "看报告后认识到错误", "略有不足", "同上级沟通了"):
        assert not says_nothing(text), text


async def test_the_language_asked_for_in_words(core: Assistant) -> None:
    """english please / 切换英文 / 说中文 had been declined as questions or answered with a
    help entry: they switch the language as /lang does."""
    from handlers.core.i18n import translator

    cadre = 1104
    for typed in ("english please", "切换英文", "English", "switch to English!"):
        assert texts(await say(core, cadre, typed)) == "Language set to English.", typed
        await say(core, cadre, "/lang zh")
    assert texts(await say(core, cadre, "english pls")) == "Language set to English."
    zh = translator("zh_CN")
    assert texts(await say(core, cadre, "说中文")) == zh._("Language set to English.")
    assert texts(await say(core, cadre, "语言")) == zh._("Choose your language:")


def test_a_spreadsheet_or_chart_asked_for_without_a_period() -> None:
    """导出表格 / 导出一下 / 下载统计表 had been answered with a help entry or declined."""
    from handlers.summary.typed import figures_request

    for typed, command in (
        ("导出表格", "/export"),
        ("导出一下", "/export"),
        ("下载统计表", "/export"),
        ("export", "/export"),
        ("出个图表", "/chart"),
        ("show me a chart", "/chart"),
        # A unit's chart, perhaps of a year (these had gone to the rule base).
        ("岳村镇的图表", "/chart 岳村镇"),
        ("出个统计图表", "/chart"),  # 统计 is no unit
        ("今年的柱状图", "/chart 今年"),
        # The last months, and one's own scope's figures with no period (rule-base declines).
        ("近三个月数据", "/summary 近三个月"),
        ("近30天的数据", "/summary 近30天"),
        ("看看全区情况", "/summary"),
        ("出个岳村镇的图表", "/chart 岳村镇"),
        ("给我看看岳村镇的统计图", "/chart 岳村镇"),
        ("来张统计图", "/chart"),
        ("2025年岳村镇的统计图", "/chart 岳村镇 2025"),
        ("chart for this year", "/chart this year"),
        ("导出岳村镇上半年的表", "/export 岳村镇 上半年"),
    ):
        assert figures_request(normalise(typed)) == command, typed
    for question in ("统计表怎么填", "表", "导出数据违规吗"):
        assert figures_request(normalise(question)) is None, question


async def test_delete_typed_by_someone_who_cannot_delete(core: Assistant) -> None:
    """撤回 typed by an inspector had been told to press a delete button he does not have."""
    from handlers.core.i18n import translator

    zh = translator("zh_CN")
    told = texts(await say(core, 1102, "撤回"))
    assert told == zh._(
        "Only an administrator can delete a record: ask yours, giving the record's number. To change a record, open it (from /talks, /notices, /cases, /assessments or /mypledge) and press its button."
    )
    assert texts(await say(core, 1102, "修改")) != told


async def test_a_command_typed_with_a_slip_offers_the_one_meant(core: Assistant) -> None:
    """/summry had only been called unknown; the nearest command the person may use is
    offered as a button that runs it with the same arguments."""
    from tests.handlers.core.helpers import buttons

    offered = await say(core, 1101, "/summry 2026")
    assert "/summary" in texts(offered) and buttons(offered) == [("/summary", "rr:/summary 2026")]
    ran = texts(await say(core, 1101, data="rr:/summary 2026"))
    assert ran == texts(await say(core, 1101, "/summary 2026"))
    # A command the person may not use is not offered (a supervisor makes no pledge).
    assert buttons(await say(core, 1101, "/pledg")) == []
    assert buttons(await say(core, 1101, "/xyz")) == []
