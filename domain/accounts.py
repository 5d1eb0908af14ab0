"""User accounts: the rules for who may be registered with which roles."""

from __future__ import annotations

import re

from domain.actors import USER_ROLES, Role
from domain.errors import invalid
from domain.values import Frozen

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
PASSWORD_MIN = 10


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
    """Check an account before it is created; a DomainError names the wrong field."""
    if not USERNAME.fullmatch(username):
        raise invalid("username", "A username is 2-64 characters: lower-case letters, digits, '.', '_' or '-'.")
    if len(password) < PASSWORD_MIN:
        raise invalid("password", f"A password needs at least {PASSWORD_MIN} characters.")
    if not roles:
        raise invalid("roles", "A user needs at least one role.")
    valid = {r.value for r in USER_ROLES}
    for index, role in enumerate(roles):
        if role not in valid:
            raise invalid(f"roles[{index}]", f"{role!r} is not a role; roles are: {', '.join(sorted(valid))}.")
    parsed = frozenset(Role(r) for r in roles)
    if Role.ORGANISER in parsed and not organiser_id:
        raise invalid("organiser_id", "A user with the role organiser must belong to an organiser (organiser_id).")
    if Role.ORGANISER not in parsed and organiser_id:
        raise invalid("organiser_id", "Only users with the role organiser belong to an organiser.")
    name = full_name.strip() if full_name else None
    return NewAccount(
        username=username, password=password, roles=parsed, organiser_id=organiser_id, full_name=name or None
    )
