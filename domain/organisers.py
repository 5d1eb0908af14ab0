"""School organisers (huvudmän): who they are and where their notices go."""

from __future__ import annotations

import re

from domain import rules
from domain.errors import Refusals, invalid
from domain.values import Frozen

# One address, no display name: local@domain.tld with no spaces, one '@', a dot in the domain.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL = re.compile(rf"[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]+@{_LABEL}(?:\.{_LABEL})+")
_ORGANISER_ID = re.compile(r"[0-9]{6}-[0-9]{4}")


class Organiser(Frozen):
    """A school organiser: organisation number, name and the address notices go to."""

    organiser_id: str
    name: str
    email: str


def email(field: str, value: str) -> str:
    """A single e-mail address (local@domain), at most 254 characters."""
    address = value.strip()
    if len(address) > 254 or not _EMAIL.fullmatch(address) or ".." in address:
        raise invalid(field, "email.invalid", value=value)
    return address


def register(organiser_id: str, name: str, address: str) -> Organiser:
    """A valid organiser record, or a DomainError naming every wrong field at once."""
    found = Refusals()
    organiser_id = organiser_id.strip()
    if not _ORGANISER_ID.fullmatch(organiser_id):
        found.add(invalid("organiser_id", "organiser.id_invalid", value=organiser_id))
    name = found.check(rules.name, "name", name, rules.SHORT_TEXT_MAX)
    address = found.check(email, "email", address)
    found.done()
    return Organiser(organiser_id=organiser_id, name=name, email=address)
