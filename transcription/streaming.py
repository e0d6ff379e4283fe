"""Serving a stored audio file with HTTP Range support, a block at a time.

A player seeking in an hours-long recording asks for a byte range (RFC 9110 §14): the answer is
206 Partial Content with that range, 416 when the range lies wholly past the end, and the whole
file (200) when there is no Range header, or one this module does not serve (several ranges, or
one it cannot read, which the RFC allows a server to ignore). HEAD gets the same headers and no
body. The file is read through its storage's `open()`, so this works the same for files on disk
and in object storage, and is never loaded whole: it is sent in blocks of `BLOCK_SIZE` bytes.
"""

import hashlib
import re

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

BLOCK_SIZE = 64 * 1024
RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


class UnsatisfiableRange(Exception):
    """The range starts at or past the end of the file."""


def parse_range(header, size):
    """(first, last) byte positions, inclusive, for a single-range header; None to send it all.

    Raises UnsatisfiableRange when the range is well formed but holds none of the file's bytes.
    """
    if not header:
        return None
    match = RANGE_RE.match(header.strip().replace(" ", ""))
    if match is None:
        return None  # several ranges, or a unit other than bytes: send the whole file
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise UnsatisfiableRange
        return max(size - suffix, 0), size - 1
    first = int(first)
    if last and int(last) < first:
        return None  # invalid: ignored, as the RFC says
    if first >= size:
        raise UnsatisfiableRange
    return first, min(int(last), size - 1) if last else size - 1


def _blocks(handle, first, length):
    """Yield `length` bytes of `handle` from `first`, closing the file however the sending ends."""
    try:
        handle.seek(first)
        remaining = length
        while remaining > 0:
            block = handle.read(min(BLOCK_SIZE, remaining))
            if not block:
                break
            remaining -= len(block)
            yield block
    finally:
        handle.close()


def _etag(name, size):
    """Stored names are random and never reused for other content: name and size identify it."""
    digest = hashlib.sha256(f"{name}:{size}".encode()).hexdigest()[:16]
    return f'"{digest}"'


def serve_stored_file(
    request, field_file, *, content_type, filename="", cache_control="private, no-cache"
):
    """The response for GET or HEAD of `field_file` (a FieldFile), honouring a Range header.

    Raises Http404 when the file is missing from storage.
    """
    if not field_file:
        raise Http404("No file.")
    storage, name = field_file.storage, field_file.name
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("The file is missing from storage.") from error
    size = handle.size
    etag = _etag(name, size)

    headers = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Cache-Control": cache_control,
        "Content-Type": content_type,
    }
    if filename:
        headers["Content-Disposition"] = content_disposition_header(False, filename)

    range_header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "")
    if if_range and if_range != etag:
        range_header = ""  # the client's copy is out of date: send the whole new file
    if request.headers.get("If-None-Match") == etag and not range_header:
        handle.close()
        return HttpResponse(status=304, headers={"ETag": etag, "Cache-Control": cache_control})

    try:
        requested = parse_range(range_header, size)
    except UnsatisfiableRange:
        handle.close()
        return HttpResponse(
            status=416,
            headers={
                "Content-Range": f"bytes */{size}",
                "Accept-Ranges": "bytes",
                "Content-Type": "text/plain; charset=utf-8",
            },
            content=b"The requested range is past the end of the file.",
        )

    first, last = requested if requested else (0, size - 1)
    length = max(last - first + 1, 0)
    status = 206 if requested else 200
    if requested:
        headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    headers["Content-Length"] = str(length)

    if request.method == "HEAD":
        handle.close()
        return HttpResponse(status=status, headers=headers)
    return StreamingHttpResponse(_blocks(handle, first, length), status=status, headers=headers)
