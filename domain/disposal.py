"""Disposal (gallring) by explicit rule: a document type and how long after its case ended it is kept.

Rules are configured (``INSPECTIONS_DISPOSAL_RULES``, e.g. ``attachment=2y``), never implied: a type
without a rule is kept for ever, and decisions are never disposed of, whatever is configured. Pure:
:func:`parse_rules` reads the setting, :func:`due` says which entries of an ended case's register a
rule lets go on a given day, and the store removes only those bytes (store.register.dispose).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date, timedelta

from domain.register import DECISION_KINDS, KIND_LABELS, Entry, EntryKind
from domain.values import Frozen

_PERIOD = re.compile(r"^(\d{1,3})([ymd])$")
_UNITS = {"y": ("år", "år"), "m": ("månad", "månader"), "d": ("dag", "dagar")}
DISPOSABLE_KINDS = frozenset({EntryKind.ATTACHMENT})
"""The types whose entries carry bytes that may go: attachments (decisions never; the others have no file)."""


class DisposalRuleError(ValueError):
    """The configured rules cannot be used; the message names the rule and what is wrong."""


class DisposalRule(Frozen):
    """Documents of ``kind`` may be disposed of ``amount`` ``unit`` (y, m, d) after their case ended."""

    kind: EntryKind
    amount: int
    unit: str

    @property
    def text(self) -> str:
        """The rule as configured, e.g. ``attachment=2y`` (what a disposal event records)."""
        return f"{self.kind.value}={self.amount}{self.unit}"

    @property
    def description(self) -> str:
        """The rule in Swedish, e.g. "Bilaga: gallras 2 år efter att ärendet avslutats"."""
        one, many = _UNITS[self.unit]
        period = "när ärendet avslutats" if self.amount == 0 else f"{self.amount} {one if self.amount == 1 else many}"
        when = period if self.amount == 0 else f"{period} efter att ärendet avslutats"
        return f"{KIND_LABELS[self.kind]}: gallras {when}"

    def due_on(self, ended_on: date) -> date:
        """The first day documents of a case that ended on ``ended_on`` may go."""
        if self.unit == "d":
            return ended_on + timedelta(days=self.amount)
        months = self.amount * (12 if self.unit == "y" else 1)
        year, month = divmod(ended_on.month - 1 + months, 12)
        year, month = ended_on.year + year, month + 1
        # 31 January + 1 month is the last day of February
        return date(year, month, min(ended_on.day, calendar.monthrange(year, month)[1]))


def parse_rules(text: str) -> tuple[DisposalRule, ...]:
    """The rules of a setting such as ``attachment=2y,…`` (empty: none); DisposalRuleError names a bad one."""
    rules: dict[EntryKind, DisposalRule] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        kind_text, _, period = (s.strip() for s in part.partition("="))
        try:
            kind = EntryKind(kind_text)
        except ValueError:
            raise DisposalRuleError(f"Disposal rule {part!r}: no document type {kind_text!r}.") from None
        if kind in DECISION_KINDS:
            raise DisposalRuleError(f"Disposal rule {part!r}: decisions are never disposed of.")
        if kind not in DISPOSABLE_KINDS:
            allowed = ", ".join(sorted(k.value for k in DISPOSABLE_KINDS))
            raise DisposalRuleError(f"Disposal rule {part!r}: {kind.value} has no file to dispose of (use {allowed}).")
        match = _PERIOD.match(period)
        if match is None:
            raise DisposalRuleError(f"Disposal rule {part!r}: the period must be a number and y, m or d, e.g. 2y.")
        if kind in rules:
            raise DisposalRuleError(f"Disposal rule {part!r}: {kind.value} has a rule already.")
        rules[kind] = DisposalRule(kind=kind, amount=int(match.group(1)), unit=match.group(2))
    return tuple(rules.values())


class Due(Frozen):
    """A register entry whose document a rule lets go, and from which day."""

    entry: Entry
    rule: DisposalRule
    due_on: date


def due(rules: Sequence[DisposalRule], ended_on: date | None, register: Sequence[Entry], today: date) -> list[Due]:
    """The entries of a case's register whose bytes ``rules`` let go on ``today``.

    Only for a case that has ended (``ended_on``: the day it was closed or referred), only entries with a
    document not disposed of already, never a decision, and only once the rule's period has passed.
    """
    if ended_on is None:
        return []
    by_kind = {rule.kind: rule for rule in rules}
    found = []
    for entry in register:
        rule = by_kind.get(entry.entry.kind)
        if rule is None or entry.entry.kind in DECISION_KINDS:
            continue
        if entry.entry.document_sha256 is None or entry.disposal is not None:
            continue
        if today >= rule.due_on(ended_on):
            found.append(Due(entry=entry, rule=rule, due_on=rule.due_on(ended_on)))
    return found
