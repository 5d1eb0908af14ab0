"""Read one uploaded file from a ``multipart/form-data`` body as it streams in, never more than the limit.

Starlette's own form parser reads the whole body (spooling files to disk) before a route sees it; an
upload route here must stop at the first byte past ``MAX_UPLOAD_BYTES`` instead (docs/api.md: over 20 MB
is 413, and nothing is stored). :func:`read_file_part` feeds the body to python-multipart's streaming
parser chunk by chunk and stops reading as soon as the file part is too large.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header


class NoFile(Exception):
    """The body is not multipart/form-data, or it has no part named as expected."""


@dataclass
class FilePart:
    """The file part read: its name as the client gave it, its bytes, and whether it went past the limit."""

    filename: str | None = None
    content: bytearray = field(default_factory=bytearray)
    too_large: bool = False


@dataclass
class _Reading:
    """The parser's state between callbacks."""

    wanted: str
    limit: int
    header_field: bytes = b""
    header_value: bytes = b""
    headers: dict[bytes, bytes] = field(default_factory=dict)
    in_file: bool = False
    found: FilePart | None = None

    def on_part_begin(self) -> None:
        self.headers, self.in_file = {}, False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.lower()] = self.header_value
        self.header_field, self.header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, params = parse_options_header(self.headers.get(b"content-disposition", b""))
        name = params.get(b"name", b"").decode("utf-8", "replace")
        if name == self.wanted and self.found is None:
            raw = params.get(b"filename")
            self.found = FilePart(filename=raw.decode("utf-8", "replace") if raw is not None else None)
            self.in_file = True

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self.found
        if not self.in_file or part is None or part.too_large:
            return
        part.content += data[start:end]
        if len(part.content) > self.limit:
            part.too_large = True
            del part.content[self.limit + 1 :]  # keep no more than was allowed, plus the byte that told


async def read_file_part(content_type: str, body: AsyncIterator[bytes], name: str, limit: int) -> FilePart:
    """The part ``name`` of the multipart ``body``; reading stops once that part is over ``limit`` bytes.

    Raises :class:`NoFile` when the body is not multipart/form-data, cannot be parsed, or has no such part.
    """
    kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise NoFile("the body is not multipart/form-data")
    reading = _Reading(wanted=name, limit=limit)
    callbacks = {
        "on_part_begin": reading.on_part_begin,
        "on_header_field": reading.on_header_field,
        "on_header_value": reading.on_header_value,
        "on_header_end": reading.on_header_end,
        "on_headers_finished": reading.on_headers_finished,
        "on_part_data": reading.on_part_data,
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    try:
        async for chunk in body:
            parser.write(chunk)
            if reading.found is not None and reading.found.too_large:
                return reading.found  # stop reading: the rest of the body is never taken in
        parser.finalize()
    except MultipartParseError as error:
        raise NoFile(f"the multipart body cannot be read: {error}") from None
    if reading.found is None:
        raise NoFile(f"the body has no part named {name!r}")
    return reading.found
