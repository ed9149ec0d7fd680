"""Schema of the rule base files, validated with pydantic at load time."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: The topics the rule base covers; an entry with any other topic is rejected.
TOPICS: dict[str, str] = {
    "resp.definition": "what the responsibility system is; the 1998 rule and its 2010 revision",
    "resp.leadership": "who bears which responsibility: team, principal, members",
    "resp.five_systems": "the five systems",
    "resp.targets": "annual targets: in whose name, to whom",
    "resp.leading_group": "the responsibility-system leading group and its office",
    "tasks.three": "the three anti-corruption tasks",
    "pledge.system": "integrity pledges: who, when, how published, to whom",
    "pledge.report": "reporting pledge fulfilment; mass appraisal; organisational assessment",
    "cases.zones": "case-investigation collaboration zones and groups",
    "jiufeng.lead_dept": "lead departments for correcting unhealthy practices",
    "jiufeng.campaigns": "the three arbitraries, school fees, farmers' burdens",
    "leader.top": "what the unit principal must personally do",
    "leader.members": "what other team members must do",
    "meeting.year_start": "start-of-year summary, commendation and deployment meeting",
    "meeting.midyear": "mid-year experience-exchange meeting",
    "meeting.democratic_life": "democratic life meetings",
    "edu.study": "start-of-year central-group study",
    "edu.month": "the August education month and its closed-book test",
    "assess.methods": "how assessment is done",
    "assess.consequences": "consequences of failing the assessment",
    "check.rectify_notice": "time-limited rectification notices",
    "check.warning_talk": "warning talks",
    "account.circumstances": "when leaders are held accountable",
    "account.forms": "forms of accountability",
    "account.regulation": "the accountability regulation",
    "discipline.party": "party disciplinary sanctions",
    "discipline.govt": "government sanctions",
    "integrity.rules": "integrity codes for leading cadres",
    "integrity.personal_matters": "reporting personal matters",
    "bot.usage": "how to use this assistant",
}

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
MAX_ANSWER_CHARS = 1200


class Entry(BaseModel):
    """One rule-base entry: a question family, its answer and its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    topic: str
    title: str = Field(min_length=2, max_length=60)
    questions: list[str] = Field(min_length=3)
    keywords: list[str] = Field(default_factory=list)
    answer: str = Field(min_length=10, max_length=MAX_ANSWER_CHARS)
    source: str = Field(min_length=4)
    see_also: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if len(value) > 50:
            raise ValueError("id must be at most 50 characters (it travels in button data)")
        if not ID_PATTERN.match(value):
            raise ValueError("id must be lowercase dotted words, e.g. check.warning_talk.effects")
        return value

    @field_validator("topic")
    @classmethod
    def _known_topic(cls, value: str) -> str:
        if value not in TOPICS:
            raise ValueError(f"unknown topic {value!r}")
        return value

    @field_validator("questions", "keywords")
    @classmethod
    def _non_blank(cls, value: list[str]) -> list[str]:
        cleaned = [v.strip() for v in value]
        if any(not v for v in cleaned):
            raise ValueError("blank question or keyword")
        return cleaned

    @field_validator("answer", "source", "title")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class RuleFile(BaseModel):
    """A rule-base file: a list of entries."""

    model_config = ConfigDict(extra="forbid")

    entries: list[Entry]


class OutOfScopeFile(BaseModel):
    """Examples of questions the assistant must decline, used to calibrate refusals."""

    model_config = ConfigDict(extra="forbid")

    examples: list[str]
