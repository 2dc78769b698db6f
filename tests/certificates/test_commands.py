"""`ftzsafety cert_verify` (offline) and `ftzsafety cert_public_key`."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ftzsafety.certificates import qr
from ftzsafety.certificates.services import certificate_revoke
from ftzsafety.security import crypto, keys


@pytest.fixture
def pem_file(tmp_path, certificate):
    path = tmp_path / "zone.pem"
    call_command("cert_public_key", "--out", str(path), stdout=io.StringIO())
    return path


def _run(*args):
    out = io.StringIO()
    call_command("cert_verify", *args, stdout=out)
    return out.getvalue()


class TestCertVerify:
    def test_payload_text(self, certificate, pem_file):
        output = _run(certificate.payload, "--public-key", str(pem_file))
        assert output.startswith("VALID: valid")
        assert certificate.number in output
        assert "UN1203  12.5 t" in output
        assert "revocation not checked offline" in output

    def test_image(self, certificate, pem_file, tmp_path):
        image = tmp_path / "certificate.png"
        image.write_bytes(qr.png(certificate.payload))
        assert _run(str(image), "--public-key", str(pem_file)).startswith("VALID")

    def test_text_file_and_pem_text(self, certificate, pem_file, tmp_path):
        text_file = tmp_path / "payload.txt"
        text_file.write_text(certificate.payload + "\n")
        assert _run(str(text_file), "--public-key", pem_file.read_text()).startswith("VALID")

    def test_json(self, certificate, pem_file):
        body = json.loads(_run(certificate.payload, "--public-key", str(pem_file), "--json"))
        assert body["valid"] is True
        assert body["revocation_checked"] is False
        assert body["certificate"]["number"] == certificate.number

    def test_tampered_exits_1(self, certificate, pem_file):
        with pytest.raises(CommandError) as info:
            _run(certificate.payload.replace("12.5*T", "12.6*T"), "--public-key", str(pem_file))
        assert info.value.returncode == 1
        assert "invalid_signature" in str(info.value)

    def test_wrong_key_exits_1(self, certificate, tmp_path):
        _private, public = crypto.sm2_generate_keypair()
        other = tmp_path / "other.pem"
        other.write_bytes(public)
        with pytest.raises(CommandError) as info:
            _run(certificate.payload, "--public-key", str(other))
        assert info.value.returncode == 1

    def test_revoked_still_valid_offline(self, certificate, pem_file, commander):
        """Offline, revocation cannot be seen: the command says so."""
        certificate_revoke(actor=commander, certificate=certificate, reason="撤销")
        output = _run(certificate.payload, "--public-key", str(pem_file))
        assert output.startswith("VALID")
        assert "revocation not checked offline" in output

    def test_needs_no_database(self, certificate, pem_file, django_assert_num_queries):
        payload = certificate.payload
        with django_assert_num_queries(0):
            _run(payload, "--public-key", str(pem_file))

    def test_not_a_payload(self, pem_file):
        with pytest.raises(CommandError) as info:
            _run("hello", "--public-key", str(pem_file))
        assert info.value.returncode == 2

    def test_bad_public_key(self, certificate, tmp_path):
        bad = tmp_path / "bad.pem"
        bad.write_text("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
        with pytest.raises(CommandError) as info:
            _run(certificate.payload, "--public-key", str(bad))
        assert info.value.returncode == 2

    def test_image_without_certificate(self, tmp_path, pem_file):
        image = tmp_path / "other.png"
        image.write_bytes(qr.png("https://example.com/"))
        with pytest.raises(CommandError, match="no e-certificate QR code"):
            _run(str(image), "--public-key", str(pem_file))


class TestCertPublicKey:
    def test_prints_current(self, db):
        out = io.StringIO()
        call_command("cert_public_key", stdout=out)
        assert out.getvalue().strip() == keys.zone_public_key()[1].decode().strip()

    def test_named_key(self, db):
        key_id, pem = keys.zone_public_key()
        out = io.StringIO()
        call_command("cert_public_key", "--key-id", key_id, stdout=out)
        assert out.getvalue().strip() == pem.decode().strip()

    def test_unknown_key(self, db):
        with pytest.raises(CommandError, match="no such signing key"):
            call_command("cert_public_key", "--key-id", "sm2-20200101-000000", stdout=io.StringIO())


def test_console_script_offline(certificate, pem_file, tmp_path):
    """The real `ftzsafety` entry point, in a fresh process with no database configured at all."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "FTZSAFETY_DATABASE_URL": f"sqlite:///{tmp_path / 'absent' / 'none.sqlite3'}"}
    image = tmp_path / "qr.png"
    image.write_bytes(qr.png(certificate.payload))
    script = os.path.join(os.path.dirname(sys.executable), "ftzsafety")
    done = subprocess.run(  # noqa: S603
        [script, "cert_verify", str(image), "--public-key", str(pem_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "VALID: valid" in done.stdout
    assert "revocation not checked offline" in done.stdout
