"""The SQL of the supervisor summaries' figures, shared by the live statement
(storage/summary/repository.py) and the pre-aggregated snapshot (storage/summary/snapshot.py).

Every section (assessments, cases, talks, …) is a per-unit SELECT over its record table; the
live statement stacks them and sums them per bucket of one subtree, the snapshot also keys
them by a :class:`Grain` (month or year) and sums them per scope and kept period. Either
way :func:`assemble` turns the resulting rows into :class:`Figures`.

The parts: ``functions`` (SQL that differs by database), ``scope`` (the subtree, bound
parameters, the grain), ``rows`` (the stacked row every section returns), the sections of
``records``, ``pledges`` and ``people`` gathered by ``sections``, and ``assemble``. This
package exports what the repository and the snapshot use.
"""

from storage.summary.sql.assemble import assemble
from storage.summary.sql.functions import count_if, int_literal, strpos, unindexed
from storage.summary.sql.people import DATED, takes_tests, there_during
from storage.summary.sql.records import case_kinds_cte, kinds_rows
from storage.summary.sql.rows import SEC_ELIGIBLE, SEC_KINDS, SEC_QUIZ, WIDTH
from storage.summary.sql.scope import BoundQuery, Grain, Scope, bound_query, subtree
from storage.summary.sql.sections import sections

__all__ = [
    "DATED",
    "SEC_ELIGIBLE",
    "SEC_KINDS",
    "SEC_QUIZ",
    "WIDTH",
    "BoundQuery",
    "Grain",
    "Scope",
    "assemble",
    "bound_query",
    "case_kinds_cte",
    "count_if",
    "int_literal",
    "kinds_rows",
    "sections",
    "strpos",
    "subtree",
    "takes_tests",
    "there_during",
    "unindexed",
]
