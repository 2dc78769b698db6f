"""core.uploads: size limit, type by content, extension agreement, safe names, SM3, EXIF stripping with GPS kept."""

import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.core.uploads import (
    DOCUMENT_KINDS,
    UploadKind,
    check_upload,
    image_strip_metadata,
    safe_filename,
    sniff_kind,
)
from ftzsafety.security import crypto

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def png_bytes(size=(4, 3), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps(*, lat=(31, 20, 30.0), lat_ref="N", lon=(121, 35, 15.0), lon_ref="E", orientation=None) -> bytes:
    image = Image.new("RGB", (8, 4), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:11:28 09:15:00"  # DateTime
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = lat_ref
    gps[2] = lat
    gps[3] = lon_ref
    gps[4] = lon
    gps[5] = 0
    gps[6] = 12.5
    exif.get_ifd(0x8769)[36867] = "2026:11:28 09:14:07"  # DateTimeOriginal
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def error_of(excinfo, field="file"):
    return excinfo.value.fields[field][0]


class TestSniff:
    @pytest.mark.parametrize(
        ("data", "kind"),
        [
            (PDF, UploadKind.PDF),
            (png_bytes(), UploadKind.PNG),
            (b"\xff\xd8\xff\xe0rest", UploadKind.JPEG),
            (b"RIFF\x10\x00\x00\x00WEBPVP8 ", UploadKind.WEBP),
            ("危险化学品安全技术说明书\nUN1203\n".encode(), UploadKind.TEXT),
            (b"\xef\xbb\xbfwith bom", UploadKind.TEXT),
            (b"MZ\x90\x00\x03\x00", None),  # a Windows executable
            (b"\xff\xfe\x00\x00", None),
            (b"text\x07bell", None),
            (b"", None),
        ],
    )
    def test_kind_from_content(self, data, kind):
        assert sniff_kind(data) == kind


class TestCheckUpload:
    def test_accepts_pdf_with_digest_and_safe_name(self):
        checked = check_upload(
            upload("../证照/安全生产许可证.PDF", PDF), field="file", allowed_kinds=DOCUMENT_KINDS, max_bytes=1024
        )
        assert checked.kind == UploadKind.PDF
        assert checked.name == "安全生产许可证.pdf"
        assert checked.content_type == "application/pdf"
        assert checked.size == len(PDF)
        assert checked.sm3 == crypto.sm3_hex(PDF)
        assert len(checked.sm3) == 64
        assert checked.content == PDF

    def test_accepts_utf8_text_when_allowed(self):
        checked = check_upload(upload("sds.txt", "闪点 -43 °C".encode()), field="sds", allowed_kinds=["text"])
        assert checked.kind == UploadKind.TEXT

    def test_too_large_is_refused_with_limit(self):
        with pytest.raises(ValidationFailed) as excinfo:
            check_upload(upload("big.pdf", PDF + b"x" * 2048), field="file", allowed_kinds=["pdf"], max_bytes=1024)
        assert excinfo.value.status == 422
        assert error_of(excinfo) == "The file is larger than 1 KB; upload a file of at most 1 KB."

    def test_reads_no_more_than_limit_plus_one(self):
        class Counting(io.BytesIO):
            name = "big.pdf"
            asked: list[int] = []

            def read(self, size=-1):
                self.asked.append(size)
                return super().read(size)

        source = Counting(PDF + b"x" * 100_000)
        with pytest.raises(ValidationFailed):
            check_upload(source, field="file", allowed_kinds=["pdf"], max_bytes=1000)
        assert source.asked == [1001]

    def test_empty_file(self):
        with pytest.raises(ValidationFailed) as excinfo:
            check_upload(upload("a.pdf", b""), field="attachment", allowed_kinds=["pdf"])
        assert error_of(excinfo, "attachment") == "The file is empty; upload a file with content."

    def test_missing_file(self):
        with pytest.raises(ValidationFailed) as excinfo:
            check_upload(None, field="file", allowed_kinds=["pdf"])
        assert "No file was uploaded" in error_of(excinfo)

    def test_unknown_content(self):
        with pytest.raises(ValidationFailed) as excinfo:
            check_upload(upload("tool.pdf", b"MZ\x90\x00\x03\x00\x00"), field="file", allowed_kinds=["pdf", "png"])
        assert error_of(excinfo) == (
            "The file's content is not of a recognised type; expected one of: PDF (.pdf), PNG (.png)."
        )

    def test_content_kind_not_allowed(self):
        with pytest.raises(ValidationFailed) as excinfo:
            check_upload(upload("photo.png", png_bytes()), field="sds", allowed_kinds=["pdf"])
        assert error_of(excinfo, "sds") == (
            "The file's content is PNG, which is not accepted here; expected one of: PDF (.pdf)."
        )

    def test_extension_must_agree_with_content(self):
        with pytest.raises(ValidationFailed) as excinfo:
            check_upload(upload("licence.pdf", png_bytes()), field="file", allowed_kinds=DOCUMENT_KINDS)
        assert error_of(excinfo) == (
            "The file name ends in “.pdf” but its content is PNG; expected a name ending in .png."
        )

    def test_jpeg_accepts_both_extensions(self):
        data = jpeg_with_gps()
        assert check_upload(upload("a.JPEG", data), field="f", allowed_kinds=["jpeg"]).name == "a.jpeg"
        assert check_upload(upload("a.jpg", data), field="f", allowed_kinds=["jpeg"]).name == "a.jpg"

    def test_name_without_extension_gets_one(self):
        assert check_upload(upload("scan", png_bytes()), field="f", allowed_kinds=["png"]).name == "scan.png"

    def test_truncated_pdf_refused(self):
        with pytest.raises(ValidationFailed) as excinfo:
            check_upload(upload("a.pdf", b"%PDF-1.7\n" + b"0" * 5000), field="file", allowed_kinds=["pdf"])
        assert "incomplete" in error_of(excinfo)

    def test_damaged_image_refused(self):
        broken = png_bytes()[:30]
        with pytest.raises(ValidationFailed) as excinfo:
            check_upload(upload("a.png", broken), field="photo", allowed_kinds=["png"])
        assert error_of(excinfo, "photo") == "The PNG image is damaged and cannot be read; upload the original file."

    def test_message_in_chinese(self):
        with translation.override("zh-hans"), pytest.raises(ValidationFailed) as excinfo:
            check_upload(upload("a.pdf", b""), field="file", allowed_kinds=["pdf"])
        assert excinfo.value.fields["file"]


class TestSafeFilename:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("../../etc/passwd", "passwd.pdf"),
            ("C:\\Users\\x\\证照.pdf", "证照.pdf"),
            ("a<b>:c|d?.pdf", "a_b__c_d.pdf"),
            ("ＡＢＣ．ｐｄｆ", "ABC.pdf"),
            ("  ..hidden.pdf", "hidden.pdf"),
            ("report.v2", "report.v2.pdf"),
            ("", "upload.pdf"),
            (None, "upload.pdf"),
            ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        ],
    )
    def test_names(self, raw, expected):
        assert safe_filename(raw, kind=UploadKind.PDF) == expected


class TestStripMetadata:
    def test_gps_returned_and_exif_removed(self):
        data = jpeg_with_gps()
        assert b"PhoneMaker" in data
        stripped = image_strip_metadata(data)
        assert stripped.gps is not None
        assert stripped.gps.latitude == pytest.approx(31 + 20 / 60 + 30 / 3600, abs=1e-6)
        assert stripped.gps.longitude == pytest.approx(121 + 35 / 60 + 15 / 3600, abs=1e-6)
        assert stripped.gps.altitude == pytest.approx(12.5)
        assert stripped.taken_at == datetime(2026, 11, 28, 9, 14, 7)  # noqa: DTZ001
        assert b"PhoneMaker" not in stripped.content
        again = Image.open(io.BytesIO(stripped.content))
        assert dict(again.getexif()) == {}
        assert stripped.kind == UploadKind.JPEG
        assert stripped.sm3 == crypto.sm3_hex(stripped.content)
        assert (stripped.width, stripped.height) == (8, 4)

    def test_southern_western_hemisphere(self):
        stripped = image_strip_metadata(jpeg_with_gps(lat_ref="S", lon_ref="W"))
        assert stripped.gps.latitude < 0
        assert stripped.gps.longitude < 0

    def test_orientation_applied_before_removal(self):
        stripped = image_strip_metadata(jpeg_with_gps(orientation=6))  # rotate 90° clockwise to view
        assert (stripped.width, stripped.height) == (4, 8)

    def test_image_without_exif(self):
        stripped = image_strip_metadata(png_bytes())
        assert stripped.gps is None
        assert stripped.taken_at is None
        assert stripped.kind == UploadKind.PNG

    def test_accepts_checked_upload(self):
        checked = check_upload(upload("p.jpg", jpeg_with_gps()), field="photo", allowed_kinds=["jpeg"])
        assert image_strip_metadata(checked).gps is not None

    def test_not_an_image(self):
        with pytest.raises(ValidationFailed) as excinfo:
            image_strip_metadata(PDF, field="photo")
        assert "not an image" in excinfo.value.fields["photo"][0]
