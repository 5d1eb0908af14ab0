"""The commands a response round's timer issues: reminders and the overdue mark (no person, no form)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from domain import events as ev
from domain.actors import Role
from domain.commands.base import CommandBase, Fact
from domain.errors import invalid_state
from domain.state import CaseState, reminder_key
from domain.values import CaseStatus


def _current_round(state: CaseState, round: int, response_due: date) -> None:
    """A timer set for a deadline that has since moved or passed to a new round is stale."""
    if (round, response_due) != (state.round, state.response_due):
        raise invalid_state("timer.stale", round=round, due=response_due)


class SendReminder(CommandBase):
    """Issued by the round's timer: remind the organiser or the inspectorate."""

    command: Literal["send-reminder"] = "send-reminder"
    roles = (Role.SYSTEM,)
    states = (CaseStatus.AWAITING_RESPONSE,)
    round: int
    response_due: date
    recipient: Literal["organiser", "inspectorate"]
    days_before_due: int

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """Only for the current deadline, and each reminder once."""
        _current_round(state, self.round, self.response_due)
        if reminder_key(self.round, self.response_due, self.recipient, self.days_before_due) in state.reminders_sent:
            raise invalid_state("reminder.already_sent")
        data = {
            "round": self.round,
            "response_due": self.response_due,
            "recipient": self.recipient,
            "days_before_due": self.days_before_due,
        }
        return [(ev.ReminderSent, today, data)]


class MarkOverdue(CommandBase):
    """Issued by the round's timer when the due date has passed without an account."""

    command: Literal["mark-overdue"] = "mark-overdue"
    roles = (Role.SYSTEM,)
    states = (CaseStatus.AWAITING_RESPONSE,)
    round: int
    response_due: date

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """Only for the current deadline, once, and only after the due date has passed."""
        _current_round(state, self.round, self.response_due)
        if state.overdue:
            raise invalid_state("overdue.already")
        if today <= self.response_due:
            raise invalid_state("overdue.too_early", due=self.response_due)
        return [(ev.ResponseOverdue, today, {"round": self.round, "response_due": self.response_due})]
