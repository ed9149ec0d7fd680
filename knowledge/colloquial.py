"""Colloquial, dialect and chat spellings read as the standard forms the rules' own
questions are written with (咋处理 → 怎么处理, 俺 → 我, 犯法不 → 犯法吗)."""

from __future__ import annotations

import re

#: Colloquial question words and their standard forms: 咋处理 must read as the 怎么处理 a
#: rule's own question is written with (the character-level match sees the difference even
#: where both are stopwords).
_STANDARD = {
    "咋办": "怎么办",
    "咋整": "怎么办",
    "咋弄": "怎么办",
    "咋": "怎么",
    "为啥": "为什么",
    "啥时候": "什么时候",
    "干啥": "干什么",
    "啥子": "什么",
    "咋个": "怎么",
    "啥": "什么",
    # Dialect and chat spellings typed on phones (thirty-sixth session, a console walk):
    # 俺 is the northern 我, 咩 the southern 吗, and 肿么 / 神马 / 木有 the chat forms of
    # 怎么 / 什么 / 没有. 咩事 is 没事 (收了两条烟咩事吧).
    "肿么": "怎么",
    "神马": "什么",
    "木有": "没有",
    "俺": "我",
    "咩事": "没事",
    "咩": "吗",
}
_COLLOQUIAL = re.compile("|".join(sorted(_STANDARD, key=len, reverse=True)))

#: 偶 typed for 我 (偶收了两条烟): only where it opens a clause and does not start a word
#: of its own (偶尔, 偶然, 偶像, 偶数, 偶发, 偶遇); 配偶 never opens a clause.
_OU_AS_I = re.compile(r"(?:^|(?<=[\s，,。！？!?；;]))偶(?![尔然像数发遇])")

#: A question closed with a dialect particle instead of 吗: 犯法不, 能摆酒不, 要报备撒,
#: 得行不. The rules' questions end with 吗, and the meaning signal reads 犯法不 as a
#: statement; a 不 after 要/是/好/对 (要不, 是不) reads the same either way.
_TRAILING_PARTICLE = re.compile(
    r"(?<=[\u4e00-\u9fff])(?:得行不|得行|(?<![要是得])不|撒|噻)(?=[\s?？!！。~～]*$)"
)


def standard_forms(text: str) -> str:
    """``text`` (already normalised) with colloquial question words, dialect and chat
    spellings and a closing dialect particle in their standard forms."""
    text = _COLLOQUIAL.sub(lambda m: _STANDARD[m[0]], _OU_AS_I.sub("我", text))
    return _TRAILING_PARTICLE.sub(lambda m: "可以吗" if m[0].startswith("得行") else "吗", text)
