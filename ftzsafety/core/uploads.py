"""One place that decides whether an uploaded file may be kept.

Every upload (documents, SDS for filings, hazard photos) goes through `check_upload`:

- the size is limited (read at most `max_bytes + 1` bytes, so a huge body is never held whole);
- the type is decided from the content (magic bytes), never from the client's Content-Type;
- the name's extension must agree with the content (a PNG called `licence.pdf` is refused);
- the name is made safe (no path, no control or reserved characters, bounded length);
- the SM3 digest (GB/T 32905-2016) of the exact bytes is computed, so a stored file can be checked later.

A refusal is a `core.errors.ValidationFailed` naming the form field, what is wrong and what is expected; the
caller has stored nothing at that point.

Images can carry the phone's EXIF block, including where the photo was taken; `image_strip_metadata` re-encodes
an image without any metadata and returns the GPS position as data, so a hazard report can keep the location as a
field while the published photo does not leak it (个人信息保护法 第二十八条/第五十一条: collect only what is needed
and protect it).
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from django.utils.translation import gettext as _

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.security import crypto

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_NAME_LENGTH = 120


class UploadKind(StrEnum):
    PDF = "pdf"
    PNG = "png"
    JPEG = "jpeg"
    WEBP = "webp"
    TEXT = "text"


IMAGE_KINDS = frozenset({UploadKind.PNG, UploadKind.JPEG, UploadKind.WEBP})
DOCUMENT_KINDS = frozenset({UploadKind.PDF, UploadKind.PNG, UploadKind.JPEG, UploadKind.WEBP})

# The extensions a name may end in for each kind; the first is the one a nameless file gets.
EXTENSIONS: dict[UploadKind, tuple[str, ...]] = {
    UploadKind.PDF: (".pdf",),
    UploadKind.PNG: (".png",),
    UploadKind.JPEG: (".jpg", ".jpeg"),
    UploadKind.WEBP: (".webp",),
    UploadKind.TEXT: (".txt", ".csv"),
}

CONTENT_TYPES: dict[UploadKind, str] = {
    UploadKind.PDF: "application/pdf",
    UploadKind.PNG: "image/png",
    UploadKind.JPEG: "image/jpeg",
    UploadKind.WEBP: "image/webp",
    UploadKind.TEXT: "text/plain; charset=utf-8",
}


class UploadedLike(Protocol):
    """What `check_upload` needs: Django's and django-ninja's `UploadedFile` both qualify."""

    name: str | None

    def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check. `content` is the exact bytes received."""

    name: str  # safe file name, extension agreeing with `kind`
    kind: UploadKind
    content_type: str
    size: int
    sm3: str  # 64 hex characters
    content: bytes


@dataclass(frozen=True)
class GpsLocation:
    """WGS-84 position from a photo's EXIF GPS block (as the camera recorded it)."""

    latitude: float
    longitude: float
    altitude: float | None = None


@dataclass(frozen=True)
class StrippedImage:
    """An image re-encoded without metadata, and what the metadata said that is worth keeping as data."""

    content: bytes
    kind: UploadKind
    size: int
    sm3: str
    width: int
    height: int
    gps: GpsLocation | None
    taken_at: datetime | None  # naive, camera-local time: EXIF carries no zone


def kind_label(kind: UploadKind | str) -> str:
    return {
        UploadKind.PDF: "PDF",
        UploadKind.PNG: "PNG",
        UploadKind.JPEG: "JPEG",
        UploadKind.WEBP: "WebP",
        UploadKind.TEXT: _("plain text (UTF-8)"),
    }[UploadKind(kind)]


def _kinds_text(kinds: Iterable[UploadKind]) -> str:
    return ", ".join(f"{kind_label(k)} ({'/'.join(EXTENSIONS[k])})" for k in sorted(kinds))


def _size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} B"


def sniff_kind(data: bytes) -> UploadKind | None:
    """The kind of `data` judged by its first bytes (and, for text, by decoding it), or None if unknown."""
    if data.startswith(b"%PDF-"):
        return UploadKind.PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return UploadKind.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return UploadKind.JPEG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return UploadKind.WEBP
    if data and b"\x00" not in data:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        # Control characters other than tab/newline/carriage return/form feed mean a binary file.
        if not any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text):
            return UploadKind.TEXT
    return None


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def safe_filename(name: str | None, *, kind: UploadKind) -> str:
    """A file name safe to store and to offer in Content-Disposition.

    Drops any directory part (`../../etc/passwd` → `passwd`), normalises (NFKC: full-width → half-width), removes
    control and reserved characters, keeps Chinese, bounds the length, and makes sure the extension is one of
    `kind`'s (adding the default one when the name has none).
    """
    raw = unicodedata.normalize("NFKC", name or "")
    raw = raw.replace("\\", "/").rsplit("/", 1)[-1]
    raw = _UNSAFE.sub("_", raw)
    raw = re.sub(r"\s+", " ", raw).strip(" ._")
    stem, dot, ext = raw.rpartition(".")
    if not dot:
        stem, ext = raw, ""
    ext = f".{ext.lower()}" if ext else ""
    if ext not in EXTENSIONS[kind]:
        stem, ext = (raw if not dot else f"{stem}.{ext.lstrip('.')}"), EXTENSIONS[kind][0]
    stem = stem.strip(" ._") or "upload"
    stem = stem[: MAX_NAME_LENGTH - len(ext)]
    return f"{stem}{ext}"


def _extension(name: str | None) -> str:
    base = unicodedata.normalize("NFKC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    _stem, dot, ext = base.rpartition(".")
    return f".{ext.strip().lower()}" if dot and ext.strip() else ""


def _read_bounded(uploaded: UploadedLike | bytes, limit: int) -> bytes:
    if isinstance(uploaded, bytes | bytearray):
        return bytes(uploaded[:limit])
    if hasattr(uploaded, "seek"):
        with contextlib.suppress(OSError, ValueError):
            uploaded.seek(0)
    return uploaded.read(limit)


def check_upload(
    uploaded: UploadedLike,
    *,
    field: str,
    allowed_kinds: Iterable[UploadKind | str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    name: str | None = None,
) -> CheckedUpload:
    """Check an uploaded file and return it with its safe name, kind and SM3 digest.

    `field` is the form/API field name used in the error; `allowed_kinds` a subset of `UploadKind`; `name`
    overrides the uploaded file's own name (for callers that receive bytes). Raises `ValidationFailed` with
    `extra["fields"][field]` saying what is wrong and what is expected: empty file, too large, unknown or
    unaccepted content, an extension that disagrees with the content, or an image Pillow cannot decode.
    """
    allowed = frozenset(UploadKind(k) for k in allowed_kinds)
    if not allowed:
        raise ValueError("allowed_kinds is empty")
    if uploaded is None:
        raise ValidationFailed.for_fields({field: [_("No file was uploaded; choose a file to upload.")]})
    original_name = name if name is not None else getattr(uploaded, "name", None)
    data = _read_bounded(uploaded, max_bytes + 1)
    if not data:
        raise ValidationFailed.for_fields({field: [_("The file is empty; upload a file with content.")]})
    if len(data) > max_bytes:
        raise ValidationFailed.for_fields(
            {
                field: [
                    _("The file is larger than %(max)s; upload a file of at most %(max)s.")
                    % {"max": _size_text(max_bytes)}
                ]
            }
        )
    kind = sniff_kind(data)
    if kind is None:
        raise ValidationFailed.for_fields(
            {
                field: [
                    _("The file's content is not of a recognised type; expected one of: %(kinds)s.")
                    % {"kinds": _kinds_text(allowed)}
                ]
            }
        )
    if kind not in allowed:
        raise ValidationFailed.for_fields(
            {
                field: [
                    _("The file's content is %(kind)s, which is not accepted here; expected one of: %(kinds)s.")
                    % {"kind": kind_label(kind), "kinds": _kinds_text(allowed)}
                ]
            }
        )
    ext = _extension(original_name)
    if ext and ext not in EXTENSIONS[kind]:
        raise ValidationFailed.for_fields(
            {
                field: [
                    _(
                        "The file name ends in “%(ext)s” but its content is %(kind)s; "
                        "expected a name ending in %(exts)s."
                    )
                    % {"ext": ext, "kind": kind_label(kind), "exts": " / ".join(EXTENSIONS[kind])}
                ]
            }
        )
    if kind == UploadKind.PDF and b"%%EOF" not in data[-2048:]:
        raise ValidationFailed.for_fields(
            {field: [_("The PDF file is incomplete (no end-of-file marker); upload the complete file.")]}
        )
    if kind in IMAGE_KINDS:
        _verify_image(data, field=field, kind=kind)
    return CheckedUpload(
        name=safe_filename(original_name, kind=kind),
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size=len(data),
        sm3=crypto.sm3_hex(data),
        content=data,
    )


def _open_image(data: bytes, *, field: str, kind: UploadKind) -> Any:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as exc:
        raise ValidationFailed.for_fields(
            {field: [_("The image has too many pixels to be processed safely; upload a smaller image.")]}
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationFailed.for_fields(
            {
                field: [
                    _("The %(kind)s image is damaged and cannot be read; upload the original file.")
                    % {"kind": kind_label(kind)}
                ]
            }
        ) from exc
    return image


def _verify_image(data: bytes, *, field: str, kind: UploadKind) -> None:
    _open_image(data, field=field, kind=kind)


def _ratio(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        num, den = value
        return float(num) / float(den)


def _gps_from_exif(exif: Any) -> GpsLocation | None:
    gps = exif.get_ifd(0x8825) if exif else {}
    if not gps:
        return None
    try:
        lat_ref, lat, lon_ref, lon = gps.get(1), gps.get(2), gps.get(3), gps.get(4)
        if not (lat and lon):
            return None
        latitude = _ratio(lat[0]) + _ratio(lat[1]) / 60 + _ratio(lat[2]) / 3600
        longitude = _ratio(lon[0]) + _ratio(lon[1]) / 60 + _ratio(lon[2]) / 3600
        if str(lat_ref).upper().startswith("S"):
            latitude = -latitude
        if str(lon_ref).upper().startswith("W"):
            longitude = -longitude
        altitude = None
        if gps.get(6) is not None:
            altitude = _ratio(gps[6])
            if gps.get(5) in (1, b"\x01"):
                altitude = -altitude
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return GpsLocation(latitude=round(latitude, 7), longitude=round(longitude, 7), altitude=altitude)


def _taken_at_from_exif(exif: Any) -> datetime | None:
    if not exif:
        return None
    value = exif.get_ifd(0x8769).get(36867) or exif.get(306)  # DateTimeOriginal, else DateTime
    if not value:
        return None
    try:
        return datetime.strptime(str(value).strip("\x00 "), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007 — EXIF has no zone
    except ValueError:
        return None


def image_strip_metadata(data: bytes | CheckedUpload, *, field: str = "file") -> StrippedImage:
    """Re-encode an image (PNG, JPEG, WebP) without EXIF, XMP or text metadata; return the GPS position as data.

    The photo is first turned upright per its EXIF orientation (so removing the tag does not rotate it). The
    colour profile is kept. Raises `ValidationFailed` for content that is not a readable image.
    """
    from PIL import ImageOps

    content = data.content if isinstance(data, CheckedUpload) else data
    kind = sniff_kind(content)
    if kind not in IMAGE_KINDS:
        raise ValidationFailed.for_fields(
            {field: [_("The file is not an image; expected one of: %(kinds)s.") % {"kinds": _kinds_text(IMAGE_KINDS)}]}
        )
    image = _open_image(content, field=field, kind=kind)
    exif = image.getexif()
    gps = _gps_from_exif(exif)
    taken_at = _taken_at_from_exif(exif)
    upright = ImageOps.exif_transpose(image)
    icc = image.info.get("icc_profile")
    clean = upright.copy()
    clean.info = {}
    out = io.BytesIO()
    params: dict[str, Any] = {}
    if icc:
        params["icc_profile"] = icc
    if kind == UploadKind.JPEG:
        if clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
        clean.save(out, format="JPEG", quality=92, optimize=True, **params)
    elif kind == UploadKind.PNG:
        clean.save(out, format="PNG", optimize=True, **params)
    else:
        clean.save(out, format="WEBP", quality=90, **params)
    result = out.getvalue()
    return StrippedImage(
        content=result,
        kind=kind,
        size=len(result),
        sm3=crypto.sm3_hex(result),
        width=clean.width,
        height=clean.height,
        gps=gps,
        taken_at=taken_at,
    )
