"""How retrieval decides: aliases, coverage, the confidence model and related buttons."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from handlers.qa.ask import runners_up
from knowledge import loader, retrieval
from knowledge.decision import NEARBY_MEANING_GAP
from knowledge.decision_models import features_of
from knowledge.retrieval import (
    DECISION_MODEL,
    FEATURES,
    Candidate,
    Decision,
    DecisionModel,
    DecisionModels,
    KnowledgeBase,
    Ranking,
    Signals,
    Status,
    Thresholds,
)
from knowledge.schema import Basis, Entry
from knowledge.text import AliasTable


def entry(eid: str, title: str, questions: str, keywords: str) -> Entry:
    """A small rule-base entry for tests: its topic is the id without its last part; the
    questions and keywords are written separated by spaces."""
    return Entry(
        id=eid,
        topic=eid.rsplit(".", 1)[0],
        title=title,
        questions=questions.split(),
        keywords=keywords.split(),
        answer=f"{title}的答案，用于测试。",
        basis=[Basis(doc="assistant_manual")],
    )


SMALL = [
    entry(
        "check.warning_talk.effects",
        "诫勉谈话对提拔的影响",
        "诫勉后多久能提拔 诫勉谈话影响提拔吗 被诫勉了还能升职吗",
        "诫勉 提拔 影响期",
    ),
    entry(
        "check.warning_talk.who",
        "诫勉谈话由谁来谈",
        "诫勉谈话谁来谈 谁有权对我诫勉 诫勉由哪个部门负责",
        "诫勉 谈话人 纪委",
    ),
    entry(
        "jiufeng.campaigns.sanluan",
        "三乱指什么",
        "三乱是什么 乱收费乱罚款乱摊派 公路三乱怎么治",
        "三乱 乱收费 乱罚款",
    ),
]


@pytest.fixture(scope="module")
def small() -> KnowledgeBase:
    return KnowledgeBase(SMALL, ["消防检查下了整改通知书怎么办", "足球比赛谁赢了"])


def test_a_variant_never_rewrites_the_canonical_term_it_prefixes() -> None:
    table = AliasTable({"诫勉谈话": ["诫勉谈", "界面谈话"], "一把手": ["一把", "局长"]})
    assert table.rewrite("诫勉谈话") == "诫勉谈话"
    assert table.rewrite("诫勉谈") == "诫勉谈话"
    assert table.rewrite("界面谈话后") == "诫勉谈话后"
    assert table.rewrite("一把手") == "一把手"
    assert table.rewrite("局长和一把") == "一把手和一把手"


def test_the_fitted_models_match_the_features_and_stale_files_are_refused(tmp_path: Path) -> None:
    models = DecisionModels.load(DECISION_MODEL)
    assert len(models.answer.coefficients) == len(models.offer.coefficients) == len(FEATURES)
    stale = DECISION_MODEL.read_text(encoding="utf-8").replace("- oos_gap", "- something_else")
    (tmp_path / "model.yaml").write_text(stale, encoding="utf-8")
    with pytest.raises(ValueError, match="re-run the calibration"):
        DecisionModels.load(tmp_path / "model.yaml")


def test_a_model_is_a_logistic_function_of_its_features() -> None:
    model = DecisionModel(-1.0, (2.0, 0.0))
    assert model.probability((0.5, 9.0)) == pytest.approx(0.5)
    assert 0.0 < model.probability((0.0, 0.0)) < 0.5 < model.probability((1.0, 0.0)) < 1.0


def test_clear_question_is_answered_and_shared_keyword_is_clarified(small: KnowledgeBase) -> None:
    d = small.decide("被诫勉了多久能提拔")
    assert d.status == Status.ANSWER and d.best is not None
    assert d.best.entry.id == "check.warning_talk.effects"
    vague = small.decide("诫勉")
    assert vague.status == Status.CLARIFY
    assert {c.entry.id for c in vague.candidates} == {
        "check.warning_talk.effects",
        "check.warning_talk.who",
    }


def test_words_only_out_of_scope_examples_know_still_lower_coverage(
    small: KnowledgeBase,
) -> None:
    _, inside = small.signals("三乱是什么")
    _, outside = small.signals("消防三乱")
    assert inside == pytest.approx(1.0)
    assert 0.0 < outside < 0.8  # 消防 is only in an out-of-scope example
    assert small.decide("消防检查下了整改通知书怎么办").status == Status.NONE
    assert small.decide("足球比赛谁赢了").status == Status.NONE


def test_features_describe_the_ranking(small: KnowledgeBase) -> None:
    ranking = small.rank("诫勉谈话谁来谈")
    top, margin, lexical, fuzzy, same, share, *_ = small.features(ranking)
    assert ranking.entries[0][0] == "check.warning_talk.who"
    assert top == ranking.entries[0][1] and margin == top - ranking.entries[1][1] > 0
    assert lexical > 0 and fuzzy > 0 and same == 1.0 and share == pytest.approx(1.0)
    assert small.confidence(ranking) > small.confidence(small.rank("诫勉"))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("被诫勉了还能提吗", "check.warning_talk.effects"),
        ("我去年被界面谈话，今年能不能提拔", "check.warning_talk.effects"),
        ("開除黨籍後還能重新入黨嗎", "discipline.party.expulsion"),
        ("一岗两责啥意思", "leader.members.one_post_two_duties"),
        ("留党查看期间有没有选举权", "discipline.party.probation"),
        ("记大过 多久", "discipline.govt.major_demerit"),
        ("局长出差了年初会可以让副局长去吗", "meeting.year_start.attendance"),
        ("双开是啥", "discipline.govt.expulsion"),
        # Wordings from the twentieth session's collected questions (said in our own words).
        ("判了刑的人还能不能入党", "party.membership.join_with_record"),
        ("公务员能不能给亲戚的公司当法定代表人", "integrity.rules.business"),
        ("周五下班跟科室同事聚个餐 违规不", "integrity.rules.banquets"),
        ("儿子移民加拿大了 我是处级干部 咋办", "integrity.pm.naked_official"),
        ("单位里有人借赌敛财 怎么处分", "discipline.party_violations.gambling"),
        # The typo 撒案 for 撤案 (alias table).
        ("监委立了案 后来查清了咋撒案", "supervision.procedure.clear_name"),
    ],
)
def test_how_officials_type_reaches_the_right_entry_first(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    """Typos, traditional characters and slang reach the right entry: answered, the first
    of the options when a sibling entry is close, or, when it is the only entry near the
    question but not a sure answer, the first button of an honest decline."""
    d = kb.decide(question)
    assert d.best is not None, (question, d.as_json())
    assert d.best.entry.id == expected


@pytest.mark.parametrize(
    "question",
    [
        "公司员工考核不合格会被开除吗",
        "学生考试作弊给什么处分",
        "消防检查不合格下了整改通知书怎么办",
    ],
)
def test_look_alike_questions_from_other_fields_are_declined(
    kb: KnowledgeBase, question: str
) -> None:
    assert kb.decide(question).status == Status.NONE


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("预备党员怎么转正", "party.membership.probationary"),
        ("党员组织关系怎么转接", "party.membership.transfer"),
        ("怎么写举报信举报别人", "supervision.clues.how_to_report"),
    ],
)
def test_no_out_of_scope_example_shadows_a_subject_an_entry_now_answers(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    """These three were out-of-scope examples until entries came to answer them; an
    example left behind declined the entry's own subject (预备党员多久能转正 was declined
    although the probationary entry ranked first)."""
    ranking = kb.rank(question)
    assert ranking.entries[0][0] == expected
    assert ranking.out_of_scope < ranking.entries[0][1]
    d = kb.decide(question)
    assert d.status != Status.NONE and d.best is not None and d.best.entry.id == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("党员干部找先生看日子选坟地 违纪吗", "discipline.party_violations.superstition"),
        ("少数民族党员过古尔邦节 算参加宗教活动吗", "discipline.party_violations.religion"),
        ("乡镇党代会多少年开一次", "party.life.congress_terms"),
        ("拟提拔人选公示几天", "cadre.selection.publicity"),
        ("三级主任科员多久能升二级", "cadre.selection.rank_promotion"),
        ("刚提的副科 试用期几年啊", "cadre.selection.probation"),
        ("事业编考核优秀比例多少", "assess.annual.institution_grades"),
        ("公务员年度考核一般啥时候开始搞", "assess.annual.cs_procedure"),
        ("党员违纪了 谁给处分", "discipline.party_rules.who_decides"),
        ("巡视组会不会直接查办干部", "supervision.inspection_tour.methods"),
        ("支部党费能拿去买米面油慰问困难老党员不", "party.membership.dues_use"),
        # Added in the tenth session.
        ("被纪委立案后多长时间能出结果", "supervision.procedure.duration"),
        ("发展对象要在单位公示吗", "party.membership.development_publicity"),
        ("端午节想自驾去外省玩 要跟单位报备不", "integrity.pm.holiday_travel"),
        ("病人家属硬塞红包给主治医生 怎么办", "discipline.institution.medical_kickbacks"),
        ("初中老师周末在家给学生上课收钱 违规吗", "discipline.institution.paid_tutoring"),
        ("接待外宾时对方送的礼物能自己留着吗", "integrity.rules.foreign_gifts"),
        ("去纪委投案 法院会认自首吗", "supervision.procedure.surrender_vs_confession"),
        ("被辞退了还能报考公务员吗", "civil_servant.law.reapply"),
        ("八十多岁的老党员走不动了 组织生活怎么过", "party.life.elderly_members"),
        ("车补发了 开自己车出去办事油费还能报吗", "integrity.gap.private_car_official"),
        ("写匿名信诬陷同事 会给什么处分", "supervision.procedure.clear_name_party"),
    ],
)
def test_subjects_of_todays_rules_added_late_reach_their_entries(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    """Religion and superstition, congress terms, cadre selection, assessment procedure,
    who approves a sanction, tour methods, the use of dues, and the tenth session's
    procedure and everyday subjects: asked in words none of the
    entries' own questions use, each reaches its entry first (answered, or the first
    option)."""
    d = kb.decide(question)
    assert d.status != Status.NONE and d.best is not None, (question, d.as_json())
    assert d.best.entry.id == expected


def test_close_runner_up_is_offered_with_an_answer() -> None:
    a, b, c = (Candidate(e, s) for e, s in zip(SMALL, (0.8, 0.75, 0.3), strict=True))
    decision = Decision("q", Status.ANSWER, (a, b, c))
    assert runners_up(decision, band=0.2) == [b.entry]
    assert runners_up(decision, band=0.05) == []
    assert runners_up(Decision("q", Status.NONE), band=0.2) == []


def test_a_variant_that_contains_its_term_keeps_its_extra_words() -> None:
    table = AliasTable({"公车": ["公车私用", "公务用车"], "处分": ["处分决定", "处份"]})
    # 公车私用 says more than 公车: it stays as typed (私用 still counts) …
    assert table.rewrite("公车私用如何界定") == "公车私用如何界定"
    # … while a variant that does not contain the term is still rewritten to it.
    assert table.rewrite("公务用车和处份") == "公车和处分"
    assert table.rewrite("处分决定") == "处分决定"


def test_a_lone_everyday_word_is_not_answered_outright() -> None:
    kb = KnowledgeBase(
        [
            *SMALL,
            entry(
                "resp.definition.lessons",
                "落实责任制要把握哪几点",
                "责任制经验有哪几点 把握哪几点 几点启示",
                "责任制 启示",
            ),
        ]
    )
    # 几点 matches phrases of one entry only, but it is not one of its keywords.
    ranking = kb.rank("几点了")
    assert ranking.entries[0][0] == "resp.definition.lessons"
    assert kb.decide("几点了").status != Status.ANSWER
    # A lone keyword names its subject and may still be answered when it is clear.
    assert kb.decide("三乱").status == Status.ANSWER


def test_twins_are_not_rivals_and_unknown_twins_fail_the_check(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    gifts = [
        entry(
            "discipline.party_violations.gifts",
            "收受礼品礼金会受什么处分",
            "收礼金会受什么处分 收了购物卡怎么处分 收受礼品处分",
            "礼金 礼品 购物卡 处分",
        ),
        entry(
            "integrity.rules.gifts",
            "能不能收礼品礼金购物卡",
            "能不能收礼金 购物卡能收吗 礼品礼金有什么规定",
            "礼金 礼品 购物卡",
        ),
        *SMALL,
    ]
    pair = frozenset({"discipline.party_violations.gifts", "integrity.rules.gifts"})
    monkeypatch.setattr(retrieval, "load_twins", lambda: [])
    apart = KnowledgeBase(gifts)
    monkeypatch.setattr(retrieval, "load_twins", lambda: [sorted(pair)])
    twins = KnowledgeBase(gifts)
    query = "收了老板送的礼金和购物卡怎么办"
    ranking = twins.rank(query)
    assert {k for k, _, _ in ranking.entries[:2]} == pair
    # The lead over a twin does not count: the margin is measured over the next rival.
    assert twins.features(ranking)[1] > apart.features(apart.rank(query))[1]
    assert twins.confidence(ranking) > apart.confidence(apart.rank(query))

    bad = tmp_path / "twins.yaml"
    bad.write_text("groups:\n  - [integrity.rules.gifts, no.such.entry]\n", encoding="utf-8")
    monkeypatch.setattr(loader, "TWINS", bad)
    problems = loader.cross_check(gifts)
    assert problems == ["twins.yaml: unknown entry no.such.entry"]


def test_a_best_entry_standing_alone_is_answered_below_the_answer_cut() -> None:
    """The lone-entry cuts: an entry far ahead of every other is answered once the answer
    model clears ``lone_answer`` and its score ``lone_floor``; otherwise it is only named
    under a decline, and a close rival still means options."""
    n = len(FEATURES)
    # p(answer) = 1/(1+e^-0.2) ≈ 0.55 whatever the ranking; p(offer) ≈ 0.88.
    models = DecisionModels(
        DecisionModel(0.2, (0.0,) * n), DecisionModel(2.0, (0.0,) * n), Thresholds()
    )
    th = Thresholds(answer=0.65, offer=0.3, band=0.2, clarify_share=0.4)
    kb = KnowledgeBase(SMALL, models=models, thresholds=th)
    effects, who, sanluan = (e.id for e in SMALL)

    def ranking(*scored: tuple[str, float]) -> Ranking:
        return Ranking([(k, v, Signals(k, v, v, v, share=1.0)) for k, v in scored], 0.0, 1.0, 1.0)

    alone = ranking((effects, 0.8), (sanluan, 0.3))
    close = ranking((effects, 0.8), (who, 0.7))
    weak = ranking((effects, 0.45), (sanluan, 0.1))
    query = "诫勉以后多久能提拔"
    # Without the lone cuts (the defaults never pass) the lone entry is only named.
    assert kb.decide_ranking(query, alone).status == Status.NONE
    kb.thresholds = replace(th, lone_answer=0.5, lone_floor=0.5)
    answered = kb.decide_ranking(query, alone)
    assert answered.status == Status.ANSWER and answered.best is not None
    assert answered.best.entry.id == effects
    assert kb.decide_ranking(query, close).status == Status.CLARIFY
    declined = kb.decide_ranking(query, weak)
    assert declined.status == Status.NONE
    assert [c.entry.id for c in declined.candidates] == [effects]
    kb.thresholds = replace(th, lone_answer=0.6, lone_floor=0.5)
    assert kb.decide_ranking(query, alone).status == Status.NONE


def test_a_decline_names_nearby_entries_only_down_to_the_first_off_subject_one() -> None:
    """Below a better-scored entry that uses too little of the question, an entry that
    uses more is matching the context, not the subject: it is not suggested."""
    n = len(FEATURES)
    never = DecisionModels(
        DecisionModel(-9.0, (0.0,) * n), DecisionModel(-9.0, (0.0,) * n), Thresholds()
    )
    kb = KnowledgeBase(SMALL, models=never, thresholds=Thresholds(clarify_share=0.4))
    effects, who, sanluan = (e.id for e in SMALL)

    def ranking(*scored: tuple[str, float, float]) -> Ranking:
        return Ranking(
            [(k, v, Signals(k, v, v, v, share=share)) for k, v, share in scored], 0.0, 1.0, 1.0
        )

    on_subject = ranking((effects, 0.5, 0.9), (who, 0.4, 0.6), (sanluan, 0.3, 0.2))
    asked = "诫勉谈话这事问问"  # names both entries' subject (诫勉)
    declined = kb.decide_ranking(asked, on_subject)
    assert declined.status == Status.NONE
    assert [c.entry.id for c in declined.candidates] == [effects, who]
    context = ranking((effects, 0.5, 0.3), (who, 0.4, 0.6))
    assert kb.decide_ranking(asked, context).candidates == ()


def ranking_in_meaning(*scored: tuple[str, float, float, float]) -> Ranking:
    """A ranking of (entry id, score, share of the question's words, cosine in meaning)
    rows, every other signal equal to the score."""
    return Ranking(
        [(k, v, Signals(k, v, v, v, share=share, semantic=cos)) for k, v, share, cos in scored],
        0.0,
        1.0,
        1.0,
    )


def test_a_decline_does_not_name_an_entry_clearly_further_in_meaning() -> None:
    """An entry that shares the question's words but is clearly further in meaning than
    another candidate matches a context word, not the subject: a decline does not name it,
    while one about as close in meaning as the closest still is."""
    n = len(FEATURES)
    never = DecisionModels(
        DecisionModel(-9.0, (0.0,) * n), DecisionModel(-9.0, (0.0,) * n), Thresholds()
    )
    kb = KnowledgeBase(SMALL, models=never, thresholds=Thresholds(clarify_share=0.4))
    effects, who, sanluan = (e.id for e in SMALL)

    asked = "诫勉谈话这事问问"  # names both entries' subject (诫勉)
    gap = NEARBY_MEANING_GAP
    far = ranking_in_meaning((effects, 0.5, 0.9, 0.90), (who, 0.4, 0.3, 0.90 + 2 * gap))
    assert kb.decide_ranking(asked, far).candidates == ()
    near = ranking_in_meaning((effects, 0.5, 0.9, 0.90), (who, 0.4, 0.6, 0.90 + gap / 2))
    assert [c.entry.id for c in kb.decide_ranking(asked, near).candidates] == [effects, who]


def test_a_lone_close_entry_is_not_named_when_clearly_further_in_meaning() -> None:
    """The one close entry a decline names (the question names its subject) is held to the
    same rule: not named when another candidate is clearly closer in meaning."""
    n = len(FEATURES)
    offer_only = DecisionModels(
        DecisionModel(-9.0, (0.0,) * n), DecisionModel(9.0, (0.0,) * n), Thresholds()
    )
    kb = KnowledgeBase(SMALL, models=offer_only, thresholds=Thresholds(clarify_share=0.4))
    effects, who, _ = (e.id for e in SMALL)

    asked = "诫勉谈话这事问问"  # names the subject of both entries (诫勉)
    gap = NEARBY_MEANING_GAP
    # Only `effects` is within the band of the best score: the lone close entry.
    far = ranking_in_meaning((effects, 0.5, 0.9, 0.90), (who, 0.2, 0.3, 0.90 + 2 * gap))
    declined = kb.decide_ranking(asked, far)
    assert declined.status == Status.NONE
    assert declined.candidates == ()
    near = ranking_in_meaning((effects, 0.5, 0.9, 0.90), (who, 0.2, 0.3, 0.90 + gap / 2))
    named = kb.decide_ranking(asked, near)
    assert named.status == Status.NONE
    assert [c.entry.id for c in named.candidates] == [effects]


def test_an_entry_close_in_meaning_is_offered_though_it_shares_few_words() -> None:
    """A case told in a sentence shares few words with its rules: with ``option_meaning``
    set, entries that close in meaning are options (and nearby topics of a decline); an
    entry neither on the words nor close in meaning never is."""
    n = len(FEATURES)
    # p(answer) ≈ 0.12 (never answered), p(offer) ≈ 0.88 (options are offered).
    models = DecisionModels(
        DecisionModel(-2.0, (0.0,) * n), DecisionModel(2.0, (0.0,) * n), Thresholds()
    )
    words_only = Thresholds(offer=0.5, band=0.3, clarify_share=0.5)
    kb = KnowledgeBase(SMALL, models=models, thresholds=words_only)
    effects, who, sanluan = (e.id for e in SMALL)

    told = ranking_in_meaning(
        (effects, 0.5, 0.3, 0.95), (who, 0.45, 0.2, 0.93), (sanluan, 0.4, 0.2, 0.85)
    )
    query = "去年挨了一次谈话 今年单位推荐我当副科 行不行"
    # The words alone: no option uses half of the question's words, so nothing is offered.
    assert kb.decide_ranking(query, told).candidates == ()
    kb.thresholds = replace(words_only, option_meaning=0.9)
    offered = kb.decide_ranking(query, told)
    assert offered.status == Status.CLARIFY
    assert [c.entry.id for c in offered.candidates] == [effects, who]
    # One entry close in meaning is named under a decline, not offered as the answer.
    lone = ranking_in_meaning((effects, 0.5, 0.3, 0.95), (sanluan, 0.4, 0.2, 0.85))
    declined = kb.decide_ranking(query, lone)
    assert declined.status == Status.NONE
    assert [c.entry.id for c in declined.candidates] == [effects]


def test_a_decline_for_an_out_of_scope_subject_names_nothing_close_only_in_meaning() -> None:
    """明天下雨吗 matches an out-of-scope example; the calendar help is close in meaning but
    uses few of its words: the decline names no entry."""
    n = len(FEATURES)
    models = DecisionModels(
        DecisionModel(-2.0, (0.0,) * n), DecisionModel(2.0, (0.0,) * n), Thresholds()
    )
    th = Thresholds(offer=0.5, band=0.3, clarify_share=0.5, option_meaning=0.9)
    kb = KnowledgeBase(SMALL, models=models, thresholds=th)
    effects = SMALL[0].id
    signals = Signals(effects, 0.1, 0.1, 0.1, share=0.45, semantic=0.95)
    foreign = Ranking([(effects, 0.1, signals)], 0.3, 1.0, 1.0)
    declined = kb.decide_ranking("明天下雨吗", foreign)
    assert declined.status == Status.NONE and declined.candidates == ()
    # The same entry using enough of the words is named.
    on_words = Ranking([(effects, 0.1, replace(signals, share=0.6))], 0.3, 1.0, 1.0)
    asked = "诫勉谈话这事问问"
    assert [c.entry.id for c in kb.decide_ranking(asked, on_words).candidates] == [effects]


def test_a_decline_suggests_only_entries_whose_title_or_keywords_it_names() -> None:
    """An entry whose answer mentions pay (工资) and whose title asks 有什么影响 is not what
    工资什么时候发 is about: 工资 is only in its answer, 什么 is a word most entries use, so a
    decline suggests nothing; a message using a specific word of its title or keywords
    (降级) still gets it suggested."""
    demotion = Entry(
        id="discipline.govt.test_nearby",
        topic="discipline.govt",
        title="降级处分有什么影响",
        questions=["降级以后影响什么", "被降级了怎么办", "降级处分影响多久"],
        keywords=["降级", "级别"],
        answer="降级的，按降低后的级别确定工资。",
        basis=[Basis(doc="assistant_manual")],
    )
    never = DecisionModel(-9.0, (0.0,) * len(features_of(False)))
    models = DecisionModels(never, never, Thresholds())
    kb = KnowledgeBase([*loader.load_or_raise(), demotion], models=models, semantic=False)

    def declined(query: str) -> list[str]:
        scored = [(demotion.id, 0.3, Signals(demotion.id, 0.3, 0.3, 0.3, share=1.0))]
        decision = kb.decide_ranking(query, Ranking(scored, 0.0, 1.0, 1.0))
        assert decision.status == Status.NONE
        return [c.entry.id for c in decision.candidates]

    assert declined("工资什么时候发") == []
    assert declined("降级了工资什么时候发") == [demotion.id]


def test_a_document_named_in_brackets_is_context_not_the_subject() -> None:
    # An entry about the regulation itself shares every word of its name; the question
    # asks about one rule inside it. The name's words count at a fraction of their weight
    # when the rest of the question names something the rule base knows.
    regulation = entry(
        "discipline.party.regulation_history",
        "中国共产党纪律处分条例的修订历程",
        "中国共产党纪律处分条例修订过几次 纪律处分条例什么时候制定的 中国共产党纪律处分条例的历史",
        "中国共产党纪律处分条例 纪律处分条例 修订",
    )
    probation = entry(
        "discipline.party.probation",
        "留党察看的期限",
        "留党察看多久 留党察看期限是几年 留党察看最长多长时间",
        "留党察看 期限",
    )
    kb = KnowledgeBase([regulation, probation], semantic=False)
    asked = "《中国共产党纪律处分条例》对留党察看期限是如何规定的?"
    assert kb.score(asked)[0][0] == "discipline.party.probation"
    # Without the brackets nothing marks the name as context: the words decide as before.
    full = {k: v for k, v in kb.score(asked.replace("《", "").replace("》", ""))}
    assert (
        full["discipline.party.regulation_history"]
        > dict(kb.score(asked))["discipline.party.regulation_history"]
    )
    # When the rest names nothing the rule base knows, the name is the subject.
    assert kb.score("为什么要出台《中国共产党纪律处分条例》?")[0][0] == (
        "discipline.party.regulation_history"
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Raw pinyin, typed when the input method did not convert it.
        ("zuijia会判刑吗", "integrity.drunk.crime"),
        ("sanhui yike 都包括啥会", "party.life.three_meetings"),
        # Shorthand and slang of the lexicon (synonyms.yaml).
        ("严警的影响期多长", "discipline.party.serious_warning"),
        ("干部躺平 会被调整吗", "cadre.selection.unfit_adjust"),
        # Subjects added in the eleventh session.
        ("被双规是啥意思", "supervision.law.shuanggui"),
        ("老说反四风 四风到底指啥", "integrity.rules.eight_point_rules"),
        ("挪用公款炒股多少钱算犯罪", "crime.corruption.misappropriation"),
        ("2024年以后行贿处罚有啥变化", "crime.corruption.bribe_giving"),
        # An amount in Chinese numerals reads like the same amount in digits.
        ("受贿二十万判几年", "crime.corruption.amounts"),
        # Thirty-second session (a console walk): a numbered name in digits, four-letter
        # pinyin, fees for teaching by the hour.
        ("8项规定是啥", "integrity.rules.eight_point_rules"),
        ("违反8项规定 会怎样", "integrity.rules.eight_point_rules"),
        ("党员dubo咋处理", "discipline.party_violations.gambling"),
        ("兼课 课时费 能拿吗", "integrity.gap.part_time_fees"),
        # The first form's entry had 四种形态是什么 as its own question and drew it.
        ("四种形态是什么", "supervision.four_forms.overview"),
    ],
)
def test_pinyin_and_shorthand_reach_the_rule_they_name(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    """The repaired question is what both the words and the meaning signal read: a term
    typed as pinyin or in shorthand is answered as if written out."""
    _answered_with(kb, question, expected)


def _answered_with(kb: KnowledgeBase, question: str, expected: str) -> None:
    """Assert that ``question`` is answered outright, with ``expected``."""
    d = kb.decide(question)
    assert d.status == Status.ANSWER, (question, d.as_json())
    assert d.best is not None and d.best.entry.id == expected


def _reaches(kb: KnowledgeBase, question: str, expected: str) -> None:
    """Assert that ``expected`` is among the entries ``question`` is answered, offered or
    declined with (a decline names it as covered nearby)."""
    d = kb.decide(question)
    assert expected in [c.entry.id for c in d.candidates], (question, d.as_json())


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Time limits (twelfth session): none in party or government discipline; the
        # criminal one counted from the sentence band.
        ("违纪过了好多年 还有追诉期吗", "discipline.party_rules.time_limit"),
        ("老早以前犯的错 如今还能给政务处分吗", "discipline.govt.time_limit"),
        ("收钱的事过了二十年还能判吗", "crime.corruption.time_limit"),
        # Duty crimes beyond 贪污/受贿/行贿/挪用.
        ("审批出事了按滥用职权追刑责 一般判多久", "crime.duty.abuse_of_power"),
        ("局长媳妇收了钱替人办事 犯的啥罪", "crime.corruption.influence_bribery"),
        # 来路讲不清 is read as 来源不明 (a lexicon alias).
        ("家里钱来路讲不清楚 要坐牢吗", "crime.corruption.unexplained_wealth"),
        (
            "单位把结余的钱以发福利名义分给大家 算私分国有资产不",
            "crime.corruption.private_division",
        ),
        ("国有单位以单位名义收回扣 要判刑吗", "crime.corruption.unit_bribery"),
        ("给国有公司送钱办事 对单位行贿多少立案", "crime.corruption.bribing_unit"),
        # Money questions: expense standards, side jobs, pay during an investigation.
        ("办班培训人均每天花费上限", "integrity.eight.training_fee"),
        ("多报了几天出差补助 后果严重不", "integrity.eight.travel_overclaim"),
        ("大夫下班到民营医院看病挣钱 违规不", "discipline.institution.doctor_outside_practice"),
        ("被取保候审了工资还发吗", "discipline.execution.pay_during_investigation"),
        # The supervisors law.
        ("监察官等级有哪些", "supervision.law.supervisors_who"),
    ],
)
def test_subjects_added_in_the_twelfth_session_are_answered(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    """The subjects added in the twelfth session answer questions worded unlike any of
    their own (a character-similarity scan put none above 70 % of an entry question)."""
    _answered_with(kb, question, expected)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Money and gifts (thirteenth session).
        ("三公指的是哪几块开支", "integrity.eight.sangong_funds"),
        ("家长非要请班主任吃饭 班主任能赴宴吗", "integrity.rules.school_banquets"),
        ("钱没用完年末赶紧买东西花掉 违规吗", "integrity.eight.year_end_spending"),
        # Joining the party: the 2026 细则 is not read, the answers say which rules are 2014's.
        ("列为积极分子以后 考察几个月能往下走", "party.membership.activist_period"),
        ("给人当入党介绍人 要满足啥条件", "party.membership.introducer"),
        # 延期转正 is read as 延长预备期 (a lexicon alias).
        # Procedure.
        ("案件审理时审理室的人约我谈 谈些什么", "supervision.procedure.trial_talk"),
        ("巡视反馈意见收到后 整改报告啥时候交", "supervision.inspection_tour.rectify"),
        ("监委聘的特约监察员 平时干些啥", "supervision.law.special_supervisors"),
        # Second batch: remedies and procedure.
        ("监委给我的处分我不认 想走司法途径行不行", "supervision.review.lawsuit"),
        ("签了认罪认罚具结书 法官会不会另判", "supervision.law.plea_sentence"),
        ("受贿行贿一起查 对送钱的老板有啥限制", "supervision.procedure.briber_blacklist"),
        ("当天谈完就让回家的谈话 纪委有啥安全规定", "supervision.procedure.walk_in_talk"),
        # Cadres and their families.
        ("老婆孩子都办了外国永居 我这个职位还能干吗", "integrity.pm.naked_official"),
        ("到了年龄从局长位子上下来 改成几级调研员", "cadre.selection.age_step_down"),
        ("推荐会上票数不高 还有提拔的可能吗", "cadre.selection.recommendation"),
        # Everyday conduct.
        ("吃完饭骑电瓶车回去被查出酒精 要坐牢不", "integrity.drunk.ebike"),
        ("周三中午饭桌上喝了两杯 违反禁酒令吗", "integrity.eight.workday_lunch_alcohol"),
        ("培训会期间吃饭的钱从哪个科目出", "integrity.eight.meeting_meals"),
    ],
)
def test_subjects_added_in_the_thirteenth_session_are_answered(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    """The thirteenth session's subjects answer questions worded unlike any of their own
    (a character-similarity scan put none above 65 % of an entry question or a labelled row)."""
    _answered_with(kb, question, expected)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("从监委辞职了 能去律所代理案子吗", "supervision.law.supervisors_conduct"),
        (
            "上级领导托我照顾一下某个案子当事人 我该咋办",
            "discipline.party_violations.judicial_interference",
        ),
        ("上级开会让我们基层单位掏会务费 合规吗", "integrity.eight.cost_shifting"),
        ("想入党 整个程序怎么走", "party.membership.join_steps"),
        ("派出所的民警犯了错 谁来处理", "supervision.law.police_military"),
        ("支部选举来的人不够 多少人到场才算数", "party.life.election_quorum"),
        ("在外企上班的党员 业余做点兼职行吗", "discipline.party_violations.ordinary_member_jobs"),
    ],
)
def test_cases_told_in_a_sentence_reach_the_new_entries(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    """A case told in a sentence may not be answered outright (the decision is cautious
    with long questions), but the entry that answers it is offered or named nearby."""
    _reaches(kb, question, expected)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # The 2023 条例's chapters audited article by article (fourteenth session).
        (
            "退了休被以前管过的公司请去当顾问 纪律上允许吗",
            "discipline.party_violations.after_leaving",
        ),
        ("你关照我外甥 我关照你侄子 这种算违纪不", "discipline.party_violations.relatives_benefit"),
        ("对来办事的老百姓爱答不理 会挨处分不", "discipline.party_violations.mass_inaction"),
        ("村干部把低保名额给了自己亲戚 怎么处理", "discipline.party_violations.relief_favoritism"),
        ("提前把干部考察名单泄露出去 啥处分", "discipline.party_violations.org_secrets"),
        ("为了完成任务把统计数据改高了 党纪咋处理", "discipline.party_violations.false_reports"),
        ("给黑社会当靠山的干部 最少给什么处分", "discipline.party_violations.protective_umbrella"),
        ("村里财务收支一直不张榜公布 支书违纪吗", "discipline.party_violations.open_affairs"),
        (
            "在群里传某某领导被带走的小道消息 算违纪吗",
            "discipline.party_violations.political_rumor",
        ),
        (
            "领导为了政绩借钱搞大项目最后烂尾 要追究吗",
            "discipline.party_violations.vanity_projects",
        ),
        ("出轨被老婆举报到纪委 会开除党籍吗", "discipline.party_violations.improper_relations"),
        ("三重一大事项没集体讨论就定了 违纪吗", "discipline.party_violations.one_man_rule"),
        ("被审查时删了聊天记录还找人统一说法 算啥", "discipline.party_violations.obstruct_review"),
        ("离职以后帮亲戚公司找老部门办事 违纪不", "discipline.party_violations.after_leaving"),
        # Entries from the audits of the 问责条例, 党员权利保障条例, 选拔任用条例, 组织处理 and
        # 能上能下 rules, the 监督执纪 and 检举控告 rules and the 2025 厉行节约条例.
        ("国企中层能不能适用干部能上能下", "cadre.selection.can_down_scope"),
        ("提拔后任职时间从公示结束算还是从常委会算", "cadre.selection.term_start"),
        ("在一个岗位干久了必须轮岗吗", "cadre.selection.exchange"),
        ("实名举报了局长 现在天天被穿小鞋", "supervision.clues.retaliation"),
        ("停职检查一般停多长时间", "org.handling.suspension"),
        ("县委书记能回自己长大的县任职吗", "civil_servant.law.recusal_region"),
        ("退休了办公室还一直占着 行不行", "integrity.eight.office_vacate"),
        ("公费出国考察带家属 行吗", "integrity.eight.abroad_trip"),
        ("全市工作会能不能放在景区酒店开", "integrity.eight.meeting"),
        ("机动巡视跟常规巡视有啥不同", "supervision.inspection_tour.types"),
        ("党课是不是每个季度都得上一次", "party.life.three_meetings"),
        ("试用期里的公务员 年度考核给等次吗", "assess.annual.cs_special_cases"),
        ("有领导打招呼让照顾某个投标的 要登记吗", "discipline.party_violations.meddling_report"),
        ("副职发现一把手违纪 可以直接向上反映吗", "leader.members.report_top"),
    ],
)
def test_subjects_from_the_audits_of_todays_rules_are_answered(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    """Subjects added or amended after auditing today's regulations article by article (the
    2023 纪律处分条例's discipline chapters first, then the others; docs/audits/) answer
    questions worded unlike their own (none above 65 % similar to an entry question or a
    labelled row)."""
    _answered_with(kb, question, expected)


def test_a_file_fraud_question_puts_the_fraud_entry_first(kb: KnowledgeBase) -> None:
    """Changing one's birth date in the file for a promotion is 档案造假: the fraud entry comes
    first. Since the twenty-first session the personnel-file and 三龄两历 entries sit next to it
    and share its words (档案, 出生), so offering them as the other options is acceptable; a
    decline or another entry first is not."""
    d = kb.decide("为了提拔把档案里的出生年份改了 会咋样")
    assert d.status in (Status.ANSWER, Status.CLARIFY), d.as_json()
    assert d.best is not None and d.best.entry.id == "discipline.party_violations.file_fraud"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("党员跟女同事搞暧昧 同居了 给啥处分", "discipline.party_violations.improper_relations"),
        ("遇到矛盾就躲 怕担责任 这种干部会被处理吗", "discipline.party_violations.lying_flat"),
        ("群众反映的问题拖了半年不办 会被处分吗", "discipline.party_violations.mass_inaction"),
        ("把巡察组谈话内容告诉了被谈的人 算违纪不", "discipline.party_violations.org_secrets"),
        (
            "有人说花钱能帮我搞定提拔 我给了钱 会处分我吗",
            "discipline.party_violations.political_fraudster",
        ),
        # The other audited regulations.
        ("纪委说要对局长组织处理 最后谁拍板", "org.handling.procedure"),
        ("对支部决议有保留意见 还得照办吗", "party.life.dissent_criticism"),
        ("病了一年多没上班 领导职务会被拿掉吗", "cadre.selection.removal_cases"),
        ("非党干部 问责条例管不管", "account.reg.objects"),
        ("领导叫我办的事违法 我照做了 出了事算谁的", "account.regulation.leniency"),
        ("出差去的单位请吃饭 能去吗", "integrity.eight.travel"),
        ("巡察组进驻后重点看些什么", "supervision.inspection_tour.focus"),
        ("巡视整改的第一责任人是谁", "supervision.inspection_tour.rectify"),
        ("评优秀要公示几个工作日", "assess.annual.cs_excellent_bar"),
        ("县纪委多久向市纪委报告一次工作", "resp.oversight.report_upper"),
    ],
)
def test_cases_on_the_audited_rules_reach_their_entries(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    """A case about an audited rule that the decision is cautious with is still answered, or
    offered or named with the entry that answers it."""
    _reaches(kb, question, expected)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Subjects a fresh batch of real questions asked often that had no entry (sixteenth
        # session), asked in words unlike the entries' own.
        ("外企销售拿客户好处费 会坐牢吗", "crime.corruption.non_state_bribery"),
        ("村会计把扶贫款吞了 按贪污判吗", "crime.corruption.village_cadres"),
        ("贪的钱赶紧让家里人退了 法院会轻判吗", "crime.corruption.return_loot"),
        ("监委留置跟派出所拘留有啥两样", "supervision.law.detention_vs_criminal"),
        ("事业编想离职 提前多少天打招呼", "discipline.institution.resign"),
        ("纪委谈完话叫我写个说明 要几天交上去", "supervision.clues.written_explanation"),
        ("好几个人一起收的钱 处分按谁拿得多算吗", "discipline.party_rules.joint_violation"),
        ("年轻时蹲过几年监狱 现在还有资格入党吗", "party.membership.join_with_record"),
        ("预备期快满了要调去外地 转正在哪边讨论", "party.membership.probation_overdue_move"),
        ("职务犯罪退了赃 能不能争取个缓刑", "crime.corruption.probation"),
        ("工会年底给大家发超市购物卡 行不行", "integrity.eight.union_funds"),
        ("局长办公室里面套了个小间放床 面积另算吗", "integrity.eight.office_area_rules"),
        # Answered in the thirteenth session; since the 共同违纪/集体违纪 entry, close in
        # meaning to "重大事情都是我拍板", the answer model is at its cut and names it instead.
        ("媳妇办的厂子 重大事情都是我拍板 算不算经商", "integrity.family.cadre_in_decisions"),
        # Subjects the readable sets' [] rows asked (twenty-first session), in words unlike the
        # entries' own.
        ("表姐在卫生院当院长 我能报那儿的会计岗吗", "civil_servant.law.institution_recusal_kin"),
        ("事业编旷工快二十天了 单位能直接解聘吗", "civil_servant.law.institution_dismissal"),
        ("被记了严重警告 这个月党费照交不", "party.membership.dues_under_sanction"),
        ("支委中途走了俩 补上的人任期咋算", "party.life.committee_term_count"),
        ("把上面拨的救灾物资挪去办别的事 犯法不", "crime.corruption.special_funds"),
        ("每天好几个政务app打卡 有规定管吗", "discipline.party_violations.fingertip"),
        ("单位评上文明单位 每人发两千块行吗", "integrity.eight.bonus_items"),
        ("被判缓刑的人 以后找工作要不要说", "crime.corruption.criminal_record"),
        ("取保候审到期了案子还没判 咋整", "supervision.procedure.bail_residence"),
        ("判决书收到了 上诉最晚哪天", "supervision.procedure.criminal_appeal"),
        ("人事档案在我自己手里 要紧不", "cadre.selection.personnel_file_custody"),
        ("嘉奖一次奖多少钱", "civil_servant.law.rewards"),
    ],
)
def test_subjects_real_questions_asked_often_reach_their_new_entries(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    """The entries added for subjects often asked in real questions are answered, offered
    or named for a question about them."""
    _reaches(kb, question, expected)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Subjects real questions asked that no entry covered (seventeenth session), asked in
        # words unlike the entries' own (each below 65% similarity to any entry question or
        # labelled row).
        ("判了死缓又加终身监禁 以后还有机会出来吗", "crime.corruption.life_term_commutation"),
        ("检察院反贪局撤了 现在检察官还办哪些案", "supervision.law.procuratorate_investigation"),
        ("被关了五个月留置 后来撤案了 能找国家要钱吗", "supervision.review.state_compensation"),
        ("刚批成预备党员 啥时候念誓词", "party.membership.admission_oath"),
        ("支部选5个委员 提名几个人才合规", "party.life.election_candidate_margin"),
        ("下班后回小区当志愿者 单位要求登记 有文件规定吗", "party.life.community_report"),
        ("开会时领导点烟 算违反规定吗", "integrity.rules.smoking_ban"),
        ("欠钱不还上了法院黑名单 党员会挨处分吗", "discipline.party_violations.dishonest_debtor"),
        (
            "亲戚拉我投一个年息20%的项目 我是党员能投吗",
            "discipline.party_violations.illegal_fundraising",
        ),
        ("刚考进机关第一年 能不能借调到别的单位", "civil_servant.law.new_recruit_probation"),
        ("家里空着一套房 租给别人 公职人员可以吗", "civil_servant.law.property_income"),
        ("炒币亏了几万 我是科级干部 会被查吗", "integrity.rules.virtual_currency"),
        # Village self-government and rural party organisations (eighteenth session), in the
        # words villagers and township staff use (村长, 村里定的规矩, 嫁出去的闺女).
        ("村里的财务账目要多久贴出来一次", "rural.village.affairs_open"),
        ("想把不干事的村委委员罢免掉 要走什么程序", "rural.village.election_recall"),
        ("村集体的鱼塘要承包出去 村委会几个人说了就算吗", "rural.village.major_decisions"),
        ("村委会主任干满一届下来 要不要做经济审计", "rural.village.review_audit"),
        ("村里定的规矩不让嫁出去的闺女分红 合法吗", "rural.village.annul_decision"),
        ("村里要修路花集体的钱 是不是得先开党员大会审议", "rural.village.four_two"),
        ("村书记同时当村委会主任 还需要村民选举吗", "rural.village.one_shoulder"),
        ("有过判刑记录的人 能报名参加村两委换届吗", "rural.village.candidate_bars"),
        ("村务监督委员会的成员都是怎么选出来的", "rural.village.supervision_committee"),
        ("村干部手里的小权力 现在靠什么管住", "rural.village.who_supervises"),
        ("村会计把集体的钱放自己银行卡里", "rural.village.collective_managers"),
        ("土地补偿费的分配方案 要多少成员同意才行", "rural.village.collective_decisions"),
        (
            "我考进了县里当公务员 老家村里的分红还有我的份吗",
            "rural.village.collective_member_status",
        ),
        # 卖地的钱 is how villagers say 征地补偿款.
        ("村里卖地的钱咋分 谁定", "rural.village.collective_decisions"),
        # The 2026 监察工作信息公开条例.
        ("受了政务处分 名字会不会被挂到网上", "supervision.law.info_disclosure"),
        ("监委办的案子 啥情况下会对外公布", "supervision.law.info_disclosure"),
        # Urban residents' committees under the 2025 城市居民委员会组织法 (nineteenth session).
        ("在社区上班半年了 户口不在这 能不能投票选居委会", "urban.community.election"),
        ("社区收的捐款花哪了要公示吗", "urban.community.open_meetings"),
        ("居委会主任干完一届 离任时要查账吗", "urban.community.supervision"),
        ("居监会的人能不能由居委会委员的亲戚来当", "urban.community.supervision"),
        ("区里的部门把活委托给社区干 钱该谁掏", "urban.community.govt_tasks"),
        ("社区书记再去兼个居委会主任 法律上允许不", "urban.community.law_2025"),
        ("居委会的成员两口子都在里面 合规吗", "urban.community.law_2025"),
        # A member who vanishes or dies after a violation (2023 条例 第三十七、三十八条).
        (
            "有个党员犯了错就跑外地去了 半年多没音讯 支部咋处理",
            "discipline.party_rules.missing_or_dead",
        ),
        ("违纪干部病逝了 还出处分决定吗", "discipline.party_rules.missing_or_dead"),
        # 借调 and 挂职 (nineteenth session).
        ("上级机关把我借过去一年多了 不放人回来 这合规吗", "civil_servant.law.secondment"),
        ("县里老是从乡镇抽人上去帮忙 有没有文件管", "civil_servant.law.secondment"),
        ("派我下去挂职两年 工资还是原单位发吗", "civil_servant.law.attachment"),
        ("挂职锻炼跟借调是一回事吗", "civil_servant.law.attachment"),
        # Judges and prosecutors and the bar (法官法、检察官法, twentieth session).
        ("媳妇在我们法院辖区的律所当合伙人 我得调岗吗", "civil_servant.law.judges_lawyers"),
        ("从检察院出来满两年了 能接刑事辩护吗", "civil_servant.law.judges_lawyers"),
        ("以前在这个法院审过的案子 辞职后能当代理律师吗", "civil_servant.law.judges_lawyers"),
        # A civil servant's retirement and the 2025 delay (公务员法 第九十二、九十三条).
        ("参加工作满30年了 公务员能申请早点退吗", "civil_servant.law.retirement"),
        ("延迟退休后男干部到底几岁退", "civil_servant.law.retirement"),
        # 聘任制公务员 (公务员法 第十六章).
        ("单位招的聘任制公务员 合同一般签几年", "civil_servant.law.contract_post"),
        ("公务员能去哪控告领导侵犯我的权益", "civil_servant.law.appeal"),
    ],
)
def test_subjects_asked_but_uncovered_reach_their_new_entries(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    """The entries added for subjects asked but not covered (终身监禁, 检察院自侦, 国家赔偿,
    入党宣誓, 差额选举, 社区报到, 禁烟, 失信, 非法集资, 试用期, 出租房屋, 虚拟货币, the thirteen
    village and collective-organisation entries, 监察工作信息公开, the five 居委会 entries, a
    member who vanishes or dies after a violation, 借调 and 挂职, judges and prosecutors leaving
    for the bar, a civil servant's retirement, 聘任制公务员, 控告) are answered, offered or named
    for a question about them."""
    _reaches(kb, question, expected)


# Twenty-third session: the decision models were refitted with cases told in a sentence among
# their training rows (bench/calibrate_retrieval.py, CASES). They answer more cautiously: these
# questions, answered outright before, are now offered with their rule as the first option
# (on the held-out sets the refit gave fewer wrong answers and more found, BENCHMARKS.md).
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("二缓三的公务员会被开除吗", "discipline.govt.crime"),
        ("财产比工资多出一大截说不清 会判刑吗", "crime.corruption.unexplained_wealth"),
        ("出差一天吃饭能补多少钱", "integrity.eight.travel_standards"),
        ("公务员下班跑滴滴挣钱违纪吗", "civil_servant.law.side_jobs"),
        ("延期转正会记处分吗", "party.membership.probation_not_sanction"),
        ("科室干部吃拿卡要 分管领导会被党纪处分吗", "account.circumstances.subordinate"),
        ("支部大会表决 过半数是按来了的人算吗", "party.life.branch_meeting_vote"),
        # Twenty-fourth session: nine entries for the 2023 条例's uncovered articles moved this
        # one just under the answer cut (answer chance 0.749 against 0.75); its rule stays first.
        ("向上级汇报故意隐瞒问题 怎么处分", "discipline.party_violations.false_reports"),
        # Thirty-sixth session: won back by a second question on leaving within the
        # minimum service period (公务员刚干了两年 想辞职行不行).
        ("刚进机关三年 公务员能不能辞职走人", "civil_servant.law.min_service_period"),
    ],
)
def test_questions_the_cautious_models_offer_with_their_rule_first(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    d = kb.decide(question)
    assert d.status in (Status.ANSWER, Status.CLARIFY), (question, d.as_json())
    assert d.best is not None and d.best.entry.id == expected


# Questions the refit lost: reached before, now declined without their rule (the right entry
# ranks first or close, but the models are not sure enough to offer it). Kept here so the loss
# stays in view; strict, so a change that wins them back must move them to the lists above.
@pytest.mark.xfail(strict=True, reason="lost to the refit of the twenty-third session")
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("我爸受过记过处分 我报公务员会受影响不", "civil_servant.law.relatives_vetting"),
        ("纪委审查我时 我能要求看证据材料吗", "discipline.execution.member_rights_guard"),
        (
            "给县信访局写了信 一个多月没动静 他们最晚什么时候得办完",
            "supervision.clues.petition_time_limits",
        ),
    ],
)
def test_questions_the_refit_lost(kb: KnowledgeBase, question: str, expected: str) -> None:
    _reaches(kb, question, expected)


def test_a_measure_word_before_the_gift_does_not_lose_it(kb: KnowledgeBase) -> None:
    """收了张购物卡怎么办 (一张 without its 一) had been declined: 张 was a content word."""
    _reaches(kb, "收了张购物卡怎么办", "integrity.rules.gifts")


def test_a_phone_or_app_problem_is_off_topic(kb: KnowledgeBase) -> None:
    """我手机微信老闪退咋整 had been declined as a question the rules miss, with the button
    that passes it to staff."""
    decision = kb.decide("我手机微信老闪退咋整")
    assert decision.status == Status.NONE and decision.off_topic
