"""How much each word of a question counts: a document named in 《》 is context.

Column-style questions name the regulation they ask about:
《中国共产党纪律处分条例》对留党察看期限是如何规定的 is about 留党察看, but the name's many
words (中国共产党, 纪律处分条例 …) outweighed it and ranked an entry about the regulation's
history first. :func:`document_context` gives the words only the name brings a fraction of
their weight when the rest of the question names something the rule base knows; the name
still tells party from state rules, and names the subject when the rest says little
(为什么要出台《…条例》 keeps the full weight).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from knowledge.text import Analyzer

#: A document named in 《》 inside a question (《政务处分法》对…是如何规定的).
_DOCUMENT_NAME = re.compile(r"《([^《》]{2,60})》")
#: The weight of the words only a named document brings, when the question asks about
#: something else in it: context, not the subject.
DOCUMENT_NAME_WEIGHT = 0.3


def document_context(
    query: str, analyzer: Analyzer, known: Collection[str]
) -> tuple[dict[str, float], str]:
    """The weight of each word only a named document brings (empty when none applies),
    and the question without the name; ``known`` are the words the rule base's entries use.
    """
    names = _DOCUMENT_NAME.findall(query)
    if not names:
        return {}, query
    rest = _DOCUMENT_NAME.sub(" ", query)
    rest_words = set(analyzer.tokens(rest))
    if not any(w in known for w in rest_words if not w.startswith("#")):
        return {}, query
    named = {t for name in names for t in analyzer.tokens(name)}
    return {t: DOCUMENT_NAME_WEIGHT for t in named - rest_words}, rest
