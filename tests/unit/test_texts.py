"""Free texts: printable, line breaks allowed, control characters (such as NUL) refused."""

from __future__ import annotations

import pytest

from domain import DomainError
from domain.rules import text


def test_line_breaks_and_tabs_are_kept() -> None:
    assert text("what", "Rad ett.\nRad två.\tSlut.") == "Rad ett.\nRad två.\tSlut."


@pytest.mark.parametrize("bad", ["nul\x00byte", "bell\x07", "escape\x1b[31m"])
def test_control_characters_are_refused(bad: str) -> None:
    with pytest.raises(DomainError) as info:
        text("what", bad)
    assert (info.value.code, info.value.field) == ("validation_error", "what")
