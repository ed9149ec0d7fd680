"""Questions typed wholly in English are read in the rule base's Chinese terms."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.decision import Status
from knowledge.english import EnglishGlossary, GlossaryError, dictionary_for, is_english
from knowledge.evaluation import evaluate, load_labelled
from knowledge.loader import load_or_raise
from knowledge.retrieval import KnowledgeBase

ENGLISH = Path(__file__).resolve().parents[1] / "data" / "qa_english"
SMALL = EnglishGlossary.parse(
    {
        "诫勉谈话": ["warning talk"],
        "警告": ["warning"],
        "收受礼品": ["gift", "red envelope"],
        "婚丧喜庆": ["wedding"],
        "助手": ["the bot"],
    },
    ["what", "is", "a", "can", "i", "at", "my", "the", "after"],
)


def test_the_longest_phrase_is_read_first_and_grammar_words_go() -> None:
    assert SMALL.rewrite("What is a warning talk?") == "诫勉谈话"
    assert SMALL.rewrite("what is a warning") == "警告"


def test_plurals_and_case_are_read_as_the_phrase() -> None:
    assert SMALL.rewrite("Can I accept GIFTS at weddings") == "accept 收受礼品 婚丧喜庆"


def test_a_phrase_holding_a_grammar_word_is_still_read() -> None:
    assert SMALL.rewrite("can the bot help me") == "助手 help me"


def test_words_the_glossary_does_not_know_stay_so_the_question_reads_as_foreign() -> None:
    assert SMALL.rewrite("what is the weather tomorrow") == "weather tomorrow"


def test_a_phrase_inside_a_longer_word_is_not_read() -> None:
    assert SMALL.rewrite("giftwrapping at my wedding") == "giftwrapping 婚丧喜庆"


def test_chinese_questions_and_lone_english_words_are_left_alone() -> None:
    for question in [
        "诫勉谈话后多久能提拔",
        "warning talk 后多久不能提拔",
        "/eligible 高峰",
        "KPI",
    ]:
        assert SMALL.rewrite(question) == question


def test_what_counts_as_an_english_question() -> None:
    assert is_english("can i accept hongbao")
    assert is_english("is 诫勉 a sanction or not")
    assert not is_english("诫勉 warning")
    assert not is_english("warning talk 后多久不能提拔")
    assert not is_english("hongbao")


def test_the_alias_tables_english_variants_join_without_overriding_the_glossary() -> None:
    joined = SMALL.with_phrases(
        {"warning": "警示", "three tasks": "三项任务", "诫勉谈": "诫勉谈话"}
    )
    assert joined.rewrite("what is a warning") == "警告"
    assert joined.rewrite("what are the three tasks") == "are 三项任务"
    assert "诫勉谈" not in joined.phrases


def test_a_phrase_under_two_terms_is_rejected() -> None:
    with pytest.raises(GlossaryError, match="warning"):
        EnglishGlossary.parse({"警告": ["warning"], "诫勉": ["Warning"]}, [])


def test_a_word_yaml_reads_as_a_boolean_is_refused() -> None:
    """Bare ``on`` in the YAML file is the boolean True: it would never match "on"."""
    with pytest.raises(GlossaryError):
        EnglishGlossary.parse({"警告": ["warning"]}, ["the", True])  # type: ignore[list-item]
    with pytest.raises(GlossaryError):
        EnglishGlossary.parse({"警告": ["warning", False]}, [])  # type: ignore[list-item]


def test_the_glossarys_grammar_words_include_the_ones_yaml_would_misread() -> None:
    assert {"on", "off", "yes", "no"} <= EnglishGlossary.load().stopwords


def test_a_term_must_be_chinese() -> None:
    with pytest.raises(GlossaryError, match="Chinese"):
        EnglishGlossary.parse({"warning": ["caution"]}, [])


@given(st.text(alphabet=st.sampled_from("abcdeiost '-诫勉谈话,?"), max_size=80))
@settings(max_examples=300, deadline=None)
def test_a_rewritten_question_keeps_no_grammar_word(text: str) -> None:
    glossary = EnglishGlossary.load()
    rewritten = glossary.rewrite(text)
    if rewritten != text:
        assert not [w for w in rewritten.split() if w in glossary.stopwords], rewritten


def test_everyday_words_are_read_as_the_rules_terms_not_the_dictionarys_guess() -> None:
    """Words officials type that CC-CEDICT read backwards gets wrong (drive → 带动,
    disagree → 对不上) are the glossary's own."""
    glossary = EnglishGlossary.load()
    assert glossary.rewrite("can i drive for didi after work") == "网约车 work"
    assert "不服" in glossary.rewrite("i disagree with the decision")
    # "sent me" is a phrase of its own (a gift pressed on the official, twenty-fourth session).
    assert glossary.rewrite("sent me 200 rmb on wechat") == "送了 200 元 微信"
    # Twentieth session: told → 通知 (was left as typed), crime → 犯罪 (was 罪行), "look after"
    # a case → 打招呼, "paid by the unit" → 公款.
    assert glossary.rewrite("was the family told") == "亲属 通知"
    assert glossary.rewrite("is it a crime") == "犯罪"
    assert "打招呼" in glossary.rewrite("he asked me to look after the case")
    assert "公款" in glossary.rewrite("the trip was paid by the unit")


def test_every_term_of_the_glossary_is_a_word_the_rule_base_uses() -> None:
    """A phrase mapped to a term no entry names could never find anything."""
    entries = load_or_raise()
    text = " ".join(e.title + " ".join(e.questions) + " ".join(e.keywords) for e in entries)
    terms = set(EnglishGlossary.load().phrases.values())
    assert sorted(t for t in terms if t not in text) == []


# -- the whole reading, on the built-in rule base -----------------------------------------
def _reaches(kb: KnowledgeBase, question: str, entry_id: str) -> bool:
    decision = kb.decide(question)
    offered = [c.entry.id for c in decision.candidates]
    if decision.status == Status.ANSWER:
        return offered[0] == entry_id
    return decision.status == Status.CLARIFY and entry_id in offered


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("what is a warning talk", "check.warning_talk.definition"),
        ("are party members allowed to gamble", "discipline.party_violations.gambling"),
        ("is drunk driving a crime for an official", "integrity.drunk.crime"),
        ("what are the eight-point rules", "integrity.rules.eight_point_rules"),
        # "three tasks" is an English variant of the alias table, not of the glossary.
        ("what are the three tasks", "tasks.three.what"),
        # The village terms (eighteenth session).
        ("how often must the village publish its accounts", "rural.village.affairs_open"),
        ("can we recall a village committee member", "rural.village.election_recall"),
        # Everyday words (nineteenth session): didi, study tour, contractor, rmb, wechat, visit him.
        ("im a civil servant, can i drive for didi on weekends", "civil_servant.law.side_jobs"),
        (
            "our bureau went on a study tour that was really sightseeing, is that a violation",
            "discipline.party_violations.public_travel",
        ),
        (
            "a contractor sent me 200 rmb on wechat, keep it?",
            "discipline.party_violations.red_envelope",
        ),
        ("my father is held in liuzhi, can we visit him", "supervision.law.detention_family"),
        # Thirty-fifth session: the subjects added then, in their English words.
        ("can i withdraw cash with my official card", "integrity.eight.official_card"),
        ("is it ok to rent out my bank card", "discipline.party_violations.card_renting"),
        ("can the unit pay for an overtime meal", "integrity.eight.overtime_meal"),
        # Twentieth session: grassroots experience, told, extra days, paid by the unit.
        (
            "how much grassroots work experience before promotion to county level",
            "cadre.selection.qualifications",
        ),
        (
            "was the family told when my brother was taken into liuzhi",
            "supervision.law.detention_notice",
        ),
        (
            "i claimed extra days on my business trip expenses, what now",
            "integrity.eight.travel_overclaim",
        ),
        (
            "nurse at a county hospital, can i take weekend shifts at a private clinic",
            "discipline.institution.doctor_outside_practice",
        ),
        (
            "someone in a wechat group posted a rumour about our leader, i shared it",
            "discipline.party_violations.political_rumor",
        ),
        (
            "a man says he knows people up top and can get me promoted if i pay him",
            "discipline.party_violations.political_fraudster",
        ),
        # Twenty-second session: "opened a company" and "step aside".
        (
            "my wife opened a company, do i need to step aside",
            "integrity.rules.relatives_business",
        ),
        # Twenty-fourth session: inflected phrases (runs a shop) and a case told in English.
        (
            "my brother in law runs a shop and wants to supply our bureau",
            "integrity.rules.relatives_business",
        ),
        (
            "my wife opened an online store, can i help ship orders",
            "integrity.rules.relatives_business",
        ),
    ],
)
def test_english_questions_reach_their_entry(
    kb: KnowledgeBase, question: str, entry_id: str
) -> None:
    assert _reaches(kb, question, entry_id), kb.decide(question)


@pytest.mark.parametrize(
    "message",
    [
        "recommend a good hotpot place in chengdu",
        "what's the weather like in beijing tomorrow",
        "how do i install python on windows",
        # Everyday words the glossary now reads (lunch, called, weekend, tutoring, register)
        # still name no rule on their own.
        "what time is lunch",
        "i called my mom on the weekend",
        "can you help me with my tutoring homework",
        "what is this rule called",
    ],
)
def test_english_messages_on_other_subjects_are_declined(kb: KnowledgeBase, message: str) -> None:
    decision = kb.decide(message)
    assert decision.status == Status.NONE and not decision.candidates, decision


def test_the_decision_quotes_the_question_as_typed(kb: KnowledgeBase) -> None:
    question = "what are the eight-point rules"
    assert kb.in_rule_terms(question) != question
    assert kb.decide(question).query == question


def test_english_small_talk_is_small_talk(kb: KnowledgeBase) -> None:
    # noted / will do / Noted, thanks close a chat (they had been declined as questions).
    for message in [
        "thanks a lot",
        "Good morning!",
        "what can i ask you",
        "noted",
        "Noted, thanks",
    ]:
        assert kb.decide(message).small_talk is not None, message


def test_the_dictionary_names_only_words_the_rule_base_uses() -> None:
    vocabulary = Counter({"医生": 3, "法官": 1})
    dictionary = dictionary_for(vocabulary)
    assert dictionary["doctor"] == "医生"
    assert set(dictionary.values()) <= set(vocabulary)


def test_a_phrase_is_read_whatever_form_its_words_are_typed_in() -> None:
    """The glossary lists one form of a phrase; the question may inflect its words as the
    sentence needs (runs a shop, ran a shop) and is read all the same. A one-word phrase listed
    inflected is read only so: "told" is 通知, "tell me" is not."""
    glossary = EnglishGlossary.parse(
        {
            "经商办企业": ["run a shop"],
            "公务用车": ["office car"],
            "通知": ["told"],
            "开车": ["drive"],
        },
        ["my", "the", "he", "me", "i"],
    )
    # A one-word phrase listed in its dictionary form takes that word's other forms.
    assert glossary.rewrite("i drove the office car") == "开车 公务用车"
    assert glossary.rewrite("my brother runs a shop") == "brother 经商办企业"
    assert glossary.rewrite("he ran a shop") == "经商办企业"
    assert glossary.rewrite("running a shop in the office cars") == "经商办企业 in 公务用车"
    assert glossary.rewrite("was he told") == "was 通知"
    assert glossary.rewrite("tell me now") == "tell now"
    # A word no phrase takes keeps the form typed (the dictionary has its own base forms).
    assert glossary.rewrite("my brother runs fast") == "brother runs fast"


def test_a_word_is_looked_up_under_its_base_forms() -> None:
    glossary = SMALL.with_dictionary({"vote": "投票", "rumor": "谣言", "office space": "办公用房"})
    assert glossary.rewrite("votes at my wedding") == "投票 婚丧喜庆"
    assert glossary.rewrite("spreading a rumour at my wedding") == "spreading 谣言 婚丧喜庆"
    assert glossary.rewrite("is my office spaces too big") == "办公用房 too big"


def test_english_dev_figures_stay_above_their_floors(kb: KnowledgeBase) -> None:
    floors = yaml.safe_load((ENGLISH / "floors.yaml").read_text(encoding="utf-8"))
    metrics = evaluate(kb, *load_labelled(ENGLISH / "dev.yaml"))
    assert metrics.top1 >= floors["top1"]
    assert metrics.found >= floors["found"]
    assert metrics.uncovered_declined_rate >= floors["uncovered_declined"]
    assert metrics.offtopic_declined_rate >= floors["offtopic_declined"]
    assert metrics.wrong_share <= floors["wrong_share"], metrics.misses


def test_an_index_keeps_its_own_dictionary_when_it_shares_an_analyzer(kb: KnowledgeBase) -> None:
    """The calibration builds fold indexes of fewer entries on the main index's analyzer:
    they must not change how the main index reads English."""
    question = "can a doctor take weekend shifts at a clinic"
    before = kb.in_rule_terms(question)
    few = [e for e in load_or_raise() if e.topic == "resp.definition"]
    small = KnowledgeBase(few, analyzer=kb.analyzer, semantic=False)
    assert "医生" in before and "医生" not in small.in_rule_terms(question)
    assert kb.in_rule_terms(question) == before


# Lost to the refit of the decision models in the twenty-third session (cases told in a sentence
# among the training rows; BENCHMARKS.md): the first two are now declined naming only a
# neighbour or their rule (not offered), the third names two rules under its decline. Strict,
# so a change that wins them back must move them to the lists above.
@pytest.mark.xfail(strict=True, reason="lost to the refit of the twenty-third session")
@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("who do i report corruption to", "supervision.clues.how_to_report"),
        (
            "the unit paid for our family trip to the beach, is that ok",
            "discipline.party_violations.public_travel",
        ),
    ],
)
def test_english_questions_the_refit_lost(kb: KnowledgeBase, question: str, entry_id: str) -> None:
    assert _reaches(kb, question, entry_id)


@pytest.mark.xfail(strict=True, reason="lost to the refit of the twenty-third session")
def test_an_english_message_the_refit_no_longer_declines_cleanly(kb: KnowledgeBase) -> None:
    decision = kb.decide("how do i register a company")
    assert decision.status == Status.NONE and not decision.candidates, decision
