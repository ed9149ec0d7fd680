"""Schema of the rule base files, validated with pydantic at load time."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from knowledge.coded import one_of

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
    # ---- today's rules (the seed-era topics above are largely history)
    "discipline.party_violations": "the six disciplines and the common violations under each",
    "discipline.party_rules": "applying party sanctions: several violations, lenient/severe, self-report",
    "discipline.execution": "executing a sanction: announcing, talk, file, pay and benefits, expiry",
    "discipline.institution": "sanctions of public-institution staff (事业单位工作人员处分规定)",
    "discipline.soe": "sanctions of state-enterprise managers (国有企业管理人员处分条例)",
    "supervision.law": "the supervision law: who is supervised, the measures and their time limits",
    "supervision.clues": "problem clues and their handling: 谈话函询, 初步核实, 了结, 暂存",
    "supervision.procedure": "审查调查, 审理, 移送 and the discipline-inspection procedure",
    "supervision.review": "appeals, 复审复核 and their time limits",
    "supervision.four_forms": "the four forms of supervision and discipline (四种形态)",
    "supervision.inspection_tour": "inspection tours (巡视/巡察): who sends them, cooperating, talks, rectification",
    "resp.main_duty": "party committees' main responsibility for strict governance (主体责任, 2020)",
    "resp.oversight": "supervisory responsibility, 一岗双责, 述责述廉",
    "org.handling": "organisational handling (组织处理规定) and 诫勉",
    "integrity.eight_rules": "the central eight-point rules: reception, cars, meetings, travel, offices",
    "integrity.family_business": "spouses and children running businesses",
    "integrity.drunk_driving": "drink-driving and drunk-driving by party members and officials",
    "party.life": "organisational life: 组织生活会, 三会一课, 谈心谈话, 民主评议",
    "party.membership": "party dues, 自行脱党, 停止党籍, 除名",
    "assess.annual": "annual assessment: grades, and how sanctions and 诫勉 affect them",
    "civil_servant.law": "the civil servant law: 回避, 辞职, 离职后从业限制",
    "crime.corruption": "corruption crimes: thresholds of 贪污 and 受贿 (judicial interpretation)",
    "crime.duty": "dereliction crimes of officials: 滥用职权, 玩忽职守 (刑法 第三百九十七条)",
    "cadre.selection": "selecting and promoting cadres: qualifications, 任前公示, 试用期, 职级晋升",
    "rural.village": "village self-government: 村务公开, 村务监督委员会, 村委会 elections, 四议两公开",
    "urban.community": "urban residents' committees: 居委会 elections, 居务公开, 居务监督委员会, 街道",
}

#: An article reference as the texts write it: 第十条, 第二十一条第二款, 第四十条至第四十二条.
ARTICLE_PATTERN = re.compile(r"第[一二三四五六七八九十百零〇两\d]+条")
#: Each entry needs at least this many questions written the way people type.
MIN_QUESTIONS = 5

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
MAX_ANSWER_CHARS = 1200


class Basis(BaseModel):
    """One document an answer rests on: which articles, and where their text was read.

    ``art`` may only be given together with ``checked``: an article number nobody checked
    against the text is exactly the kind of confident error the rule base must not make.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc: str = Field(min_length=2)  # a document id of knowledge/data/documents.yaml
    art: str | None = None  # e.g. 第十条 or 第二十一条第二款; rendered after the title
    checked: str | None = None  # where the article text was read (an address or repo:path)

    @model_validator(mode="after")
    def _article_needs_check(self) -> Basis:
        if self.art and not self.checked:
            raise ValueError(f"{self.doc}: an article number needs `checked` (where it was read)")
        if self.art and not ARTICLE_PATTERN.search(self.art):
            raise ValueError(f"{self.doc}: art {self.art!r} is not an article reference (第…条)")
        return self


class Entry(BaseModel):
    """One rule-base entry: a question family, its answer and the documents it rests on.

    A ``current`` entry states today's rule; a ``history`` entry describes an earlier period
    (``era``) and names the entry for today's rule (``current``), and its answer is shown
    behind a line that says so.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    topic: Annotated[str, one_of(TOPICS, "topic")]
    status: Literal["current", "history"] = "current"
    era: str | None = None  # history only: which period and practice the entry describes
    current: str | None = None  # history only: the entry id for today's rule
    title: str = Field(min_length=2, max_length=60)
    questions: list[str] = Field(min_length=3)
    keywords: list[str] = Field(default_factory=list)
    answer: str = Field(min_length=10, max_length=MAX_ANSWER_CHARS)
    basis: list[Basis] = Field(min_length=1)
    see_also: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _history_fields(self) -> Entry:
        if self.status == "history" and not (self.era and self.current):
            raise ValueError("a history entry needs `era` and `current` (today's entry)")
        if self.status == "current" and (self.era or self.current):
            raise ValueError("`era` and `current` belong to history entries only")
        return self

    @property
    def checked(self) -> bool:
        """True when every document the entry rests on was read where it says."""
        return bool(self.basis) and all(b.checked for b in self.basis)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if len(value) > 50:
            raise ValueError("id must be at most 50 characters (it travels in button data)")
        if not ID_PATTERN.match(value):
            raise ValueError("id must be lowercase dotted words, e.g. check.warning_talk.effects")
        return value

    @field_validator("questions", "keywords")
    @classmethod
    def _non_blank(cls, value: list[str]) -> list[str]:
        cleaned = [v.strip() for v in value]
        if any(not v for v in cleaned):
            raise ValueError("blank question or keyword")
        return cleaned

    @field_validator("answer", "title")
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
