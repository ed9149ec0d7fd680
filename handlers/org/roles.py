"""Human names of roles and levels, in the person's language."""

from __future__ import annotations

# The cadre roles are defined in the core (the calendar's audiences use them too); the
# other groups of roles are named here.
from handlers.core.domain import CADRE_ROLES as CADRE_ROLES
from handlers.core.domain import Role, UnitLevel
from handlers.core.i18n import Translator


def role_name(t: Translator, role: Role) -> str:
    """Translated name of a role."""
    names = {
        Role.CADRE: t._("leading cadre"),
        Role.UNIT_HEAD: t._("unit principal"),
        Role.INSPECTOR: t._("discipline inspector"),
        Role.SUPERVISOR: t._("supervisor"),
        Role.ADMIN: t._("administrator"),
    }
    return names[role]


def level_name(t: Translator, level: UnitLevel) -> str:
    """Translated name of a unit level."""
    names = {
        UnitLevel.CITY: t._("city"),
        UnitLevel.COUNTY: t._("county/district"),
        UnitLevel.DEPARTMENT: t._("department"),
        UnitLevel.TOWNSHIP: t._("township"),
    }
    return names[level]


#: Roles that may read and write discipline records for their subtree.
STAFF_ROLES = (Role.INSPECTOR,)
