"""Typed failures of the event store: each says whether retrying can help."""

from __future__ import annotations


class StoreError(Exception):
    """Base of the store's refusals."""

    retryable = False


class EventConflict(StoreError):
    """An event id is already stored with other content (or in another batch): never retry."""

    def __init__(self, case_id: str, event_id: str, message: str) -> None:
        super().__init__(message)
        self.case_id = case_id
        self.event_id = event_id


class ConcurrencyError(StoreError):
    """The case moved on since the writer read it (``expected_seq`` is stale): reload and retry."""

    retryable = True

    def __init__(self, case_id: str, expected_seq: int, actual_seq: int) -> None:
        where = f"at seq {actual_seq}" if actual_seq >= 0 else "past that seq"
        super().__init__(f"Case {case_id} is {where}, not at seq {expected_seq}: another writer recorded events first.")
        self.case_id = case_id
        self.expected_seq = expected_seq
        self.actual_seq = actual_seq
        """The case's last seq, or -1 when unknown."""


class DuplicateDnr(StoreError):
    """Another case already has this Dnr (compared blanks collapsed, case ignored); nothing was recorded."""

    def __init__(self, case_id: str, dnr: str) -> None:
        super().__init__(f"A case with Dnr {dnr} already exists.")
        self.case_id = case_id
        self.dnr = dnr


class InvalidBatch(StoreError):
    """The events cannot be appended as given (wrong case, event before CaseOpened): a caller's bug."""


class UnknownCase(StoreError):
    """No case has this id or Dnr."""

    def __init__(self, ident: str) -> None:
        super().__init__(f"No case has the id or Dnr {ident!r}.")
        self.ident = ident
