"""The catalogue of sanctions and other effects (``data/sanctions.yaml``), validated with pydantic.

Each kind says how long it bars promotion and whether it bars rating as advanced; the
eligibility check (:mod:`handlers.eligibility.rules`) reads these periods from here, so
they are changed in the data file, never in code.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from knowledge import DATA_DIR
from knowledge.coded import NamedCode, unique_codes

SANCTIONS_FILE = DATA_DIR / "sanctions.yaml"

#: Families whose kinds are party, government or public-institution discipline (党纪政务处分,
#: 事业单位工作人员处分).
DISCIPLINE_FAMILIES = ("party", "govt", "institution", "enterprise")
#: Kinds the records code relies on; the file must define them.
WARNING_TALK = "warning_talk"
FAILED_ASSESSMENT = "failed_assessment"


class KindBasis(BaseModel):
    """Where a kind's effects are written: a document of the registry and its article."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc: str
    art: str = ""


class GradeEffect(BaseModel):
    """What a kind does to the civil-servant annual assessment (《公务员考核规定》).

    ``no_excellent``: the year it takes effect cannot be graded 优秀; ``no_grade``: that year
    gets comments only, no grade (不确定等次); ``years`` counts the year it takes effect and
    the years after it (2: that year and the next). ``entry`` is the rule-base entry that
    states the effect with its article (the /eligible reply cites it); the kind's own entry
    when not given.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    effect: Literal["no_excellent", "no_grade"]
    years: int = Field(ge=1, le=3)
    entry: str | None = None


class SanctionKind(NamedCode):
    """One kind of sanction or effect and its consequences for rating and promotion."""

    family: Literal["party", "govt", "institution", "enterprise", "talk", "assessment", "handling"]
    promotion_months: int = Field(ge=0, le=240)
    advanced_rating: Literal["year", "period", "none"]
    permanent: bool = False
    entry: str
    #: The entry explaining the promotion bar when it differs from ``entry``.
    promotion_entry: str | None = None
    #: "party": a new kind of this group given while an earlier one's period still runs
    #: carries the rest of the earlier period on top of its own, counted from the new
    #: decision (《中国共产党纪律处分条例》2023 第二十一条). Government sanctions have no such
    #: rule (政务处分法 第八条: each period runs from its own decision).
    stacks: Literal["party"] | None = None
    #: The period is set by a text this project could not read (组织处理 under the 2021
    #: rules): the check names the record and asks for a check by hand instead of guessing.
    period_unverified: bool = False
    grade: GradeEffect | None = None
    #: In the period, no rise in pay step either (政务处分法 第十九条 for civil servants:
    #: 记过 and above; 国有企业管理人员处分条例 第十四条 for enterprise managers).
    pay_step: bool = False
    basis: tuple[KindBasis, ...] = ()

    @property
    def is_discipline(self) -> bool:
        """True for party or government discipline (the kinds a case may impose)."""
        return self.family in DISCIPLINE_FAMILIES


class SanctionsFile(BaseModel):
    """The whole file: a list of kinds with unique codes, including the ones code relies on."""

    model_config = ConfigDict(extra="forbid")

    kinds: Annotated[list[SanctionKind], unique_codes("kind")]

    @model_validator(mode="after")
    def _required_kinds(self) -> SanctionsFile:
        codes = {k.code for k in self.kinds}
        missing = sorted({WARNING_TALK, FAILED_ASSESSMENT} - codes)
        if missing:
            raise ValueError(f"missing required kinds: {missing}")
        return self


class SanctionCatalogue:
    """Sanction kinds by code, with lookups by name for what people type."""

    def __init__(self, kinds: Iterable[SanctionKind]) -> None:
        self.kinds: dict[str, SanctionKind] = {k.code: k for k in kinds}

    def get(self, code: str) -> SanctionKind | None:
        """The kind with this code, or None."""
        return self.kinds.get(code)

    @property
    def warning_talk(self) -> SanctionKind:
        """The effect of a warning talk."""
        return self.kinds[WARNING_TALK]

    @property
    def failed_assessment(self) -> SanctionKind:
        """The effect of failing the clean-government assessment."""
        return self.kinds[FAILED_ASSESSMENT]

    def discipline_kinds(self) -> list[SanctionKind]:
        """Party and government sanctions, in file order."""
        return [k for k in self.kinds.values() if k.is_discipline]

    def find_discipline(self, text: str) -> SanctionKind | None:
        """A discipline kind by code or by its Chinese or English name (case-insensitive)."""
        key = text.strip().lower()
        if not key:
            return None
        kinds = self.discipline_kinds()
        for kind in kinds:
            if key in (kind.code, kind.name_zh.lower(), kind.name_en.lower()):
                return kind
        # "严重警告" for 党内严重警告: accept a part of a name when it fits exactly one kind.
        partial = [k for k in kinds if key in k.name_zh.lower() or key in k.name_en.lower()]
        if len(partial) > 1:
            # 严重警告 is 党内严重警告 (the name it ends), not 严重警告（代替撤销党内职务）.
            partial = [k for k in partial if k.name_zh.lower().endswith(key)]
        return partial[0] if len(partial) == 1 else None

    def discipline_matching(self, text: str) -> list[SanctionKind]:
        """Discipline kinds whose name contains ``text`` (警告: the party, government,
        public-institution and enterprise warnings), to offer when it names several."""
        key = text.strip().lower()
        if not key:
            return []
        found = [
            k
            for k in self.discipline_kinds()
            if key in k.name_zh.lower() or key in k.name_en.lower()
        ]
        # 警告 means the warnings, not the serious warnings that also contain the word.
        ending = [
            k for k in found if k.name_zh.endswith(key) and not k.name_zh.endswith(f"严重{key}")
        ]
        return ending or found

    def dangling_entries(self, entry_ids: Iterable[str]) -> list[str]:
        """Problems: kinds citing rule-base entries that do not exist."""
        known = set(entry_ids)
        problems = []
        for kind in self.kinds.values():
            grade_entry = kind.grade.entry if kind.grade else None
            for ref in (kind.entry, kind.promotion_entry, grade_entry):
                if ref and ref not in known:
                    problems.append(f"sanction kind {kind.code}: unknown entry {ref}")
        return problems


def parse_sanctions(text: str) -> SanctionCatalogue:
    """Validate the YAML text of a sanctions file (raises pydantic's ValidationError)."""
    return SanctionCatalogue(SanctionsFile.model_validate(yaml.safe_load(text)).kinds)


@cache
def load_sanctions(path: Path = SANCTIONS_FILE) -> SanctionCatalogue:
    """The catalogue from ``path`` (the built-in file by default), read once per process."""
    return parse_sanctions(path.read_text(encoding="utf-8"))
