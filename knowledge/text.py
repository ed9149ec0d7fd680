"""Query-side text processing: aliases and typos, then Chinese word segmentation (jieba).

A private :class:`jieba.Tokenizer` is used (not jieba's global one) so the domain
dictionary does not leak into other code and tests stay independent.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable
from functools import cached_property, lru_cache

import jieba
from pypinyin import lazy_pinyin

from knowledge.colloquial import standard_forms
from knowledge.english import EnglishGlossary
from knowledge.normalize import normalise
from knowledge.word_lists import (
    AliasTable,
    load_plain_words,
    load_split_words,
    load_stopwords,
)

_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
_HOMOPHONE_LENGTHS = (4, 3, 2)
# Latin words in a row (lower case after normalising): raw pinyin typed when the input
# method did not convert it (zuijia, sanhui yike, dubo). Spellings shorter than this are
# left alone: too many short English words and abbreviations read as two syllables. At four
# letters only two terms are spelled (dubo 赌博, tiba 提拔), neither an English word.
_LATIN_RUN = re.compile(r"[a-z]+(?: [a-z]+)*")
_MIN_PINYIN_LETTERS = 4
# Characters that carry the question's grammar (几年, 还是, 是指, 和个人, 等几个月): a sound-alike
# of a term that would swallow one is never a typo of it.
_FUNCTION_CHARS = frozenset("几是和还等在与或及的了吗呢也都就才")
# When typo repair weighs a rewrite, a domain term counts as an ordinary word of this
# frequency (the tokenizer boosts them far higher so that segmentation keeps them whole;
# with that boost any rewrite into a term would look like an improvement).
_JUDGED_TERM_FREQ = 1000
# Domain terms are boosted so that segmentation keeps them whole; the everyday words of
# plain_words.txt get the same weight, so a term cannot take their characters.
_DOMAIN_TERM_FREQ = 50000

jieba.setLogLevel(logging.WARNING)


class Analyzer:
    """Normalise → rewrite aliases → segment → drop stopwords, plus CJK character bigrams."""

    def __init__(
        self,
        domain_terms: Iterable[str] = (),
        aliases: AliasTable | None = None,
        stopwords: frozenset[str] | None = None,
        plain_words: Iterable[str] | None = None,
        split_words: Iterable[str] | None = None,
        shorthand: AliasTable | None = None,
        english: EnglishGlossary | None = None,
    ) -> None:
        self.aliases = aliases or AliasTable.load()
        # A question typed wholly in English is read in the rules' terms (knowledge.english);
        # the English variants of the alias table ("three tasks") are read there too.
        self.english = (english or EnglishGlossary.load()).with_phrases(dict(self.aliases.pairs))
        self.shorthand = shorthand or AliasTable.load(section="shorthand")
        self.stopwords = stopwords if stopwords is not None else load_stopwords()
        self._terms = (
            {normalise(t) for t in domain_terms}
            | set(self.aliases.canonical)
            | set(self.shorthand.canonical)
        )
        self._plain = frozenset(plain_words if plain_words is not None else load_plain_words())
        self._split = frozenset(split_words if split_words is not None else load_split_words())

    @cached_property
    def _tokenizer(self) -> jieba.Tokenizer:
        tok = jieba.Tokenizer()
        tok.initialize()
        for term in self._terms:
            # Only Chinese terms: an English keyword in the dictionary would split words
            # ("tasks" → t / ask / s).
            if term and " " not in term and _CJK.search(term):
                tok.add_word(term, freq=_DOMAIN_TERM_FREQ)
        for word in self._plain:
            # As frequent as a domain term: an everyday word must not lose its characters
            # to a term straddling it (春节前科室小王 is 科室, not 前科).
            if (tok.FREQ.get(word) or 0) < _DOMAIN_TERM_FREQ:
                tok.add_word(word, freq=_DOMAIN_TERM_FREQ)
        for word in self._split:
            # An unknown word reads as noise that lowers the question's coverage (能干 is
            # "capable"; 公务员能干副业吗 asks whether one may take a side job).
            tok.del_word(word)
        return tok

    def __getstate__(self) -> dict[str, object]:
        # The jieba tokenizer holds a lock and is rebuilt from the terms on first use.
        return {k: v for k, v in self.__dict__.items() if k != "_tokenizer"}

    @cached_property
    def _homophones(self) -> dict[str, str]:
        """Domain terms of two to four characters by their toneless pinyin; a reading two
        terms share (党纪 / 党籍) is left out, since a typo of it could be either."""
        by_sound: dict[str, str] = {}
        ambiguous: set[str] = set()
        for term in self._terms:
            if len(term) in _HOMOPHONE_LENGTHS and _CJK_RUN.fullmatch(term):
                # Queries are read character by character (fast, cached); a term is also
                # filed under its phrase reading where a polyphone reads differently.
                keys = {" ".join(lazy_pinyin(term)), " ".join(_sounds(term))}
                for key in keys:
                    if key in by_sound and by_sound[key] != term:
                        ambiguous.add(key)
                    by_sound[key] = term
        return {k: v for k, v in by_sound.items() if k not in ambiguous}

    @cached_property
    def _spelled(self) -> dict[str, str]:
        """Domain terms by their toneless pinyin written without spaces (zuijia → 醉驾); a
        spelling two terms share is left out, as in :attr:`_homophones`."""
        by_spelling: dict[str, str] = {}
        ambiguous: set[str] = set()
        for key, term in self._homophones.items():
            spelled = key.replace(" ", "")
            if len(spelled) < _MIN_PINYIN_LETTERS:
                continue
            if by_spelling.get(spelled, term) != term:
                ambiguous.add(spelled)
            by_spelling[spelled] = term
        return {k: v for k, v in by_spelling.items() if k not in ambiguous}

    def fix_pinyin(self, text: str) -> str:
        """Replace domain terms typed as raw pinyin: the longest groups of Latin words in a
        row that each spell one term (sanhui yike → 三会一课, zuijia → 醉驾). Other Latin
        words (English, abbreviations) are left alone."""
        spelled = self._spelled

        def fix_run(match: re.Match[str]) -> str:
            words = match.group(0).split(" ")
            out: list[str] = []
            i = 0
            while i < len(words):
                # The longest group of words from here that spells a term.
                for j in range(len(words), i, -1):
                    term = spelled.get("".join(words[i:j]))
                    if term is not None:
                        out.append(term)
                        i = j
                        break
                else:
                    out.append(words[i])
                    i += 1
            return " ".join(out)

        return _LATIN_RUN.sub(fix_run, text)

    def fix_homophones(self, text: str) -> str:
        """Replace a sound-alike typo of a domain term (诫免 → 诫勉, 题拔 → 提拔).

        A run of characters is replaced only when it sounds exactly like one domain term
        and is not itself a word jieba knows, so ordinary words that happen to sound like
        a term are left alone.
        """
        homophones = self._homophones
        if not homophones:
            return text
        freq = self._tokenizer.FREQ

        def fix_run(match: re.Match[str]) -> str:
            run = match.group(0)
            sounds = _sounds(run)
            if len(sounds) != len(run):  # defensive: one reading per character expected
                return run
            out: list[str] = []
            i = 0
            while i < len(run):
                for n in _HOMOPHONE_LENGTHS:
                    if i + n > len(run):
                        continue
                    piece = run[i : i + n]
                    if piece in self._terms:
                        out.append(piece)
                        break
                    term = homophones.get(" ".join(sounds[i : i + n]))
                    if (
                        term is not None
                        and not freq.get(piece)
                        and not _FUNCTION_CHARS.intersection(piece)
                        and not self._touches_plain_word(run, i, i + n)
                        and self._reads_better(run, i, term)
                    ):
                        out.append(term)
                        break
                else:
                    out.append(run[i])
                    i += 1
                    continue
                i += n
            return "".join(out)

        return _CJK_RUN.sub(fix_run, text)

    def _touches_plain_word(self, run: str, start: int, end: int) -> bool:
        """Whether ``run[start:end]`` overlaps an everyday word of plain_words.txt there:
        such a word is never rewritten, even by a term straddling it (发津补贴 is not
        罚金补贴). Asked only of a rewrite about to be made, not of every run."""
        for word in self._plain:
            at = run.find(word, max(0, start - len(word) + 1))
            while at != -1 and at < end:
                if at + len(word) > start:
                    return True
                at = run.find(word, at + 1)
        return False

    def _reads_better(self, run: str, at: int, term: str) -> bool:
        """Whether ``run`` with ``term`` written over it at ``at`` segments into likelier
        words than as typed: 诫免 → 诫勉 does, while 住建局 → 住检举 or 执行 → 职行 (a
        sound-alike that cuts through an ordinary word) does not."""
        fixed = run[:at] + term + run[at + len(term) :]
        return self._log_likelihood(fixed) > self._log_likelihood(run)

    def _log_likelihood(self, text: str) -> float:
        """The log-probability of the likeliest segmentation of ``text`` (jieba's unigram
        model, with domain terms at an ordinary word's frequency)."""
        tok = self._tokenizer
        dag = tok.get_DAG(text)
        log_total = math.log(tok.total)
        best = [0.0] * (len(text) + 1)
        for i in range(len(text) - 1, -1, -1):
            best[i] = max(
                math.log(self._judged_freq(text[i : j + 1]) or 1) - log_total + best[j + 1]
                for j in dag[i]
            )
        return best[0]

    def _judged_freq(self, word: str) -> int:
        freq = self._tokenizer.FREQ.get(word) or 0
        return min(freq, _JUDGED_TERM_FREQ) if word in self._terms else freq

    def prepare(self, text: str) -> str:
        """The text the index reads (the words and the fuzzy match): :meth:`_plain_text`
        (shared with :meth:`repair`), sound-alike typos fixed, then aliases rewritten.

        Typos are fixed in the words as typed: fixed after the aliases, a run across an
        alias just written could sound like a term (老婆生孩子 → 亲属生亲属 → 亲属省亲属).

        Raw pinyin spelling a term is read as the term (after the aliases, so English
        aliases such as "warning talk" are read first). The aliases are read again after
        the repair: a typo can be repaired into a variant
        (理金 → 礼金, a keyword) that the rules were indexed under its canonical term. A
        year asking for the latest rule (2024最新规定, 最新2025年) goes: the rule base answers
        with the rule in force, and the year would only dilute the question's words; a year
        naming a document (2016年的准则) stays.
        """
        plain = self.fix_homophones(self._plain_text(text))
        return self.aliases.rewrite(self.fix_pinyin(self.aliases.rewrite(plain)))

    def repair(self, text: str) -> str:
        """The question as its asker meant to write it, for the sentence encoder: shorthand
        written out, typos and raw pinyin repaired, colloquial question words made
        standard, but no alias rewritten (红包 stays 红包: a canonical term written over
        slang can read oddly, 收到收受礼品怎么办)."""
        return self.fix_homophones(self.fix_pinyin(self._plain_text(text)))

    def _plain_text(self, text: str) -> str:
        """What both readings start from (in the meaning mode a question is read both ways,
        so this runs twice: a few regular expressions, cheap beside the typo repair).
        Normalised, with shorthand written out, colloquial question words made standard,
        counts and amounts (digits, or Chinese numerals before 万/千/元/块/桌) read as 几, a
        year asking for the latest rule removed, and a post opening a story (站长接受宴请)
        dropped."""
        plain = _LATEST_YEAR.sub("", self.shorthand.rewrite(normalise(text)))
        plain = standard_forms(plain)
        plain = _ACTOR.sub("", plain, count=1)
        return _CHINESE_TABLES.sub("几", _CHINESE_AMOUNT.sub("几", _COUNT.sub("几", plain)))

    def words(self, text: str, prepared: bool = False) -> list[str]:
        """Content words of ``text`` in order (stopwords removed)."""
        return [w for w, _ in self.pieces(text, prepared)]

    def pieces(self, text: str, prepared: bool = False) -> list[tuple[str, bool]]:
        """Content words of ``text`` in order, each with whether it is a part of a longer
        word (stopwords removed)."""
        clean = text if prepared else self.prepare(text)
        tok = self._tokenizer
        out: list[tuple[str, bool]] = []
        for word in tok.cut(clean, HMM=True):
            word = word.strip()
            # A stopword goes whole, with its parts: 前提条件 is a question frame, and its
            # pieces 条件 / 提条件 are no more the question's subject than it is.
            if not word or word in self.stopwords:
                continue
            # Search mode: the dictionary words inside a long word come too (廉政考核 →
            # 廉政, 考核, 廉政考核), so a compound in the question still meets the plain
            # words in a rule (jieba's cut_for_search, read word by word).
            for n in (2, 3):
                if len(word) > n:
                    for i in range(len(word) - n + 1):
                        part = word[i : i + n]
                        if tok.FREQ.get(part) and part not in self.stopwords:
                            out.append((part, True))
            out.append((word, False))
        return out

    def tokens(self, text: str, prepared: bool = False) -> list[str]:
        """Words plus character bigrams of Chinese words (robust to segmentation drift)."""
        words = self.words(text, prepared)
        grams: list[str] = []
        for w in words:
            if len(w) > 2 and _CJK.search(w):
                grams.extend("#" + w[i : i + 2] for i in range(len(w) - 1))
        return words + grams


#: A count typed in digits before its measure word (摆10桌, 收了500块, 来了8个人): the rules
#: ask 摆几桌 / 几个人, and a number never names a rule. A calendar year (2016年) stays.
_COUNT = re.compile(
    r"(?<![\d.])(?!(?:19|20)\d\d年)\d+(?:\.\d+)?(?:多(?=万|千|块|元)|余(?=万|元))?"
    r"(?=桌|个|人|次|天|元|块|万|千|百|条|瓶|斤|箱|张|份|名|位|辆|套|项|家|周|小时|分钟|岁|月|年)"
)

#: An amount of money written in Chinese numerals (三万, 二十万元, 五千块, 两千元): read like
#: the same amount in digits. Only before 万/千/元/块: before other measure words numerals
#: are part of the rules' own names (八项规定, 两个责任, 三会一课, 一桌餐), and 千万 (by all
#: means) starts with no digit word.
_CHINESE_AMOUNT = re.compile(
    r"[一二三四五六七八九十两][一二三四五六七八九十百千两零]*(?:多|来|余)?(?=万|千元|千块|元|块)"
)

#: Who did it, when a question opens with a post (站长接受宴请, 我们科长收了两箱酒): the
#: post is the actor, not the subject, and read as a term (局长 is 一把手) it drew the
#: rules about principals' duties. Dropped when an act follows.
_ACTOR = re.compile(
    r"^(?:我们|我们单位的?|单位的?|局里的?|镇里的?|乡里的?|所里的?|站里的?|科里的?|有个|有一个|一个|某)?"
    r"副?(?:站长|所长|科长|股长|队长|局长|镇长|乡长|处长|院长|校长|厂长|主任)"
    r"(?=(?:去年|前年|上周|昨天|今年|偷偷|私下)?(?:接受|收了|收受|收下|拿了|吃了|喝了|参加|打牌|打麻将|借了|开了|用了|开着))"
)

#: A year written with "the latest" (2024最新, 2025年新规, 最新2026年, 新标准2023).
_LATEST_YEAR = re.compile(
    r"(?:19|20)\d\d(?:年度|年)?(?=最新|新版|新规|新标准|现行)"
    r"|(?:(?<=最新)|(?<=新规)|(?<=新规定)|(?<=新标准)|(?<=新政策))(?:19|20)\d\d(?:年度|年)?"
)


#: A count of tables in Chinese numerals (十几桌, 二十桌, 几十桌): read as 几桌, as the same
#: count in digits is. A lone 一 stays (一桌餐 is a rule's own name).
_CHINESE_TABLES = re.compile(
    r"(?:[二三四五六七八九十两几][一二三四五六七八九十百两零几]*|一[一二三四五六七八九十百两零几]+)"
    r"(?:多|来|余)?(?=桌)"
)


@lru_cache(maxsize=16384)
def _sound(char: str) -> str:
    """The toneless reading of one character (cached: pypinyin is slow per call)."""
    return lazy_pinyin(char)[0]


def _sounds(text: str) -> list[str]:
    """Toneless readings, character by character."""
    return [_sound(c) for c in text]
