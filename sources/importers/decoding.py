"""From the bytes of a saved page to text, refusing what is not a text page.

Order: size limit, empty, known binary signatures, UTF-16/UTF-8 (with or without BOM), then the
legacy Windows code pages that Persian and Arabic sites used (Windows-1256), and Windows-1252 for
old English pages. A legacy code page is only chosen when the decoded text looks like that
script, so that a random binary file is never "decoded" into mojibake and stored.
"""

import re

from sources.importers.base import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_LABEL,
    MESSAGE_BINARY,
    MESSAGE_EMPTY,
    MESSAGE_TOO_LARGE,
    MESSAGE_UNKNOWN_ENCODING,
    ImportRejected,
)

_SIGNATURES = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0", "old Office document"),
    (b"RIFF", "audio/video or WebP file"),
    (b"\x7fELF", "program"),
    (b"MZ", "Windows program"),
    (b"SQLite format 3", "SQLite database"),
)
# A UTF-8 page with at most one broken sequence per this many characters is still UTF-8.
DAMAGED_UTF8_PER_CHARACTERS = 1000
# Share of control characters (other than tab and line breaks) above which text is not text.
MAX_CONTROL_SHARE = 0.01
# Share of the non-ASCII characters that must be Arabic-script letters to accept Windows-1256.
MIN_ARABIC_SHARE_1256 = 0.6
# ... and that must be Latin letters or typographic punctuation to accept Windows-1252.
MIN_LATIN_SHARE_1252 = 0.8
_LATIN_PUNCTUATION = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0\u00a9\u00ae\u00b0\u20ac\u00ab\u00bb\u00b7"
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]")


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} kB"
    return f"{size} bytes"


def _reject(message, code: str, **params):
    raise ImportRejected(message, code=code, params=params or None)


# Unicode's control characters (category Cc: U+0000-U+001F and U+007F-U+009F) but tab, line
# feed, carriage return and form feed; counted by one regular expression, not a call per character.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for _ in _CONTROL.finditer(text))
    return controls / len(text)


def _looks_like_windows_1256(text: str) -> bool:
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return False
    arabic = sum(1 for ch in non_ascii if _ARABIC_LETTER.match(ch))
    return arabic / len(non_ascii) >= MIN_ARABIC_SHARE_1256


def decode_page(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding name)``; raise ImportRejected with a message saying what is wrong."""
    if len(data) > MAX_IMPORT_BYTES:
        _reject(MESSAGE_TOO_LARGE, "too_large", size=human_size(len(data)), limit=MAX_IMPORT_LABEL)
    if not data.strip():
        _reject(MESSAGE_EMPTY, "empty")
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            _reject(MESSAGE_BINARY, "binary", kind=kind)

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            _reject(MESSAGE_BINARY, "binary", kind="unreadable UTF-16")
    elif b"\x00" in data:
        _reject(MESSAGE_BINARY, "binary", kind="contains NUL bytes")
    else:
        try:
            text = data.decode("utf-8-sig")
            encoding = "UTF-8"
        except UnicodeDecodeError:
            text = data.decode("utf-8-sig", errors="replace")
            damaged = text.count("\ufffd")
            if damaged * DAMAGED_UTF8_PER_CHARACTERS <= len(text):
                # A UTF-8 page with a few broken bytes (a cut multi-byte character): read as UTF-8;
                # Windows-1256 would turn every Persian letter of it into two wrong ones.
                encoding = f"UTF-8 ({damaged} damaged byte sequence(s) replaced by \ufffd)"
            else:
                text, encoding = _decode_legacy(data)

    if _control_share(text) > MAX_CONTROL_SHARE:
        _reject(MESSAGE_BINARY, "binary", kind="control characters")
    text = text.lstrip("\ufeff")
    if not text.strip():
        _reject(MESSAGE_EMPTY, "empty")
    return text, encoding


def _looks_like_windows_1252(text: str) -> bool:
    non_ascii = [ch for ch in text if ord(ch) > 127]
    plausible = sum(1 for ch in non_ascii if ch.isalpha() or ch in _LATIN_PUNCTUATION)
    return plausible / max(1, len(non_ascii)) >= MIN_LATIN_SHARE_1252


def _decode_legacy(data: bytes) -> tuple[str, str]:
    text = data.decode("cp1256", errors="replace")
    if "\ufffd" not in text and _looks_like_windows_1256(text):
        return text, "Windows-1256"
    text = data.decode("cp1252", errors="replace")
    if "\ufffd" not in text and _looks_like_windows_1252(text):
        return text, "Windows-1252"
    _reject(MESSAGE_UNKNOWN_ENCODING, "unknown_encoding")
