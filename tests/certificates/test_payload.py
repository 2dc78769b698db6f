"""The payload codec: canonical text, strict parsing, and the 500-byte bound (property-based)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftzsafety.certificates import payload as codec
from ftzsafety.security import crypto

PRIVATE, PUBLIC = crypto.sm2_generate_keypair()
START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def data(**overrides) -> codec.CertificateData:
    values = {
        "number": "EC2026000042",
        "filing_ref": "DG-2026-000123",
        "uscc": "91120116MA0DM95U0E",
        "lines": codec.merge_lines([("UN1203", Decimal("12.5"), "t"), ("1830", 3000, "kg")]),
        "valid_from": START,
        "valid_until": START + timedelta(days=30),
        "issuer": "FTZ-ADMIN",
        "key_id": "sm2-20261129-0ae234",
    }
    values.update(overrides)
    return codec.CertificateData(**values)


class TestCanonicalText:
    def test_fields_in_order(self):
        assert codec.signed_text(data()) == (
            "FTZC1/EC2026000042/DG-2026-000123/91120116MA0DM95U0E/1203*12.5*T+1830*3000*KG/"
            "202612010800/202612310800/FTZ-ADMIN/SM2-20261129-0AE234"
        )

    def test_lines_are_merged_and_sorted(self):
        lines = codec.merge_lines(
            [("UN1830", Decimal("1.50"), "千克"), ("un 1203", "2", "t"), ("1830", Decimal("0.5"), "KG")]
        )
        assert lines == (
            codec.Line("UN1203", Decimal("2"), "t"),
            codec.Line("UN1830", Decimal("2.00"), "kg"),
        )
        assert "1203*2*T+1830*2*KG" in codec.signed_text(data(lines=lines))

    @pytest.mark.parametrize(
        ("line", "problem"),
        [
            (("UN12", 1, "kg"), "UN number"),
            (("UN1203", 0, "kg"), "greater than zero"),
            (("UN1203", Decimal("-3"), "kg"), "greater than zero"),
            (("UN1203", Decimal("1.2345"), "kg"), "decimal places"),
            (("UN1203", "abc", "kg"), "not a number"),
            (("UN1203", 1, "barrel"), "unit"),
        ],
    )
    def test_bad_lines_name_the_line(self, line, problem):
        with pytest.raises(ValueError, match=problem) as info:
            codec.merge_lines([("UN1203", 1, "kg"), line])
        assert "line 2" in str(info.value)

    def test_times_are_utc_minutes(self):
        shanghai = START.astimezone(datetime.now().astimezone().tzinfo)
        assert codec.signed_text(data(valid_from=shanghai.replace(second=42))) == codec.signed_text(data())


class TestParse:
    def test_round_trip(self):
        original = data()
        payload = codec.sign(original, PRIVATE)
        parsed, text, signature = codec.parse(payload)
        assert parsed == original
        assert codec.verify_signature(text, signature, PUBLIC)
        assert len(payload) <= codec.size_estimate(original)

    def test_payload_is_qr_alphanumeric(self):
        payload = codec.sign(data(), PRIVATE)
        assert set(payload) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")

    @pytest.mark.parametrize(
        ("mutate", "code"),
        [
            (lambda p: p.replace("FTZC1/", "FTZC2/"), "unknown_format"),
            (lambda p: p + "/X", "malformed"),
            (lambda p: p.replace("12.5*T", "12.50*T"), "malformed"),  # same value, not canonical
            (lambda p: p.replace("1203*12.5*T+1830*3000*KG", "1830*3000*KG+1203*12.5*T"), "malformed"),
            (lambda p: p.replace("202612010800", "202613010800"), "malformed"),
            (lambda p: p.lower(), "unknown_format"),
            (lambda p: p[:-1] + "=", "malformed"),
        ],
    )
    def test_malformed(self, mutate, code):
        with pytest.raises(codec.PayloadError) as info:
            codec.parse(mutate(codec.sign(data(), PRIVATE)))
        assert info.value.code == code

    def test_unused_base32_bits_are_refused(self):
        """A 71-byte signature leaves 2 unused bits in the last base32 character: setting them changes no byte
        of the decoded signature, but the payload is refused (one text per certificate)."""
        for _attempt in range(50):
            payload = codec.sign(data(), PRIVATE)
            signature_text = payload.rsplit("/", 1)[1]
            if (len(signature_text) * 5) % 8:
                break
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        last = alphabet.index(signature_text[-1])
        sibling = alphabet[last | 1] if not last & 1 else alphabet[last & ~1]
        with pytest.raises(codec.PayloadError, match="canonical"):
            codec.parse(payload[:-1] + sibling)

    def test_too_long(self):
        with pytest.raises(codec.PayloadError, match="500"):
            codec.parse("FTZC1/" + "A" * 600)


# --- the 500-byte bound ---------------------------------------------------------------------------------------------

# Worst case of the fixed fields: a 40-character filing reference, a 24-character issuer, a 7-digit serial.
WORST = {"number": "EC20269999999", "filing_ref": "DG-" + "9" * 37, "issuer": "I" * 24}
GUARANTEED_LINES = 12  # documented in payload.py: this many lines always fit, even in the worst case

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("99999.999"), places=3)
units = st.sampled_from(sorted(codec.UNITS))


@st.composite
def goods_lines(draw, max_size):
    numbers = draw(st.lists(st.integers(1001, 3550), min_size=1, max_size=max_size, unique=True))
    return [(f"UN{n}", draw(quantities), draw(units)) for n in numbers]


@settings(max_examples=60, deadline=None)
@given(lines=goods_lines(GUARANTEED_LINES))
def test_guaranteed_lines_fit_in_500_bytes(lines):
    content = data(lines=codec.merge_lines(lines), **WORST)
    payload = codec.sign(content, PRIVATE)
    assert len(payload.encode()) <= codec.MAX_PAYLOAD_BYTES
    assert codec.size_estimate(content) <= codec.MAX_PAYLOAD_BYTES
    assert codec.parse(payload)[0] == content


@settings(max_examples=30, deadline=None)
@given(lines=goods_lines(40))
def test_size_estimate_bounds_the_real_payload(lines):
    content = data(lines=codec.merge_lines(lines))
    payload = codec.sign(content, PRIVATE)
    assert len(payload) <= codec.size_estimate(content)
    # DER signatures are 72 bytes at most, 70–71 usually, shorter when r or s has leading zero bytes
    assert codec.size_estimate(content) - len(payload) <= 8


def test_typical_filing_fits_twenty_lines():
    lines = [(f"UN{1000 + 37 * i}", Decimal("2500"), "kg") for i in range(20)]
    assert codec.size_estimate(data(lines=codec.merge_lines(lines))) <= codec.MAX_PAYLOAD_BYTES
