"""QR codes of certificate payloads: made with segno (error correction level Q, ISO/IEC 18004 — about 25 % of the
symbol may be damaged) and read from photos with zxing-cpp."""

import io

import segno
import zxingcpp
from django.utils.safestring import SafeString, mark_safe
from PIL import Image, ImageOps

ERROR_CORRECTION = "q"


def make(payload: str) -> segno.QRCode:
    return segno.make(payload, error=ERROR_CORRECTION, micro=False, boost_error=False)


def svg_inline(payload: str, *, scale: int = 3, title: str = "") -> SafeString:
    """The QR code as an inline <svg> element (no style attribute: the CSP forbids inline styles)."""
    # segno writes only presentation attributes (stroke, transform) and escapes the title.
    svg = make(payload).svg_inline(scale=scale, border=4, title=title or None, svgclass="cert-qr", omitsize=True)
    return mark_safe(svg)  # noqa: S308


def png(payload: str, *, scale: int = 6) -> bytes:
    buffer = io.BytesIO()
    make(payload).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def read_image(content: bytes) -> list[str]:
    """Texts of the QR codes found in an image (a photo or a scan), in the order zxing-cpp finds them.

    The EXIF orientation is applied first (phones store portrait photos rotated). ValueError for an image Pillow
    cannot open."""
    try:
        image = Image.open(io.BytesIO(content))
        image = ImageOps.exif_transpose(image)
        image = image.convert("L")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValueError("not an image") from exc
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [result.text for result in results if result.valid and result.text]
