"""Online and offline verification: valid, tampered at every position, revoked, expired, not yet valid, unknown key,
and the QR round trip (segno → PNG → zxing-cpp → verify)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ftzsafety.certificates import payload as codec
from ftzsafety.certificates import qr
from ftzsafety.certificates.selectors import certificate_verify
from ftzsafety.certificates.services import certificate_revoke
from ftzsafety.certificates.verification import check_payload
from ftzsafety.security import crypto, keys

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.*+/"


def _changed(character: str) -> str:
    """Another character of the payload alphabet (never the same one)."""
    return ALPHABET[(ALPHABET.index(character) + 7) % len(ALPHABET)] if character in ALPHABET else "A"


class TestOnline:
    def test_valid(self, certificate, enterprise):
        result = certificate_verify(payload=certificate.payload)
        assert (result.valid, result.reason) == (True, "valid")
        assert result.revocation_checked is True
        assert result.certificate["number"] == certificate.number
        assert result.certificate["enterprise_uscc"] == enterprise.uscc
        assert result.certificate["enterprise_name"] == enterprise.name_zh
        assert result.certificate["status"] == "valid"
        assert result.certificate["lines"] == [
            {"un_number": "UN1203", "quantity": "12.5", "unit": "t"},
            {"un_number": "UN1830", "quantity": "3000", "unit": "kg"},
        ]

    def test_surrounding_whitespace_is_ignored(self, certificate):
        assert certificate_verify(payload=f"  {certificate.payload}\n").valid

    def test_every_single_character_change_fails(self, certificate):
        payload = certificate.payload
        failures = set()
        for position, character in enumerate(payload):
            tampered = payload[:position] + _changed(character) + payload[position + 1 :]
            result = certificate_verify(payload=tampered)
            assert not result.valid, f"position {position} ({character}) still verifies"
            failures.add(result.reason)
        assert failures <= {"invalid_signature", "malformed", "unknown_key"}
        assert "invalid_signature" in failures

    def test_every_substitution_at_every_position_fails_offline(self, certificate, zone_public_pem):
        """Exhaustive: each position replaced by each other character of the QR alphanumeric alphabet (about 250
        positions × 44 characters), checked without the database."""
        payload = certificate.payload
        alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
        checked = 0
        for position, character in enumerate(payload):
            for replacement in alphabet:
                if replacement == character:
                    continue
                tampered = payload[:position] + replacement + payload[position + 1 :]
                result, _data = check_payload(tampered, lambda _key_id: zone_public_pem)
                assert not result.valid, f"position {position}: {character!r} → {replacement!r} still verifies"
                checked += 1
        assert checked == len(payload) * (len(alphabet) - 1)

    def test_truncated_and_extended(self, certificate):
        assert certificate_verify(payload=certificate.payload[:-1]).reason in {"malformed", "invalid_signature"}
        assert certificate_verify(payload=certificate.payload + "A").reason in {"malformed", "invalid_signature"}
        assert certificate_verify(payload="").reason == "malformed"
        assert certificate_verify(payload="hello").reason == "malformed"

    def test_revoked(self, certificate, commander):
        certificate_revoke(actor=commander, certificate=certificate, reason="企业资质被吊销")
        result = certificate_verify(payload=certificate.payload)
        assert (result.valid, result.reason) == (False, "revoked")
        assert result.certificate["revocation_reason"] == "企业资质被吊销"
        assert result.certificate["revoked_at"]

    def test_expired(self, issue):
        start = timezone.now() - timedelta(days=40)
        certificate = issue(valid_from=start, valid_until=start + timedelta(days=30))
        result = certificate_verify(payload=certificate.payload)
        assert (result.valid, result.reason) == (False, "expired")
        assert result.certificate["number"] == certificate.number

    def test_expired_at_the_end_minute(self, certificate):
        at_end = certificate.valid_until
        assert certificate_verify(payload=certificate.payload, now=at_end - timedelta(seconds=1)).valid
        assert certificate_verify(payload=certificate.payload, now=at_end).reason == "expired"

    def test_not_yet_valid(self, issue):
        start = timezone.now() + timedelta(days=2)
        certificate = issue(valid_from=start, valid_until=start + timedelta(days=30))
        assert certificate_verify(payload=certificate.payload).reason == "not_yet_valid"

    def test_revoked_wins_over_expired(self, issue, commander):
        start = timezone.now() - timedelta(days=40)
        certificate = issue(valid_from=start, valid_until=start + timedelta(days=30))
        certificate_revoke(actor=commander, certificate=certificate, reason="过期后撤销")
        assert certificate_verify(payload=certificate.payload).reason == "revoked"

    def test_unknown_key(self, certificate):
        """A payload signed with a key this zone never had (another zone's, or a forger's)."""
        data, _text, _signature = codec.parse(certificate.payload)
        private, _public = crypto.sm2_generate_keypair()
        foreign = codec.CertificateData(**{**data.__dict__, "key_id": "sm2-20250101-abcdef"})
        result = certificate_verify(payload=codec.sign(foreign, private))
        assert (result.valid, result.reason) == (False, "unknown_key")
        assert "sm2-20250101-abcdef" in result.message

    def test_forged_with_our_key_id(self, certificate):
        """Someone re-signs altered content with their own key but keeps our key id: the signature fails."""
        data, _text, _signature = codec.parse(certificate.payload)
        private, _public = crypto.sm2_generate_keypair()
        forged = codec.CertificateData(**{**data.__dict__, "valid_until": data.valid_until + timedelta(days=365)})
        assert certificate_verify(payload=codec.sign(forged, private)).reason == "invalid_signature"

    def test_after_key_rotation_old_certificates_verify(self, certificate, issue, settings):
        old_key = certificate.key_id
        (keys.key_dir() / keys.SIGNING_KEY_POINTER).unlink()
        newer = issue()
        assert newer.key_id != old_key
        assert certificate_verify(payload=certificate.payload).valid
        assert certificate_verify(payload=newer.payload).valid

    def test_signed_by_us_but_unknown_here(self, certificate):
        """A genuine signature over a number this zone has no record of (e.g. a restored older database)."""
        data, _text, _signature = codec.parse(certificate.payload)
        other = codec.CertificateData(**{**data.__dict__, "number": "EC2026999999"})
        result = certificate_verify(payload=codec.sign(other, keys.zone_signing_key()[1]))
        assert (result.valid, result.reason) == (False, "unknown_certificate")


class TestOffline:
    """check_payload needs no database: these tests have no `db` fixture, so any query would fail them."""

    def test_valid_offline(self, tmp_path, settings):
        from datetime import UTC, datetime
        from decimal import Decimal

        private, public = crypto.sm2_generate_keypair()
        start = datetime.now(tz=UTC) - timedelta(hours=1)
        data = codec.CertificateData(
            number="EC2026000007",
            filing_ref="DG-2026-000007",
            uscc="91120116MA0DM95U0E",
            lines=codec.merge_lines([("UN1203", Decimal("5"), "t")]),
            valid_from=start,
            valid_until=start + timedelta(days=1),
            issuer="FTZ-ADMIN",
            key_id="sm2-20261129-aaaaaa",
        )
        payload = codec.sign(data, private)
        result, parsed = check_payload(payload, lambda _key_id: public)
        assert (result.valid, result.reason) == (True, "valid")
        assert parsed.number == "EC2026000007"
        _other_private, other_public = crypto.sm2_generate_keypair()
        assert check_payload(payload, lambda _key_id: other_public)[0].reason == "invalid_signature"
        later = start + timedelta(days=2)
        assert check_payload(payload, lambda _key_id: public, now=later)[0].reason == "expired"


class TestQrRoundTrip:
    def test_png_decodes_to_the_same_payload(self, certificate):
        image = qr.png(certificate.payload)
        assert image[:8] == b"\x89PNG\r\n\x1a\n"
        texts = qr.read_image(image)
        assert texts == [certificate.payload]
        assert certificate_verify(payload=texts[0]).valid

    def test_qr_is_level_q_alphanumeric(self, certificate):
        code = qr.make(certificate.payload)
        assert code.error == "Q"
        assert code.mode == "alphanumeric"
        assert code.version <= 17

    def test_largest_payload_fits_a_version_17_code(self):
        assert qr.make("FTZC1/" + "A" * 494).version <= 17

    def test_photo_like_image_decodes(self, certificate):
        """A rotated, greyish, downscaled 'photo' of the code still reads."""
        import io

        from PIL import Image, ImageOps

        image = Image.open(io.BytesIO(qr.png(certificate.payload, scale=8))).convert("RGB")
        image = ImageOps.expand(image, border=120, fill=(235, 230, 220)).rotate(
            8, expand=True, fillcolor=(235, 230, 220)
        )
        image = image.resize((image.width * 3 // 4, image.height * 3 // 4))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=85)
        assert qr.read_image(buffer.getvalue()) == [certificate.payload]

    def test_not_an_image(self):
        with pytest.raises(ValueError, match="not an image"):
            qr.read_image(b"%PDF-1.7 not an image")

    def test_svg_has_no_style_attribute(self, certificate):
        svg = str(qr.svg_inline(certificate.payload, title=certificate.number))
        assert svg.startswith("<svg")
        assert "style=" not in svg
        assert "viewBox" in svg
