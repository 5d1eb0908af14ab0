"""Is a text Swedish? What English words and internal codes a Swedish text must never contain.

The pages and the Swedish messages are checked with :func:`english_in`: English function words
(none of them a Swedish word), the words of the English catalogue that Swedish never uses, and
codes (``awaiting_response``, ``response_due``) — a code is what a person must never be shown.
"""

from __future__ import annotations

import re

_WORDS = """the must should cannot can't please required invalid while before after needs does doesn't
    has have been already there this that with your you may only case cases state role draft
    date due awaiting review response submit submitted error field fields missing wrong allowed
    not is are was were which when would could into from of to it"""
ENGLISH = frozenset(_WORDS.split())
"""English words that are not Swedish words (``is``, ``not`` and ``from`` are rare enough in Swedish)."""
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")
"""A snake_case code (state, field, role)."""
WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé']+")


def english_in(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The English words and codes in ``text`` (``allowed``: words the caller knows are data, not language)."""
    found = [w for w in WORD.findall(text) if w.lower() in ENGLISH and w.lower() not in allowed]
    found += [c for c in CODE.findall(text) if c not in allowed]
    return found
