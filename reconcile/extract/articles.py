"""Read news articles: plain ``.txt`` files, JSONL feeds, or a folder of both."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from reconcile.contract import InputError
from reconcile.io import decode_text, json_objects

__all__ = ["read_articles", "ARTICLE_FIELDS"]

#: The fields of one article, as read from a feed line.
ARTICLE_FIELDS = ("id", "text", "published", "outlet", "url", "language")
_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


def _check_published(value, file: str, line: int | None) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if not isinstance(value, str) or not _ISO.match(value.strip()):
        raise InputError(f"'published' must be an ISO 8601 date, got {value!r}", file=file, line=line)
    try:
        datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"'published' is not a valid date: {value!r} ({exc})", file=file, line=line) from None
    return value.strip()


def _read_txt(path: Path) -> dict:
    text = decode_text(path.read_bytes(), str(path))
    header = _HEADER.match(text)
    return {"id": path.name, "text": text, "published": header.group(1) if header else None,
            "outlet": None, "url": None, "language": None}


def _read_jsonl(path: Path) -> list[dict]:
    out = []
    for number, obj in json_objects(decode_text(path.read_bytes(), str(path)), str(path)):
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InputError("missing or empty 'text'", file=str(path), line=number)
        for key in ("id", "outlet", "url", "language"):
            if obj.get(key) is not None and not isinstance(obj[key], (str, int)):
                raise InputError(f"'{key}' must be a string, got {type(obj[key]).__name__}",
                                 file=str(path), line=number)
        out.append({
            "id": str(obj["id"]) if obj.get("id") is not None else f"{path.name}:{number}",
            "text": text,
            "published": _check_published(obj.get("published"), str(path), number),
            "outlet": obj.get("outlet"), "url": obj.get("url"), "language": obj.get("language"),
        })
    return out


def read_articles(path) -> list[dict]:
    """Articles from a ``.txt`` file, a ``.jsonl`` feed ({id, text, published, outlet, url, language}
    a line) or a folder of them; bad feed lines raise :class:`InputError` naming file and line."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or folder", file=str(path))
    if path.is_dir():
        out = []
        for child in sorted(path.iterdir()):
            if child.suffix.lower() in (".txt", ".jsonl"):
                out.extend(read_articles(child))
        return out
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return _read_jsonl(path)
    if path.suffix.lower() == ".txt":
        return [_read_txt(path)]
    raise InputError(f"unsupported article file type {path.suffix!r} (use .txt or .jsonl)", file=str(path))
