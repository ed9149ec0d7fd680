"""Sound-alike typo repair: real typos of domain terms are fixed, ordinary words are not."""

from __future__ import annotations

import pytest

from knowledge.text import AliasTable, Analyzer
from knowledge.word_lists import load_plain_words

TERMS = [
    "诫勉",
    "提拔",
    "党籍",
    "礼金",
    "失职",
    "检举",
    "在职",
    "年终",
    "书记",
    "副科级",
    "合格",
    "罚金",
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(TERMS, aliases=AliasTable({}), plain_words=["年中", "住建局", "津补贴"])


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("被诫免了还能题拔吗", "被诫勉了还能提拔吗"),
        ("开除党集的人能再入党吗", "开除党籍的人能再入党吗"),
        ("收了理金怎么办", "收了礼金怎么办"),
    ],
)
def test_a_typo_of_a_term_is_repaired(analyzer: Analyzer, typed: str, meant: str) -> None:
    assert analyzer.prepare(typed) == meant


@pytest.mark.parametrize(
    "typed",
    [
        "现在执行的条例是哪一版",  # 在执 sounds like 在职 but cuts through 执行
        "四种形态是指什么",  # 是指 sounds like 失职: a function character
        "副科几年能升正科",  # 科几 sounds like 科级 (副科级): 几 asks a question
        "收到决定书几日内申请复议",  # 书几 sounds like 书记
        "集体领导和个人分工",  # 和个 sounds like 合格
        "跟住建局打声招呼",  # 建局 sounds like 检举; 住建局 is a plain word
        "年中那个会开什么",  # 年中 sounds like 年终; both are words
        "违规发津补贴怎么处分",  # 发津 sounds like 罚金 but straddles the plain word 津补贴
    ],
)
def test_ordinary_words_are_never_rewritten(analyzer: Analyzer, typed: str) -> None:
    assert analyzer.prepare(typed) == typed


def test_a_repaired_typo_is_read_through_the_aliases() -> None:
    # 理金 is repaired to the keyword 礼金, which the alias table reads as 收受礼品 (as it
    # does in the rules): left as 礼金 it would match nothing in the index.
    analyzer = Analyzer(["礼金"], aliases=AliasTable({"收受礼品": ["礼金"]}))
    assert analyzer.prepare("收了理金怎么办") == "收了收受礼品怎么办"


def _bare(*terms: str) -> Analyzer:
    """An analyzer that knows only ``terms``: no aliases, shorthand or everyday words."""
    return Analyzer(terms, aliases=AliasTable({}), plain_words=[], shorthand=AliasTable({}))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("jiemian了还能收lijin吗", "诫勉了还能收礼金吗"),  # each word spells a term
        ("zuijia 判缓刑 kaichu dangji 吗", "醉驾 判缓刑 开除党籍 吗"),  # a term over two words
        ("LI JIN 要退吗", "礼金 要退吗"),  # capitals and a space inside the term
        ("tiba 要几年", "提拔 要几年"),  # four letters: no English word spells a term so short
        ("党员dubo咋处理", "党员赌博怎么处理"),
    ],
)
def test_a_term_typed_as_raw_pinyin_is_read_as_the_term(typed: str, meant: str) -> None:
    assert _bare("诫勉", "礼金", "醉驾", "开除党籍", "提拔", "赌博").prepare(typed) == meant


@pytest.mark.parametrize(
    "typed",
    [
        "the warning talk app",  # English words spell no term
        "pdf 文件 ok",
        "dangji",  # 党籍 and 党纪 read alike: which one is meant is unknown
        "jw 找我谈话",  # an abbreviation, too short to read as pinyin
        "the test 要几年",  # four letters that spell no term
        "gao 要几年",  # under four letters: too many short English words read as pinyin
    ],
)
def test_latin_words_that_spell_no_single_term_are_left_alone(typed: str) -> None:
    assert _bare("党籍", "党纪", "诫勉", "提拔").prepare(typed) == typed


def test_shorthand_is_written_out_for_every_reader_but_aliases_only_for_the_index() -> None:
    analyzer = Analyzer(
        ["诫勉"],
        aliases=AliasTable({"收受礼品": ["红包"]}),
        plain_words=[],
        shorthand=AliasTable({"严重警告": ["严警"], "纪委": ["jw"]}),
    )
    # The index reads both rewritten; the sentence encoder reads the shorthand written
    # out and the slang as typed (收到收受礼品 would read worse than 收到红包).
    assert analyzer.prepare("jw说给我严警 收到红包咋办") == "纪委说给我严重警告 收到收受礼品怎么办"
    assert analyzer.repair("jw说给我严警 收到红包咋办") == "纪委说给我严重警告 收到红包怎么办"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("受贿二十万判几年", "受贿几万判几年"),
        ("收了两千元", "收了几元"),  # as 2000元 reads
        ("受贿20万判几年", "受贿几万判几年"),  # digits, as before
        ("千万别收", "千万别收"),  # 千万 (by all means) is no amount
        ("八项规定 两个责任 一桌餐", "八项规定 两个责任 一桌餐"),  # numerals inside names
    ],
)
def test_an_amount_in_chinese_numerals_reads_like_one_in_digits(typed: str, meant: str) -> None:
    assert _bare().prepare(typed) == meant


@pytest.mark.parametrize("typed", ["支部就俩党员能建支部吗", "公司能建党支部吗"])
def test_setting_up_a_branch_is_not_read_as_a_side_job(typed: str) -> None:
    """建支 sounds like 兼职 (a domain term); the built-in plain words keep 建支部 whole, so a
    question about setting up a branch is not turned into one about side jobs."""
    analyzer = Analyzer(["兼职", "党支部"], aliases=AliasTable({}), plain_words=load_plain_words())
    assert analyzer.repair(typed) == typed


def test_a_term_cannot_take_the_characters_of_an_everyday_word() -> None:
    # 春节前科室小王: with 前科 boosted as a term, jieba cut 前科 / 室小, and 室小 was then
    # "repaired" into its sound-alike 时效. 科室 as a plain word weighs as much as a term.
    terms = ["前科", "时效", "礼品"]
    typed = "春节前科室小王送了礼品"
    plain = Analyzer(terms, aliases=AliasTable({}), plain_words=["科室"], shorthand=AliasTable({}))
    assert plain.prepare(typed) == typed
    assert "科室" in plain.words(typed) and "前科" not in plain.words(typed)
    bare = Analyzer(terms, aliases=AliasTable({}), plain_words=[], shorthand=AliasTable({}))
    assert "时效" in bare.prepare(typed)  # what happened before


def test_the_listed_everyday_words_keep_their_characters() -> None:
    """三年没见人了: 见人 sounds like the term 兼任; read as it, a story of a colleague on the
    payroll who never came to work drew the side-job rules (the word list ships with the
    rule base)."""
    analyzer = Analyzer(["兼任", "吃空饷"], aliases=AliasTable({}))
    assert analyzer.prepare("同事挂着编制三年没见人了") == "同事挂着编制三年没见人了"
