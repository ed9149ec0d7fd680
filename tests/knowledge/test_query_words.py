"""Which words of a question count: stopwords go whole with their parts, question frames and
the asker's own time (去年, 下周) are not the subject."""

from __future__ import annotations

import pytest

from knowledge.retrieval import KnowledgeBase
from knowledge.text import AliasTable, Analyzer


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(["留置", "诫勉", "廉政考核"], aliases=AliasTable({}))


def test_a_stopword_goes_with_its_parts() -> None:
    plain = Analyzer(["留置"], aliases=AliasTable({}), stopwords=frozenset({"前提条件"}))
    # jieba's search mode would also yield 前提, 条件 and 提条件 from 前提条件.
    assert plain.words("留置前提条件") == ["留置"]


def test_parts_of_a_content_word_still_count(analyzer: Analyzer) -> None:
    words = analyzer.words("廉政考核怎么搞")
    assert {"廉政", "考核", "廉政考核"} <= set(words)


@pytest.mark.parametrize(
    ("question", "gone"),
    [
        ("纪委为啥找我谈话", {"为啥"}),
        ("为什么要开民主生活会", {"为什么", "什么"}),
        ("我是一名科员，之前被诫勉过", {"一名", "之前"}),
        ("去年被诫勉，明年能提拔吗", {"去年", "明年"}),
        ("下周检查组进驻要准备什么", {"下周"}),
    ],
)
def test_question_frames_and_the_askers_time_are_not_words(
    analyzer: Analyzer, question: str, gone: set[str]
) -> None:
    assert not gone & set(analyzer.words(question))


@pytest.mark.parametrize(
    ("question", "without"),
    [
        ("下乡餐费2024最新规定", "下乡餐费最新规定"),
        ("下乡餐费2025年最新规定", "下乡餐费最新规定"),
        ("下乡餐费最新2026年规定", "下乡餐费最新规定"),
        ("酒驾处罚新标准2023", "酒驾处罚新标准"),
    ],
)
def test_a_year_asking_for_the_latest_rule_is_not_a_word(
    analyzer: Analyzer, question: str, without: str
) -> None:
    assert analyzer.words(question) == analyzer.words(without)


def test_a_year_naming_a_document_stays(analyzer: Analyzer) -> None:
    assert "2016" in analyzer.words("2016年那个准则替代了哪个文件")


@pytest.mark.parametrize(
    ("typed", "standard"),
    [
        ("公车私用咋处理", "公车私用怎么处理"),
        ("收了礼金咋办", "收了礼金怎么办"),
        ("诫勉是啥意思", "诫勉是什么意思"),
        ("为啥要开民主生活会", "为什么要开民主生活会"),
        ("啥时候报个人事项", "什么时候报个人事项"),
        ("俺收了两条烟肿么办", "我收了两条烟怎么办"),
        ("偶收了人家两条烟咩事吧", "我收了人家两条烟没事吧"),
        ("木有报告个人事项 神马后果", "没有报告个人事项 什么后果"),
        ("能报销加班餐咩", "能报销加班餐吗"),
        ("跑滴滴犯法不", "跑滴滴犯法吗"),
        ("老婆开店要报备撒", "老婆开店要报备吗"),
        ("生日宴摆两桌得行不？", "生日宴摆两桌可以吗？"),
    ],
)
def test_colloquial_question_words_read_as_the_standard_ones(
    analyzer: Analyzer, typed: str, standard: str
) -> None:
    # The rules' own questions are written in the standard forms, and the character-level
    # match compares the prepared texts.
    assert analyzer.prepare(typed) == analyzer.prepare(standard)


@pytest.mark.parametrize("text", ["要不", "是不", "不得不"])
def test_a_closing_bu_that_is_not_a_particle_stays(analyzer: Analyzer, text: str) -> None:
    assert analyzer.prepare(text).endswith("不")


@pytest.mark.parametrize("text", ["配偶经商要报告吗", "偶尔打麻将算赌博吗", "他 偶然收了一次礼"])
def test_ou_stays_where_it_is_part_of_a_word(analyzer: Analyzer, text: str) -> None:
    # 偶 is read as 我 only where it opens a clause on its own.
    assert "我" not in analyzer.prepare(text)


def test_a_count_in_digits_reads_as_the_rules_ask_it() -> None:
    # The alias table reads 摆几桌 as 大操大办; 摆10桌 must reach it too.
    aliases = AliasTable({"大操大办": ["摆几桌"]})
    plain = Analyzer(["大操大办"], aliases=aliases, stopwords=frozenset({"几块"}))
    assert plain.prepare("儿子结婚摆10桌行吗") == plain.prepare("儿子结婚摆几桌行吗")
    assert "大操大办" in plain.words("儿子结婚摆10桌行吗")
    # A sum of money names no rule: 收了500块红包 asks what 收了红包 asks.
    assert plain.words("收了500块红包") == plain.words("收了红包")
    assert "2016" in plain.words("2016年的准则")


def test_a_rules_numbered_name_typed_in_digits_stays_its_name() -> None:
    """8项规定 is 八项规定 (the count rule had made it 几项规定, a rule of nothing); the
    shipped shorthand table says so, and other numbered names alike."""
    analyzer = Analyzer(["八项规定", "四种形态", "三会一课"])
    for typed, named in (
        ("违反8项规定会怎样", "八项规定"),
        ("4种形态是什么", "四种形态"),
        ("3会1课多久开一次", "三会一课"),
    ):
        assert named in analyzer.prepare(typed), typed
    assert "10" not in analyzer.prepare("儿子结婚摆10桌行吗")  # counts are still counts


@pytest.mark.parametrize(
    ("question", "reads_as", "not_as"),
    [
        # How people name an affair and card games; the entries say 不正当性关系 and 打牌.
        ("有婚外情被举报了 党纪怎么处理", "不正当性关系", None),
        ("跟同事斗地主 有事没", "打牌", None),
        # 一把 is a measure word (五块一把: a stake per hand), not short for 一把手.
        ("跟同事打牌五块一把 有事没", "打牌", "一把手"),
        # Everyday wordings of the rules' own terms, from a phone-style walk.
        ("虚报统计数字咋处理", "统计造假", None),
        ("表弟开公司 我能帮他揽工程吗", "亲属", None),
        ("透露案情给被调查人 什么处分", "跑风漏气", None),
        ("老科长退了休去企业当顾问行不行", "退休", None),
    ],
)
def test_the_lexicon_reads_everyday_words_as_the_rule_terms(
    kb: KnowledgeBase, question: str, reads_as: str, not_as: str | None
) -> None:
    words = kb.query_words(question)
    assert reads_as in words
    if not_as is not None:
        assert not_as not in words


@pytest.mark.parametrize(
    ("question", "split", "whole"),
    [
        ("公务员才干两年 能辞职不", {"才", "干"}, "才干"),
        ("公务员能干副业吗", {"干"}, "能干"),
    ],
)
def test_a_dictionary_word_that_is_two_words_here_is_split(
    question: str, split: set[str], whole: str
) -> None:
    # jieba reads 才干 ("talent") and 能干 ("capable") whole; typed here they are 才 + 干
    # ("only worked") and 能 + 干 ("may do"), and read whole they match nothing.
    terms = ["辞职", "副业"]
    assert whole in Analyzer(terms, aliases=AliasTable({}), split_words=[]).words(question)
    words = Analyzer(terms, aliases=AliasTable({})).words(question)
    assert split <= set(words)
    assert whole not in words


def test_worked_only_two_years_reaches_the_service_period_entry(kb: KnowledgeBase) -> None:
    decision = kb.decide("公务员才干两年 能辞职不")
    assert "civil_servant.law.min_service_period" in [c.entry.id for c in decision.candidates]


def test_a_latin_variant_is_read_only_as_a_whole_word() -> None:
    """dy (抖音) had turned study into stu抖音 and nobody into nobo抖音."""
    aliases = AliasTable({"抖音": ["dy"], "纪委": ["jw"], "处分": ["sanction"]})
    assert aliases.rewrite("do i have to study") == "do i have to study"
    assert aliases.rewrite("nobody told me") == "nobody told me"
    assert aliases.rewrite("dy上发视频") == "抖音上发视频"
    assert aliases.rewrite("在dy发视频 jw找我") == "在抖音发视频 纪委找我"
    assert aliases.rewrite("a sanction") == "a 处分"


def test_a_typo_is_not_repaired_across_an_alias_just_written() -> None:
    """老婆生孩子 had read as 亲属省亲属: 孩子 was written as 亲属 first, and 生亲 then sounded
    like the term 省亲. Typos are repaired in the words as typed, before any alias."""
    analyzer = Analyzer(["省亲", "亲属", "礼金"], aliases=AliasTable({"亲属": ["孩子", "老婆"]}))
    prepared = analyzer.prepare("局里小王老婆生孩子 还收了礼")
    assert "省亲" not in prepared and "生亲属" in prepared
    assert analyzer.prepare("收了理金") == "收了礼金"  # a typo typed is still repaired


@pytest.mark.parametrize(
    ("question", "gone", "kept"),
    [
        # The post that opens a story is who did it, not what is asked about.
        ("站长接受宴请", "站长", "宴请"),
        ("我们科长收了两箱酒", "科长", "收了"),
        ("副局长去年接受老板宴请", "副局长", "老板"),
    ],
)
def test_a_post_opening_a_story_is_the_actor_not_the_subject(
    question: str, gone: str, kept: str
) -> None:
    analyzer = Analyzer(["宴请", "一把手"], aliases=AliasTable({}))
    prepared = analyzer.prepare(question)
    assert gone not in prepared and kept in prepared


def test_a_post_asked_about_stays() -> None:
    """局长能兼职吗 asks about what a principal may do: the post is the subject."""
    analyzer = Analyzer(["兼职", "一把手"], aliases=AliasTable({"一把手": ["局长"]}))
    assert "一把手" in analyzer.prepare("局长能兼职吗")
    assert "一把手" in analyzer.prepare("局长把家里的发票拿到下属单位报了")


def test_an_amount_with_more_than_reads_as_a_count() -> None:
    """赚了二十多万 / 收了20多万: "some tens of thousands" is an amount as 二十万 is."""
    analyzer = Analyzer(["炒股"], aliases=AliasTable({}))
    assert analyzer.prepare("上班时间炒股 赚了二十多万") == "上班时间炒股 赚了几万"
    assert analyzer.prepare("收了20多万") == "收了几万"
    assert analyzer.prepare("20多个人") == "20多个人"  # people, not money: left alone


def test_tables_in_chinese_numerals_read_as_a_count() -> None:
    """请了十几桌 / 摆了二十桌 ask what 摆10桌 asks; 一桌餐 is a rule's own name."""
    analyzer = Analyzer(["大操大办", "一桌餐"], aliases=AliasTable({}))
    assert analyzer.prepare("请了十几桌") == "请了几桌"
    assert analyzer.prepare("摆了二十多桌") == "摆了几桌"
    assert analyzer.prepare("摆了几十桌") == "摆了几桌"
    assert analyzer.prepare("一桌餐") == "一桌餐"
