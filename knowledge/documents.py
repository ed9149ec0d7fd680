"""The document registry (``data/documents.yaml``): every text the rule base cites.

Answers render their citations from here, so a title, a revision year or a status is
written once. A document is ``in_force``, ``revised`` (a newer version replaced it),
``repealed`` (withdrawn), ``superseded`` (never formally repealed, but its content now
lives in another text in force) or a ``report`` of one place's practice; only in-force
documents may support a current entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from knowledge import DATA_DIR

DOCUMENTS_FILE = DATA_DIR / "documents.yaml"

Status = Literal["in_force", "revised", "repealed", "superseded", "report"]


def _date_text(value: object) -> str:
    """YAML reads 2024-01-01 as a date and 2019-04 as text; keep both as text."""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


class Document(BaseModel):
    """One cited document and where it stands today."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,48}$")
    title: str = Field(min_length=2)
    issuer: str = Field(min_length=2)
    version: str | None = None
    adopted: str
    effective: str
    status: Status
    replaced_by: str | None = None
    checked: str | None = None

    @field_validator("adopted", "effective", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> str:
        return _date_text(value)

    @field_validator("title")
    @classmethod
    def _no_brackets(cls, value: str) -> str:
        if value.startswith("《") or value.endswith("》"):
            raise ValueError("write the title without 《》: citations add them")
        return value

    @model_validator(mode="after")
    def _replacement(self) -> Document:
        if self.status in ("revised", "repealed", "superseded") and not self.replaced_by:
            raise ValueError(f"{self.id}: a {self.status} document needs replaced_by")
        if self.status == "in_force" and self.replaced_by:
            raise ValueError(f"{self.id}: an in-force document has no replaced_by")
        return self

    @property
    def in_force(self) -> bool:
        """True when the document is today's text."""
        return self.status == "in_force"

    def cite(self, article: str | None = None) -> str:
        """The citation as answers show it: 《title》（version）article."""
        text = f"《{self.title}》"
        if self.version:
            text += f"（{self.version}）"
        return text + (article or "")


class RegistryFile(BaseModel):
    """The whole registry file."""

    model_config = ConfigDict(extra="forbid")

    as_of: str
    documents: list[Document]

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> str:
        return _date_text(value)


class Registry:
    """Documents by id, with the checks that span them."""

    def __init__(self, documents: Iterable[Document], as_of: str) -> None:
        self.as_of = as_of
        self.documents: dict[str, Document] = {}
        self.problems: list[str] = []
        # One text recorded twice under two ids splits its citations and lets the two
        # records drift apart (a status changed on one only): a revision has its own
        # version or adoption date, so the same title with both the same is a duplicate.
        editions: dict[tuple[str, str | None, str], str] = {}
        for doc in documents:
            if doc.id in self.documents:
                self.problems.append(f"documents.yaml: duplicate document id {doc.id}")
            first = editions.setdefault((doc.title, doc.version, doc.adopted), doc.id)
            if first != doc.id:
                self.problems.append(
                    f"documents.yaml: {doc.id} records the same text as {first} "
                    f"(《{doc.title}》, {doc.version or 'no version'}, adopted {doc.adopted})"
                )
            self.documents[doc.id] = doc
        for doc in self.documents.values():
            if doc.replaced_by and doc.replaced_by not in self.documents:
                self.problems.append(
                    f"documents.yaml: {doc.id} is replaced by unknown document {doc.replaced_by}"
                )

    def get(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""
        return self.documents.get(doc_id)

    def current_version(self, doc_id: str) -> Document | None:
        """Follow ``replaced_by`` to the text in force today (None if the chain breaks)."""
        seen: set[str] = set()
        doc = self.documents.get(doc_id)
        while doc is not None and doc.replaced_by and doc.id not in seen:
            seen.add(doc.id)
            doc = self.documents.get(doc.replaced_by)
        return doc


def parse_registry(text: str) -> Registry:
    """Validate the YAML text of a registry (raises pydantic's ValidationError)."""
    data = RegistryFile.model_validate(yaml.safe_load(text))
    return Registry(data.documents, data.as_of)


@cache
def load_registry(path: Path = DOCUMENTS_FILE) -> Registry:
    """The built-in registry, read once per process."""
    return parse_registry(path.read_text(encoding="utf-8"))
