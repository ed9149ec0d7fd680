"""Human names of roles and levels, in the person's language."""

from __future__ import annotations

# The cadre roles are defined in the core (the calendar's audiences use them too); the
# other groups of roles are named here.
from handlers.core.domain import CADRE_ROLES as CADRE_ROLES
from handlers.core.domain import Role, UnitLevel
from handlers.core.i18n import N_, Translator

#: The names of roles and unit levels as message ids, translated when shown.
_NAMES: dict[Role | UnitLevel, str] = {
    Role.CADRE: N_("leading cadre"),
    Role.UNIT_HEAD: N_("unit principal"),
    Role.INSPECTOR: N_("discipline inspector"),
    Role.SUPERVISOR: N_("supervisor"),
    Role.ADMIN: N_("administrator"),
    UnitLevel.CITY: N_("city"),
    UnitLevel.COUNTY: N_("county/district"),
    UnitLevel.DEPARTMENT: N_("department"),
    UnitLevel.TOWNSHIP: N_("township"),
}

#: The role names an administrator types (``/invite``, ``/revoke``, the command line) or an
#: import file holds: the CLI names and the Chinese ones.
ROLE_ALIASES = {
    "cadre": Role.CADRE, "干部": Role.CADRE, "领导干部": Role.CADRE,
    "unit_head": Role.UNIT_HEAD, "一把手": Role.UNIT_HEAD, "主要负责人": Role.UNIT_HEAD,
    "inspector": Role.INSPECTOR, "纪检": Role.INSPECTOR, "纪检监察干部": Role.INSPECTOR,
    "supervisor": Role.SUPERVISOR, "督查": Role.SUPERVISOR,
    "admin": Role.ADMIN, "管理员": Role.ADMIN,
}  # fmt: skip


def role_name(t: Translator, role: Role) -> str:
    """Translated name of a role."""
    return t._(_NAMES[role])


def level_name(t: Translator, level: UnitLevel) -> str:
    """Translated name of a unit level."""
    return t._(_NAMES[level])


#: Roles that may read and write discipline records for their subtree.
STAFF_ROLES = (Role.INSPECTOR,)
