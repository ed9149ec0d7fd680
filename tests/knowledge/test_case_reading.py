"""Cases told in a sentence are read as the conduct they describe (knowledge.case_reading)."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.case_reading import CasePattern, CaseReading
from knowledge.retrieval import KnowledgeBase, Status


@pytest.fixture(scope="module")
def cases() -> CaseReading:
    return CaseReading.load()


@pytest.mark.parametrize(
    ("question", "concept"),
    [
        ("过年有包工头往我家门口放了两箱酒", "收受礼品"),
        ("服务对象拎着三盒茶叶来办公室", "收受礼品"),
        ("找辖区老板借了10万", "借钱"),
        ("开单位皮卡拉装修材料", "公车私用"),
        ("媳妇在镇上开建材店", "亲属经商"),
        ("下班跟同事斗地主五块一把", "赌博"),
        ("外面民营医院叫去做麻醉", "多点执业"),
        ("在杭州开完会 周末自己逛了两天西湖", "公款旅游"),
        ("闺女出嫁摆了30桌", "大操大办"),
        ("收了一张5000块的卡", "收受礼品"),  # a card with no kind named
        ("干部在老家开农家乐 行不", "经商办企业"),  # the bare verb right before it
        ("公车顺路接下孩子放学也不行", "公车私用"),  # 接下孩子, not 接孩子
        ("同事去年被诫勉了 今年单位想提他当副科", "提拔"),
        ("儿子在国外读书要报吗", "个人有关事项"),
        ("村会计把集体的钱借给亲戚做生意", "挪用"),
        ("村支书仗着家里兄弟多 强占别人家宅基地还打人", "欺压群众"),
        ("把支付宝账号借给别人收款", "出租银行卡"),
        ("借微信账号给别人收钱", "出租银行卡"),
        ("同事挂着编制三年没见人了 工资一分不少", "吃空饷"),
        ("一年多没来上班 工资照发", "吃空饷"),
    ],
)
def test_a_case_is_read_as_its_conduct(cases: CaseReading, question: str, concept: str) -> None:
    assert concept in cases.concepts(question)


@pytest.mark.parametrize(
    "sentence",
    [
        "开完会住酒店",  # 店 inside 酒店 is no business
        "收了5万 够判刑了吧",  # a bare sum taken may be a bribe: left to the words
        "讲课费标准 一学时多少钱",  # the fee rule, not a side job
        "放假了 同事约着喝茶",
        "送孩子上学路上堵车",
        "我老婆在医院做手术",  # a patient, not a doctor working elsewhere
        "办了张银行的卡",  # no giving or taking
        "开会讨论公司改制",  # 开 is no business opened there
        "组织准备提我当副局长",  # one's own promotion: the circumstance is the subject
        "在国外读书的感受",  # no report asked about
        "强占耕地建房要拆吗",  # taking land without force against anyone
        "支付宝账号忘了密码怎么办",  # an account, lent to no one
        "把钱借给别人",  # money lent, not an account
        "今天没来上班 请了病假",  # absent, with no pay said to go on
    ],
)
def test_an_ordinary_sentence_names_no_conduct(cases: CaseReading, sentence: str) -> None:
    assert cases.concepts(sentence) == []


def test_a_term_already_typed_is_not_added(cases: CaseReading) -> None:
    assert "收受礼品" not in cases.concepts("收受礼品 包工头放了两箱酒")


def test_number_stands_for_any_amount() -> None:
    reading = CaseReading({"借钱": [CasePattern((("借了",), ("{数}万",)))]})
    for amount in ("10", "二十", "两", "几", "1.5"):
        assert reading.concepts(f"借了{amount}万") == ["借钱"]
    assert reading.concepts("借了很多万") == []


def test_gap_limits_how_far_apart_the_parts_may_be() -> None:
    touching = CaseReading({"收受礼品": [CasePattern((("两",), ("箱",), ("酒",)), gap=0)]})
    assert touching.concepts("两箱酒") == ["收受礼品"]
    assert touching.concepts("两个人 一箱 喝酒") == []


@pytest.mark.parametrize("raw", [[["送了"]], "送了 酒", [["送了"], "酒"], {"gap": 2}])
def test_a_malformed_pattern_is_refused(raw: object) -> None:
    with pytest.raises(ValueError):
        CaseReading({"收受礼品": [CasePattern.read(raw, 8)]})


def test_every_concept_term_is_a_word_the_rules_use(cases: CaseReading, kb: KnowledgeBase) -> None:
    # A term no entry is indexed under would add a foreign word: the question's score would
    # sink instead of rise.
    for term in cases.terms:
        words = [w for w in kb.query_words(term) if len(w) >= 2]
        assert words and all(w in kb.entry_terms for w in words), term


def test_a_gift_left_at_the_door_reaches_the_gift_rules(kb: KnowledgeBase) -> None:
    question = "过年有包工头往我家门口放了两箱酒 人联系不上 咋处理"
    # The term is added; the case's own words stay.
    assert kb.in_rule_terms(question) == f"{question} 收受礼品"
    assert kb.in_rule_terms("今天天气不错") == "今天天气不错"
    first = kb.score(kb.in_rule_terms(question), limit=1)[0][0]
    assert first in {"integrity.rules.gifts", "integrity.eight.holiday_gifts"}


def test_a_unit_pickup_truck_driven_for_oneself_is_about_public_cars(kb: KnowledgeBase) -> None:
    decision = kb.decide("开单位皮卡拉装修材料 党员咋处理")
    assert decision.status != Status.NONE
    assert {c.entry.id for c in decision.candidates} & {
        "integrity.rules.public_cars",
        "integrity.eight.car_private",
    }
    # The reply quotes the question as typed, not with the added term.
    assert decision.query == "开单位皮卡拉装修材料 党员咋处理"


def test_a_term_an_alias_already_gives_is_not_added_again(kb: KnowledgeBase) -> None:
    # 办几桌 is an alias of 大操大办: the pattern also fires, the term must count once.
    assert kb.in_rule_terms("儿子结婚办几桌") == "儿子结婚办几桌"


def test_a_word_may_refuse_what_follows_it() -> None:
    reading = CaseReading({"收受礼品": [CasePattern((("放在",), ("酒!店",)))]})
    assert reading.concepts("放在门口两箱酒") == ["收受礼品"]
    assert reading.concepts("全市工作会能不能放在景区酒店开") == []


def test_a_concept_written_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "case_patterns.yaml"
    path.write_text(
        "concepts:\n  酒驾:\n    - [[喝了酒], [开车]]\n  酒驾:\n    - [[吹了], ['{数}']]\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="酒驾"):
        CaseReading.load(path)
