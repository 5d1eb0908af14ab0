"""User accounts: the rules for who may be registered with which roles."""

from __future__ import annotations

import re

from domain import rules
from domain.actors import USER_ROLES, Role
from domain.errors import Refusals, invalid
from domain.values import Frozen

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
PASSWORD_MIN = 10
PASSWORD_MAX_BYTES = 1024
"""argon2 hashes any length; a cap keeps a megabyte "password" from costing the server (issue 14)."""


class NewAccount(Frozen):
    """A valid account to create (the password still in clear; the caller hashes it)."""

    username: str
    password: str
    roles: frozenset[Role]
    organiser_id: str | None
    full_name: str | None


def new_account(
    username: str, password: str, roles: list[str], organiser_id: str | None, full_name: str | None = None
) -> NewAccount:
    """Check an account before it is created; a DomainError names every wrong field at once."""
    found = Refusals()
    if not USERNAME.fullmatch(username):
        found.add(invalid("username", "user.name_invalid"))
    if len(password) < PASSWORD_MIN:
        found.add(invalid("password", "user.password_short", min=PASSWORD_MIN))
    found.check(password_is_short_enough, password)
    if not roles:
        found.add(invalid("roles", "user.no_roles"))
    valid = {r.value for r in USER_ROLES}
    for index, role in enumerate(roles):
        if role not in valid:
            found.add(invalid(f"roles[{index}]", "user.bad_role", value=role, codes=sorted(valid)))
    parsed = frozenset(Role(r) for r in roles if r in valid)
    if Role.ORGANISER in parsed and not organiser_id:
        found.add(invalid("organiser_id", "user.organiser_needed"))
    if parsed and Role.ORGANISER not in parsed and organiser_id:
        found.add(invalid("organiser_id", "user.organiser_only"))
    name = found.check(rules.name, "full_name", full_name) if full_name and full_name.strip() else None
    found.done()
    return NewAccount(username=username, password=password, roles=parsed, organiser_id=organiser_id, full_name=name)


def new_password(password: str) -> str:
    """A password to set (a reset): as long as an account's must be, and no longer than argon2 is given."""
    if len(password) < PASSWORD_MIN:
        raise invalid("password", "user.password_short", min=PASSWORD_MIN)
    return password_is_short_enough(password)


def password_is_short_enough(password: str) -> str:
    """Refuse a password of more than ``PASSWORD_MAX_BYTES`` bytes (UTF-8)."""
    if len(password.encode("utf-8", "surrogatepass")) > PASSWORD_MAX_BYTES:
        raise invalid("password", "user.password_long", max=PASSWORD_MAX_BYTES)
    return password
