"""The message catalogue: every refusal's words in Swedish and English, in one place.

A refusal (``domain.errors.DomainError``) carries a stable key and parameters; the edge renders
it with :func:`render` — Swedish on the pages and by default in the API, English for
``Accept-Language: en``, the CLI and logs. The catalogue is pure data (``catalogue.py``); field
names are told by their forms' Swedish labels, which are declared with the commands.
"""

from domain.messages.catalogue import FIELD_LABELS, MESSAGES, REFERENCES
from domain.messages.render import DATE_PARAMS, KNOWN_PARAMS, Lang, field_label, iso, language, placeholders, render

__all__ = [
    "DATE_PARAMS",
    "FIELD_LABELS",
    "KNOWN_PARAMS",
    "MESSAGES",
    "REFERENCES",
    "Lang",
    "field_label",
    "iso",
    "language",
    "placeholders",
    "render",
]
