"""The national algorithms: published vectors, tamper resistance, and agreement with independent implementations
(gmalg, pure Python; the OpenSSL command line where it has SM2)."""

import shutil
import subprocess
from pathlib import Path

import gmalg
import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from ftzsafety.security import crypto

KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123


def _gmalg_sm3(data: bytes) -> bytes:
    h = gmalg.SM3()
    h.update(data)
    return h.value()


def _hmac_by_hand(key: bytes, data: bytes) -> bytes:
    """RFC 2104 over gmalg's SM3 (block 64 bytes): an implementation that shares no code with ours."""
    key = _gmalg_sm3(key) if len(key) > 64 else key
    key = key.ljust(64, b"\x00")
    inner = _gmalg_sm3(bytes(b ^ 0x36 for b in key) + data)
    return _gmalg_sm3(bytes(b ^ 0x5C for b in key) + inner)


class TestSM3:
    def test_gbt_32905_vectors(self):
        assert crypto.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        assert crypto.sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"

    @given(st.binary(max_size=300))
    def test_agrees_with_gmalg(self, data):
        assert crypto.sm3_digest(data) == _gmalg_sm3(data)

    @given(key=st.binary(max_size=100), data=st.binary(max_size=200))
    def test_hmac_sm3_agrees_with_rfc_2104_by_hand(self, key, data):
        assert crypto.hmac_sm3(key, data) == _hmac_by_hand(key, data)

    def test_hmac_verify(self):
        tag = crypto.hmac_sm3(b"key", b"record")
        assert crypto.hmac_sm3_verify(b"key", b"record", tag)
        assert not crypto.hmac_sm3_verify(b"key", b"recorD", tag)
        assert not crypto.hmac_sm3_verify(b"kex", b"record", tag)
        assert not crypto.hmac_sm3_verify(b"key", b"record", tag[:-1])


class TestSM4:
    def test_gbt_32907_single_block(self):
        assert crypto.sm4_ecb_encrypt_block(KEY, KEY).hex() == "681edf34d206965e86b3e94f536e4246"

    def test_gbt_32907_million_rounds(self):
        assert crypto.sm4_ecb_encrypt_block(KEY, KEY, rounds=1_000_000).hex() == "595298c7c6fd271f0402f804c33d3f66"

    @given(key=st.binary(min_size=16, max_size=16), block=st.binary(min_size=16, max_size=16))
    def test_block_agrees_with_gmalg(self, key, block):
        assert crypto.sm4_ecb_encrypt_block(key, block) == gmalg.SM4(key).encrypt(block)

    def test_rfc_8998_gcm_vector_decrypts(self):
        v = crypto.SM4_GCM_KAT
        assert crypto.sm4_gcm_decrypt(v["key"], v["nonce"] + v["ciphertext"] + v["tag"], v["aad"]) == v["plaintext"]

    @given(plaintext=st.binary(max_size=500), aad=st.binary(max_size=100))
    def test_round_trip_and_layout(self, plaintext, aad):
        blob = crypto.sm4_gcm_encrypt(KEY, plaintext, aad)
        assert len(blob) == 12 + len(plaintext) + 16
        assert crypto.sm4_gcm_decrypt(KEY, blob, aad) == plaintext

    def test_nonce_is_fresh_each_time(self):
        blobs = {crypto.sm4_gcm_encrypt(KEY, b"110105194912310025") for _ in range(50)}
        assert len(blobs) == 50
        assert len({blob[:12] for blob in blobs}) == 50

    @pytest.mark.parametrize("key", [b"", b"short", KEY + b"x", "0123456789abcdef"])
    def test_key_must_be_16_bytes(self, key):
        with pytest.raises(ValueError, match="16 bytes"):
            crypto.sm4_gcm_encrypt(key, b"x")
        with pytest.raises(ValueError, match="16 bytes"):
            crypto.sm4_gcm_decrypt(key, bytes(40))


class TestSM4Tamper:
    PLAINTEXT = b"phone 13812345678, ID 110105194912310025"
    AAD = b"enterprises_contact|6f1c1f0e-2a53-4f5e-9d0e-0c6f7f1d2b3a|resident_id"

    @pytest.fixture
    def blob(self):
        return crypto.sm4_gcm_encrypt(KEY, self.PLAINTEXT, self.AAD)

    @pytest.mark.parametrize("position", [0, 11, 12, 30, -17, -16, -1], ids=lambda p: f"byte{p}")
    def test_flipping_one_byte_fails(self, blob, position):
        """Nonce (0, 11), ciphertext (12, 30, -17) and tag (-16, -1)."""
        altered = bytearray(blob)
        altered[position] ^= 0x01
        with pytest.raises(crypto.DecryptionFailed):
            crypto.sm4_gcm_decrypt(KEY, bytes(altered), self.AAD)

    @given(data=st.data())
    def test_any_single_bit_flip_fails(self, data):
        blob = crypto.sm4_gcm_encrypt(KEY, self.PLAINTEXT, self.AAD)
        index = data.draw(st.integers(0, len(blob) - 1))
        bit = data.draw(st.integers(0, 7))
        altered = bytearray(blob)
        altered[index] ^= 1 << bit
        with pytest.raises(crypto.DecryptionFailed):
            crypto.sm4_gcm_decrypt(KEY, bytes(altered), self.AAD)

    @pytest.mark.parametrize(
        "aad",
        [b"", b"enterprises_contact|6f1c1f0e-2a53-4f5e-9d0e-0c6f7f1d2b3a|phone", AAD + b" ", AAD.upper()],
        ids=["none", "other field", "extra byte", "case"],
    )
    def test_wrong_aad_fails(self, blob, aad):
        with pytest.raises(crypto.DecryptionFailed):
            crypto.sm4_gcm_decrypt(KEY, blob, aad)

    def test_wrong_key_fails(self, blob):
        with pytest.raises(crypto.DecryptionFailed):
            crypto.sm4_gcm_decrypt(crypto.sm4_random_key(), blob, self.AAD)

    @pytest.mark.parametrize("cut", [0, 1, 27, -1])
    def test_truncated_blob_fails(self, blob, cut):
        with pytest.raises(crypto.DecryptionFailed):
            crypto.sm4_gcm_decrypt(KEY, blob[:cut], self.AAD)

    def test_appended_byte_fails(self, blob):
        with pytest.raises(crypto.DecryptionFailed):
            crypto.sm4_gcm_decrypt(KEY, blob + b"\x00", self.AAD)


def _gmalg_keypair() -> tuple[bytes, bytes]:
    """A key pair made by gmalg: (32-byte private, 04‖X‖Y public)."""
    private, public = gmalg.SM2().generate_keypair()
    return private.rjust(32, b"\x00"), public


def _to_rs_bytes(signature: bytes) -> tuple[bytes, bytes]:
    r, s = crypto.sm2_signature_decode(signature)
    return r.to_bytes(32, "big"), s.to_bytes(32, "big")


class TestSM2:
    def test_round_trip(self):
        private_pem, public_pem = crypto.sm2_generate_keypair()
        assert private_pem.startswith(b"-----BEGIN PRIVATE KEY-----\n")
        assert public_pem.startswith(b"-----BEGIN PUBLIC KEY-----\n")
        signature = crypto.sm2_sign(private_pem, b"checkpoint 42")
        assert signature[0] == 0x30
        assert crypto.sm2_verify(public_pem, b"checkpoint 42", signature)
        assert crypto.sm2_public_key_from_private(private_pem) == public_pem

    def test_signatures_are_randomised(self):
        private_pem, _public_pem = crypto.sm2_generate_keypair()
        assert crypto.sm2_sign(private_pem, b"m") != crypto.sm2_sign(private_pem, b"m")

    def test_rejects_tampered_message_other_key_and_other_id(self):
        private_pem, public_pem = crypto.sm2_generate_keypair()
        _other_private, other_public = crypto.sm2_generate_keypair()
        signature = crypto.sm2_sign(private_pem, b"credit grade A")
        assert not crypto.sm2_verify(public_pem, b"credit grade B", signature)
        assert not crypto.sm2_verify(other_public, b"credit grade A", signature)
        assert not crypto.sm2_verify(public_pem, b"credit grade A", signature, signer_id=b"zone-2")
        signed_with_id = crypto.sm2_sign(private_pem, b"credit grade A", signer_id=b"zone-2")
        assert crypto.sm2_verify(public_pem, b"credit grade A", signed_with_id, signer_id=b"zone-2")
        assert not crypto.sm2_verify(public_pem, b"credit grade A", signed_with_id)

    def test_malformed_signatures_are_false_not_errors(self):
        private_pem, public_pem = crypto.sm2_generate_keypair()
        good = crypto.sm2_sign(private_pem, b"m")
        r, s = crypto.sm2_signature_decode(good)

        def integer(content: bytes) -> bytes:
            return bytes([0x02, len(content)]) + content

        def minimal(value: int) -> bytes:
            return value.to_bytes(value.bit_length() // 8 + 1, "big")

        ber_r = integer(b"\x00" + minimal(r)) + integer(minimal(s))  # a needless leading zero: BER, not DER
        bad = [
            b"",
            b"\x30\x00",
            b"junk" * 18,
            good[:-1],
            good + b"\x00",
            bytes([0x30, len(ber_r)]) + ber_r,
            crypto.sm2_signature_encode(0, s),
            crypto.sm2_signature_encode(r, N),
            crypto.sm2_signature_encode(r, s + 1),
            crypto.sm2_signature_encode(s, r),
        ]
        for signature in bad:
            assert crypto.sm2_verify(public_pem, b"m", signature) is False, signature.hex()

    def test_signature_der_round_trip(self):
        for r, s in [(1, 1), (0x7F, 0x80), (N - 1, 2**255)]:
            assert crypto.sm2_signature_decode(crypto.sm2_signature_encode(r, s)) == (r, s)

    @pytest.mark.parametrize(
        "public_pem",
        [b"", b"not a pem", b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"],
        ids=["empty", "text", "garbage"],
    )
    def test_malformed_public_key_raises(self, public_pem):
        with pytest.raises(ValueError, match=r"PEM|PUBLIC KEY|DER"):
            crypto.sm2_verify(public_pem, b"m", b"\x30\x00")

    def test_point_off_the_curve_is_refused(self):
        _private, public = _gmalg_keypair()
        off_curve = public[:-1] + bytes([public[-1] ^ 1])
        with pytest.raises(ValueError, match="curve"):
            crypto.sm2_public_pem(off_curve)

    def test_private_key_pem_is_not_a_public_key(self):
        private_pem, public_pem = crypto.sm2_generate_keypair()
        with pytest.raises(ValueError, match="'PUBLIC KEY'"):
            crypto.sm2_verify(private_pem, b"m", b"\x30\x00")
        with pytest.raises(ValueError, match="private key is a PEM"):
            crypto.sm2_sign(public_pem, b"m")


class TestSM2AgainstGmalg:
    """Same keys and signer ID, two implementations: GmSSL (ours) and gmalg (pure Python)."""

    @pytest.mark.parametrize("signer_id", [crypto.SM2_DEFAULT_SIGNER_ID, b"ALICE123@YAHOO.COM"])
    def test_our_signature_verifies_with_gmalg(self, signer_id):
        private, public = _gmalg_keypair()
        signature = crypto.sm2_sign(crypto.sm2_private_pem(private, public), b"DG manifest 7", signer_id)
        r, s = _to_rs_bytes(signature)
        verifier = gmalg.SM2(pk=public, uid=signer_id)
        assert verifier.verify(b"DG manifest 7", r, s)
        assert not verifier.verify(b"DG manifest 8", r, s)

    @pytest.mark.parametrize("signer_id", [crypto.SM2_DEFAULT_SIGNER_ID, b"ALICE123@YAHOO.COM"])
    def test_gmalg_signature_verifies_with_ours(self, signer_id):
        private, public = _gmalg_keypair()
        r, s = gmalg.SM2(sk=private, pk=public, uid=signer_id).sign(b"DG manifest 7")
        signature = crypto.sm2_signature_encode(int.from_bytes(r, "big"), int.from_bytes(s, "big"))
        public_pem = crypto.sm2_public_pem(public)
        assert crypto.sm2_verify(public_pem, b"DG manifest 7", signature, signer_id)
        assert not crypto.sm2_verify(public_pem, b"DG manifest 8", signature, signer_id)

    def test_keys_we_generate_work_in_gmalg(self):
        private_pem, public_pem = crypto.sm2_generate_keypair()
        signature = crypto.sm2_sign(private_pem, b"m")
        point = crypto.sm2_public_key_point(public_pem)
        assert len(point) == 65
        assert point[0] == 4
        assert gmalg.SM2(pk=point, uid=crypto.SM2_DEFAULT_SIGNER_ID).verify(b"m", *_to_rs_bytes(signature))


class TestSM2KnownAnswer:
    """GM/T 0003.5-2012 Annex A (= GB/T 32918.5-2017): the published signature example on the recommended curve."""

    V = crypto.SM2_KAT

    def test_published_public_key_belongs_to_the_private_key(self):
        assert gmalg.SM2().generate_pk(self.V["private_key"]) == self.V["public_key"]

    def test_published_z_a(self):
        sm2 = gmalg.SM2(sk=self.V["private_key"], uid=self.V["signer_id"])
        assert sm2._core.entity_info(self.V["signer_id"], sm2._pk) == self.V["z_a"]

    def test_fixed_k_gives_published_r_and_s(self):
        k = self.V["k"]
        signer = gmalg.SM2(sk=self.V["private_key"], uid=self.V["signer_id"], rnd_fn=lambda bits: k)
        r, s = signer.sign(self.V["message"])
        assert int.from_bytes(r, "big") == self.V["r"]
        assert int.from_bytes(s, "big") == self.V["s"]

    def test_published_signature_verifies_with_ours(self):
        public_pem = crypto.sm2_public_pem(self.V["public_key"])
        signature = crypto.sm2_signature_encode(self.V["r"], self.V["s"])
        assert crypto.sm2_verify(public_pem, self.V["message"], signature, self.V["signer_id"])
        assert not crypto.sm2_verify(public_pem, b"message digesT", signature, self.V["signer_id"])

    def test_our_signature_with_the_published_key_verifies_with_gmalg(self):
        private_pem = crypto.sm2_private_pem(self.V["private_key"], self.V["public_key"])
        signature = crypto.sm2_sign(private_pem, self.V["message"], self.V["signer_id"])
        verifier = gmalg.SM2(pk=self.V["public_key"], uid=self.V["signer_id"])
        assert verifier.verify(self.V["message"], *_to_rs_bytes(signature))


def _openssl_with_sm2() -> str | None:
    path = shutil.which("openssl")
    if not path:
        return None
    probe = subprocess.run(  # noqa: S603 - fixed arguments
        [path, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2"], capture_output=True, check=False
    )
    return path if probe.returncode == 0 else None


OPENSSL = _openssl_with_sm2()


@pytest.mark.skipif(OPENSSL is None, reason="the openssl command line with SM2 (OpenSSL ≥ 3) is not installed")
class TestSM2AgainstOpenSSL:
    def _run(self, *args: str | Path) -> subprocess.CompletedProcess:
        return subprocess.run([OPENSSL, *map(str, args)], capture_output=True, check=False)  # noqa: S603

    def test_openssl_reads_our_keys_and_verifies_our_signature(self, tmp_path):
        private_pem, public_pem = crypto.sm2_generate_keypair()
        (tmp_path / "key.pem").write_bytes(private_pem)
        (tmp_path / "pub.pem").write_bytes(public_pem)
        (tmp_path / "msg").write_bytes(b"hazard report 17")
        (tmp_path / "sig").write_bytes(crypto.sm2_sign(private_pem, b"hazard report 17"))
        derived = self._run("pkey", "-in", tmp_path / "key.pem", "-pubout")
        assert derived.stdout == public_pem
        verified = self._run(
            "pkeyutl", "-verify", "-pubin", "-inkey", tmp_path / "pub.pem", "-rawin", "-digest", "sm3",
            "-pkeyopt", "distid:1234567812345678", "-in", tmp_path / "msg", "-sigfile", tmp_path / "sig",
        )  # fmt: skip
        assert verified.returncode == 0, verified.stderr

    @pytest.mark.parametrize("sec1", [False, True], ids=["pkcs8", "sec1"])
    def test_we_read_openssl_keys_and_verify_its_signature(self, tmp_path, sec1):
        key = tmp_path / "key.pem"
        assert (
            self._run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", key).returncode == 0
        )
        if sec1:
            assert self._run("ec", "-in", key, "-out", key).returncode == 0
        public_pem = self._run("pkey", "-in", key, "-pubout").stdout
        (tmp_path / "msg").write_bytes(b"hazard report 17")
        signed = self._run(
            "pkeyutl", "-sign", "-inkey", key, "-rawin", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678",
            "-in", tmp_path / "msg", "-out", tmp_path / "sig",
        )  # fmt: skip
        assert signed.returncode == 0, signed.stderr
        assert crypto.sm2_verify(public_pem, b"hazard report 17", (tmp_path / "sig").read_bytes())
        assert crypto.sm2_public_key_from_private(key.read_bytes()) == public_pem
        assert crypto.sm2_verify(public_pem, b"m", crypto.sm2_sign(key.read_bytes(), b"m"))


class TestSelfTest:
    def test_all_vectors_pass(self):
        results = crypto.selftest()
        assert all(ok for _name, ok in results), results
        names = [name for name, _ok in results]
        assert any("1,000,000" in name for name in names)
        assert any("GM/T 0003.5" in name for name in names)

    def test_fast_variant_skips_only_the_million_rounds(self):
        fast = [name for name, _ok in crypto.selftest(full=False)]
        full = [name for name, _ok in crypto.selftest()]
        assert set(full) - set(fast) == {"SM4 1,000,000 rounds (GB/T 32907-2016 A.2)"}

    def test_a_failing_or_crashing_check_is_reported(self, monkeypatch):
        def crash() -> bool:
            raise RuntimeError("boom")

        monkeypatch.setattr(
            crypto,
            "SELFTEST_CHECKS",
            [("ok", lambda: True, True), ("bad", lambda: False, True), ("crash", crash, True)],
        )
        assert crypto.selftest() == [("ok", True), ("bad", False), ("crash", False)]

    def test_require_selftest_refuses_to_start(self, monkeypatch):
        monkeypatch.setattr(crypto, "_selftest_passed", False)
        monkeypatch.setattr(crypto, "SELFTEST_CHECKS", [("SM3 broken", lambda: False, True)])
        with pytest.raises(crypto.SelfTestFailed, match="SM3 broken"):
            crypto.require_selftest()

    def test_require_selftest_passes(self, monkeypatch):
        monkeypatch.setattr(crypto, "_selftest_passed", False)
        crypto.require_selftest()
        assert crypto._selftest_passed

    def test_command_prints_each_result(self, capsys):
        call_command("crypto_selftest")
        out = capsys.readouterr().out
        assert "ok    SM3 'abc' (GB/T 32905-2016 A.1)" in out
        assert "ok    SM4 1,000,000 rounds (GB/T 32907-2016 A.2)" in out
        assert "crypto self-tests passed" in out

    def test_command_exits_1_on_failure(self, monkeypatch, capsys):
        monkeypatch.setattr(crypto, "SELFTEST_CHECKS", [("SM4 broken", lambda: False, True)])
        with pytest.raises(CommandError) as excinfo:
            call_command("crypto_selftest")
        assert excinfo.value.returncode == 1
        assert "FAIL  SM4 broken" in capsys.readouterr().out
