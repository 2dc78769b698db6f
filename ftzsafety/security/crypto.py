"""National cryptography (国密). The only module that calls cryptographic libraries.

- SM3 hash (GB/T 32905-2016) and HMAC-SM3: `cryptography` (its bundled OpenSSL).
- SM4 block cipher (GB/T 32907-2016) in GCM mode (RFC 8998 names SM4-GCM): `cryptography`.
- SM2 signatures (GB/T 32918.2-2016 / GM/T 0003.2-2012, recommended curve of GM/T 0003.5-2012): `gmssl-pyx`
  (GmSSL). Signatures are DER `SEQUENCE {r INTEGER, s INTEGER}` and the signer ID defaults to `1234567812345678`
  (GM/T 0009-2012). Keys travel as PEM: PKCS#8 `PRIVATE KEY` and X.509 `PUBLIC KEY` with algorithm id-ecPublicKey and
  curve OID 1.2.156.10197.1.301, exactly as OpenSSL 3 writes them, so `openssl pkey` reads ours and we read its.

The pure-Python `gmssl` package is never used: it draws SM2 nonces from `random` (REFERENCE.md). GB/T 39786-2021
asks for checked algorithm implementations; `selftest()` runs the published known-answer vectors and
`require_selftest()` stops a server from starting when one fails.
"""

import base64
import logging
import os
import time
from collections.abc import Callable

import gmssl_pyx
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

logger = logging.getLogger(__name__)

SM2_DEFAULT_SIGNER_ID = b"1234567812345678"
SM4_KEY_SIZE = 16
GCM_NONCE_SIZE = 12
GCM_TAG_SIZE = 16

# SM2 recommended curve order n (GM/T 0003.5-2012 §3).
_SM2_N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123


class CryptoError(Exception):
    """Base class of the errors this module raises (besides ValueError for malformed arguments)."""


class DecryptionFailed(CryptoError):
    """The ciphertext, its nonce or tag, the associated data or the key is not the one it was sealed with."""


class SelfTestFailed(CryptoError):
    """A known-answer test of the national algorithms failed: the process must not serve."""


# --- SM3 ----------------------------------------------------------------------------------------


def sm3_digest(data: bytes) -> bytes:
    """SM3 digest, 32 bytes (GB/T 32905-2016)."""
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def sm3_hex(data: bytes) -> str:
    """SM3 digest as 64 lower-case hex characters. `sm3_hex(b"abc")` starts 66c7f0f4 (GB/T 32905 A.1)."""
    return sm3_digest(data).hex()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    """HMAC (RFC 2104 / GB/T 15852.2) with SM3: a 32-byte integrity tag."""
    h = hmac.HMAC(key, hashes.SM3())
    h.update(data)
    return h.finalize()


def hmac_sm3_verify(key: bytes, data: bytes, tag: bytes) -> bool:
    """Whether `tag` is the HMAC-SM3 of `data` under `key`, compared in constant time."""
    h = hmac.HMAC(key, hashes.SM3())
    h.update(data)
    try:
        h.verify(tag)
    except InvalidSignature:
        return False
    return True


# --- SM4-GCM --------------------------------------------------------------------------------------


def _check_sm4_key(key: bytes) -> None:
    if not isinstance(key, bytes | bytearray) or len(key) != SM4_KEY_SIZE:
        raise ValueError(f"an SM4 key is {SM4_KEY_SIZE} bytes")


def _sm4_gcm_seal(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    if aad:
        encryptor.authenticate_additional_data(aad)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + ciphertext + encryptor.tag


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    """Encrypt and authenticate with SM4-GCM: returns nonce (12 random bytes) ‖ ciphertext ‖ tag (16 bytes).

    `aad` is authenticated, not encrypted: bind the ciphertext to where it belongs (table, row, field) so it cannot
    be moved. A random 96-bit nonce per message keeps one key safe for about 2³² messages (NIST SP 800-38D §8.3);
    rotate data keys well before that.
    """
    _check_sm4_key(key)
    return _sm4_gcm_seal(bytes(key), os.urandom(GCM_NONCE_SIZE), plaintext, aad)


def sm4_gcm_decrypt(key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    """Open `sm4_gcm_encrypt`'s output. Raises `DecryptionFailed` if any byte of the blob, the AAD or the key differs;
    nothing of the plaintext is returned unless the tag verifies."""
    _check_sm4_key(key)
    if len(blob) < GCM_NONCE_SIZE + GCM_TAG_SIZE:
        raise DecryptionFailed("SM4-GCM blob too short")
    nonce, ciphertext, tag = blob[:GCM_NONCE_SIZE], blob[GCM_NONCE_SIZE:-GCM_TAG_SIZE], blob[-GCM_TAG_SIZE:]
    decryptor = Cipher(algorithms.SM4(bytes(key)), modes.GCM(nonce, tag, min_tag_length=GCM_TAG_SIZE)).decryptor()
    if aad:
        decryptor.authenticate_additional_data(aad)
    plaintext = decryptor.update(ciphertext)
    try:
        return plaintext + decryptor.finalize()
    except InvalidTag:
        raise DecryptionFailed("SM4-GCM authentication failed: wrong key, wrong AAD or altered data") from None


def sm4_random_key() -> bytes:
    """A fresh 16-byte SM4 key from the operating system's CSPRNG."""
    return os.urandom(SM4_KEY_SIZE)


# --- minimal DER, for SM2 keys and signatures -------------------------------------------------------
# Only the handful of fixed structures below; strict (definite, minimal lengths; no trailing bytes).

_OID_EC_PUBLIC_KEY = bytes.fromhex("06072a8648ce3d0201")  # 1.2.840.10045.2.1
_OID_SM2 = bytes.fromhex("06082a811ccf5501822d")  # 1.2.156.10197.1.301 (GM/T 0006-2012)
_SM2_ALGORITHM = b"\x30" + bytes([len(_OID_EC_PUBLIC_KEY + _OID_SM2)]) + _OID_EC_PUBLIC_KEY + _OID_SM2


def _der(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    encoded = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(encoded)]) + encoded + content


def _der_int(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _der_read(data: bytes, offset: int = 0) -> tuple[int, bytes, int]:
    """One TLV at `offset`: (tag, content, offset after it). Raises ValueError on anything malformed."""
    if offset + 2 > len(data):
        raise ValueError("truncated DER")
    tag, first = data[offset], data[offset + 1]
    offset += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or offset + count > len(data):
            raise ValueError("bad DER length")
        length = int.from_bytes(data[offset : offset + count], "big")
        if length < 0x80 or data[offset] == 0:
            raise ValueError("non-minimal DER length")
        offset += count
    end = offset + length
    if end > len(data):
        raise ValueError("truncated DER")
    return tag, data[offset:end], end


def _der_children(content: bytes) -> list[tuple[int, bytes]]:
    children, offset = [], 0
    while offset < len(content):
        tag, value, offset = _der_read(content, offset)
        children.append((tag, value))
    return children


def _der_whole(data: bytes, tag: int) -> bytes:
    found, content, end = _der_read(data)
    if found != tag or end != len(data):
        raise ValueError("unexpected DER structure")
    return content


def _der_positive_int(content: bytes) -> int:
    if not content or content[0] & 0x80 or (len(content) > 1 and content[0] == 0 and not content[1] & 0x80):
        raise ValueError("non-canonical DER INTEGER")
    return int.from_bytes(content, "big")


def sm2_signature_encode(r: int, s: int) -> bytes:
    """DER `SEQUENCE {r, s}` (GM/T 0009-2012 §7.3)."""
    return _der(0x30, _der_int(r) + _der_int(s))


def sm2_signature_decode(signature: bytes) -> tuple[int, int]:
    """(r, s) of a canonical DER SM2 signature with 1 ≤ r, s < n. Raises ValueError otherwise."""
    children = _der_children(_der_whole(signature, 0x30))
    if len(children) != 2 or any(tag != 0x02 for tag, _ in children):
        raise ValueError("an SM2 signature is SEQUENCE {r INTEGER, s INTEGER}")
    r, s = (_der_positive_int(value) for _, value in children)
    if not (0 < r < _SM2_N and 0 < s < _SM2_N):
        raise ValueError("SM2 signature values out of range")
    return r, s


# --- PEM ------------------------------------------------------------------------------------------


def _pem(label: str, der: bytes) -> bytes:
    body = base64.b64encode(der).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return ("\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]) + "\n").encode("ascii")


def _unpem(pem: bytes | str) -> tuple[str, bytes]:
    text = pem.decode("ascii") if isinstance(pem, bytes | bytearray) else pem
    text = text.strip()
    if not text.startswith("-----BEGIN ") or "-----END " not in text:
        raise ValueError("not a PEM block")
    label = text[len("-----BEGIN ") : text.index("-----", len("-----BEGIN "))]
    start = text.index("\n") if "\n" in text else -1
    end = text.index(f"-----END {label}-----")
    try:
        der = base64.b64decode("".join(text[start + 1 : end].split()), validate=True)
    except ValueError as exc:
        raise ValueError("PEM body is not base64") from exc
    return label, der


# --- SM2 keys --------------------------------------------------------------------------------------


def _raw_public(point: bytes) -> bytes:
    """64-byte X ‖ Y of a point on the SM2 curve (accepts 04‖X‖Y, X‖Y or compressed); ValueError if off the curve."""
    try:
        return gmssl_pyx.normalize_sm2_public_key(bytes(point))
    except gmssl_pyx.InvalidValueError as exc:
        raise ValueError("not a point on the SM2 curve") from exc


def sm2_public_pem(public_key: bytes) -> bytes:
    """X.509 SubjectPublicKeyInfo PEM for a raw public key (04‖X‖Y or X‖Y)."""
    raw = _raw_public(public_key)
    return _pem("PUBLIC KEY", _der(0x30, _SM2_ALGORITHM + _der(0x03, b"\x00\x04" + raw)))


def sm2_private_pem(private_key: bytes, public_key: bytes) -> bytes:
    """PKCS#8 PEM for a raw 32-byte private key and its public key (RFC 5915 ECPrivateKey inside, as OpenSSL)."""
    if len(private_key) != 32 or not 0 < int.from_bytes(private_key, "big") < _SM2_N - 1:
        raise ValueError("an SM2 private key is an integer in [1, n-2], 32 bytes")
    raw = _raw_public(public_key)
    ec_private_key = _der(
        0x30, _der(0x02, b"\x01") + _der(0x04, bytes(private_key)) + _der(0xA1, _der(0x03, b"\x00\x04" + raw))
    )
    return _pem("PRIVATE KEY", _der(0x30, _der(0x02, b"\x00") + _SM2_ALGORITHM + _der(0x04, ec_private_key)))


def _check_sm2_algorithm(content: bytes) -> None:
    """AlgorithmIdentifier: id-ecPublicKey with the SM2 curve (OpenSSL), or the SM2 OID itself (some GM tools)."""
    children = _der_children(content)
    oids = [value for tag, value in children if tag == 0x06]
    if not oids or bytes([0x06, len(oids[-1])]) + oids[-1] != _OID_SM2:
        raise ValueError("not an SM2 key (curve 1.2.156.10197.1.301 expected)")


def _load_public(public_key_pem: bytes | str) -> bytes:
    label, der = _unpem(public_key_pem)
    if label != "PUBLIC KEY":
        raise ValueError("an SM2 public key is a PEM 'PUBLIC KEY' block")
    children = _der_children(_der_whole(der, 0x30))
    if len(children) != 2 or children[0][0] != 0x30 or children[1][0] != 0x03:
        raise ValueError("malformed SubjectPublicKeyInfo")
    _check_sm2_algorithm(children[0][1])
    bits = children[1][1]
    if not bits or bits[0] != 0:
        raise ValueError("malformed public key BIT STRING")
    return _raw_public(bits[1:])


def _parse_ec_private_key(der: bytes) -> tuple[bytes, bytes | None, bytes | None]:
    """RFC 5915 ECPrivateKey → (private 32 bytes, curve OID content or None, public point or None)."""
    children = _der_children(_der_whole(der, 0x30))
    if len(children) < 2 or children[0] != (0x02, b"\x01") or children[1][0] != 0x04:
        raise ValueError("malformed ECPrivateKey")
    private, curve, public = children[1][1].rjust(32, b"\x00"), None, None
    for tag, value in children[2:]:
        if tag == 0xA0:
            curve = value
        elif tag == 0xA1:
            bits = _der_whole(value, 0x03)
            if not bits or bits[0] != 0:
                raise ValueError("malformed public key BIT STRING")
            public = bits[1:]
    return private, curve, public


def _load_private(private_key_pem: bytes | str) -> tuple[bytes, bytes]:
    """(raw private 32 bytes, raw public 64 bytes) from PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY` PEM
    (OpenSSL 3 labels SEC1 SM2 keys `SM2 PRIVATE KEY`)."""
    label, der = _unpem(private_key_pem)
    if label == "PRIVATE KEY":
        children = _der_children(_der_whole(der, 0x30))
        if len(children) < 3 or children[0] != (0x02, b"\x00") or children[1][0] != 0x30 or children[2][0] != 0x04:
            raise ValueError("malformed PKCS#8 PrivateKeyInfo")
        _check_sm2_algorithm(children[1][1])
        private, _curve, public = _parse_ec_private_key(children[2][1])
    elif label in ("EC PRIVATE KEY", "SM2 PRIVATE KEY"):  # SEC1 (RFC 5915); OpenSSL 3 labels SM2 ones so
        private, curve, public = _parse_ec_private_key(der)
        if curve is None:
            raise ValueError("SEC1 key without curve parameters")
        _check_sm2_algorithm(curve)
    else:
        raise ValueError("an SM2 private key is a PEM 'PRIVATE KEY' (PKCS#8) or SEC1 'EC PRIVATE KEY' block")
    if len(private) != 32 or not 0 < int.from_bytes(private, "big") < _SM2_N - 1:
        raise ValueError("SM2 private key out of range")
    if public is None:
        # Signing needs the public key (it is hashed into Z_A); OpenSSL and this module always include it.
        raise ValueError("the SM2 private key PEM must include its public key")
    return private, _raw_public(public)


def sm2_generate_keypair() -> tuple[bytes, bytes]:
    """A new SM2 key pair on the recommended curve: (private key PEM, public key PEM)."""
    public, private = gmssl_pyx.sm2_key_generate()
    return sm2_private_pem(private, public), sm2_public_pem(public)


def sm2_public_key_from_private(private_key_pem: bytes | str) -> bytes:
    """The public key PEM that belongs to a private key PEM."""
    _private, public = _load_private(private_key_pem)
    return sm2_public_pem(public)


def sm2_public_key_point(public_key_pem: bytes | str) -> bytes:
    """The uncompressed point 04 ‖ X ‖ Y (65 bytes) of a public key PEM, for exchange with other SM2 tools."""
    return b"\x04" + _load_public(public_key_pem)


def sm2_sign(private_key_pem: bytes | str, data: bytes, signer_id: bytes = SM2_DEFAULT_SIGNER_ID) -> bytes:
    """SM2 signature of SM3(Z_A ‖ data), DER-encoded (GB/T 32918.2-2016 §6.1; GM/T 0009-2012 for ID and DER).

    The nonce k comes from GmSSL's CSPRNG. Raises ValueError for a key that is not an SM2 private key PEM."""
    private, public = _load_private(private_key_pem)
    try:
        return gmssl_pyx.sm2_sign(private, public, data, signer_id)
    except gmssl_pyx.GmsslInnerError as exc:
        raise CryptoError("SM2 signing failed") from exc


def sm2_verify(
    public_key_pem: bytes | str, data: bytes, signature: bytes, signer_id: bytes = SM2_DEFAULT_SIGNER_ID
) -> bool:
    """Whether `signature` (DER) is a valid SM2 signature of `data` by the key's owner with this signer ID.

    A wrong, altered or malformed signature gives False; only a malformed public key raises ValueError."""
    public = _load_public(public_key_pem)
    try:
        sm2_signature_decode(signature)
    except ValueError:
        return False
    try:
        return bool(gmssl_pyx.sm2_verify(public, data, bytes(signature), signer_id))
    except gmssl_pyx.GmsslInnerError:
        return False


# --- self-test with published known-answer vectors --------------------------------------------------

_SM4_KAT_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")

# GM/T 0003.5-2012 Annex A (also GB/T 32918.5-2017): signature on the recommended curve, ID 1234567812345678,
# message "message digest", with k = 59276E27…EAC1BC21. OpenSSL's test/sm2_internal_test.c uses the same values.
SM2_KAT = {
    "private_key": bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8"),
    "public_key": bytes.fromhex(
        "0409F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
        "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
    ),
    "signer_id": b"1234567812345678",
    "message": b"message digest",
    "z_a": bytes.fromhex("B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3"),
    "k": 0x59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21,
    "r": 0xF5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3,
    "s": 0xB1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA,
}

# RFC 8998 Appendix A.1: SM4-GCM.
SM4_GCM_KAT = {
    "key": _SM4_KAT_KEY,
    "nonce": bytes.fromhex("00001234567800000000ABCD"),
    "aad": bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2"),
    "plaintext": bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    ),
    "ciphertext": bytes.fromhex(
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
    ),
    "tag": bytes.fromhex("83DE3541E4C2B58177E065A9BF7B62EC"),
}


def sm4_ecb_encrypt_block(key: bytes, block: bytes, rounds: int = 1) -> bytes:
    """Encrypt one 16-byte block `rounds` times with bare SM4 (ECB): for the GB/T 32907 vectors only.

    One encryptor context is reused, so a million rounds take about a second."""
    _check_sm4_key(key)
    if len(block) != 16:
        raise ValueError("an SM4 block is 16 bytes")
    # ECB on a single block is the block cipher itself: this exists to check the GB/T 32907-2016 Annex A vectors.
    update = Cipher(algorithms.SM4(bytes(key)), modes.ECB()).encryptor().update  # noqa: S305
    for _ in range(rounds):
        block = update(block)
    return block


def _check_sm3_abc() -> bool:
    return sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def _check_sm3_512() -> bool:
    return sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def _check_hmac_sm3() -> bool:
    key, data = b"ftzsafety hmac-sm3 self-test key", b"The quick brown fox jumps over the lazy dog"
    # Two independent implementations (OpenSSL via `cryptography`, GmSSL via gmssl-pyx) must agree.
    return hmac_sm3(key, data) == gmssl_pyx.sm3_hmac(key, data) and hmac_sm3_verify(key, data, hmac_sm3(key, data))


def _check_sm4_block() -> bool:
    return sm4_ecb_encrypt_block(_SM4_KAT_KEY, _SM4_KAT_KEY).hex() == "681edf34d206965e86b3e94f536e4246"


def _check_sm4_million() -> bool:
    return (
        sm4_ecb_encrypt_block(_SM4_KAT_KEY, _SM4_KAT_KEY, rounds=1_000_000).hex() == "595298c7c6fd271f0402f804c33d3f66"
    )


def _check_sm4_gcm() -> bool:
    v = SM4_GCM_KAT
    sealed = _sm4_gcm_seal(v["key"], v["nonce"], v["plaintext"], v["aad"])
    return (
        sealed == v["nonce"] + v["ciphertext"] + v["tag"]
        and sm4_gcm_decrypt(v["key"], sealed, v["aad"]) == v["plaintext"]
    )


def _check_sm4_gcm_tamper() -> bool:
    v = SM4_GCM_KAT
    blob = bytearray(v["nonce"] + v["ciphertext"] + v["tag"])
    blob[20] ^= 0x01
    try:
        sm4_gcm_decrypt(v["key"], bytes(blob), v["aad"])
    except DecryptionFailed:
        return True
    return False


def _check_sm2_kat() -> bool:
    v = SM2_KAT
    public_pem = sm2_public_pem(v["public_key"])
    return sm2_verify(public_pem, v["message"], sm2_signature_encode(v["r"], v["s"]), v["signer_id"])


def _check_sm2_round_trip() -> bool:
    private_pem, public_pem = sm2_generate_keypair()
    signature = sm2_sign(private_pem, b"ftzsafety self-test")
    derived = sm2_public_key_from_private(private_pem)
    return sm2_verify(public_pem, b"ftzsafety self-test", signature) and derived == public_pem


def _check_sm2_tamper() -> bool:
    private_pem, public_pem = sm2_generate_keypair()
    signature = sm2_sign(private_pem, b"ftzsafety self-test")
    return not sm2_verify(public_pem, b"ftzsafety self-tesT", signature)


SELFTEST_CHECKS: list[tuple[str, Callable[[], bool], bool]] = [
    # (name, check, part of the fast variant run at server start)
    ("SM3 'abc' (GB/T 32905-2016 A.1)", _check_sm3_abc, True),
    ("SM3 'abcd'×16, 512 bits (GB/T 32905-2016 A.2)", _check_sm3_512, True),
    ("HMAC-SM3 OpenSSL = GmSSL", _check_hmac_sm3, True),
    ("SM4 one block (GB/T 32907-2016 A.1)", _check_sm4_block, True),
    ("SM4 1,000,000 rounds (GB/T 32907-2016 A.2)", _check_sm4_million, False),
    ("SM4-GCM (RFC 8998 A.1)", _check_sm4_gcm, True),
    ("SM4-GCM rejects an altered ciphertext", _check_sm4_gcm_tamper, True),
    ("SM2 verifies the GM/T 0003.5-2012 Annex A signature", _check_sm2_kat, True),
    ("SM2 sign/verify round trip", _check_sm2_round_trip, True),
    ("SM2 rejects a tampered message", _check_sm2_tamper, True),
]


def selftest(*, full: bool = True) -> list[tuple[str, bool]]:
    """Run the known-answer tests: [(name, passed)]. `full=False` skips the million-round SM4 vector (~1 s)."""
    results = []
    for name, check, fast in SELFTEST_CHECKS:
        if not (full or fast):
            continue
        try:
            ok = bool(check())
        except Exception:  # a crash is a failure, reported with the rest
            logger.exception("crypto self-test %r raised", name)
            ok = False
        results.append((name, ok))
    return results


_selftest_passed = False


def require_selftest() -> None:
    """Raise `SelfTestFailed` unless the fast self-test passes; once per process. Call before serving requests."""
    global _selftest_passed
    if _selftest_passed:
        return
    started = time.perf_counter()
    failed = [name for name, ok in selftest(full=False) if not ok]
    if failed:
        raise SelfTestFailed("national cryptography self-test failed: " + "; ".join(failed))
    _selftest_passed = True
    logger.info("crypto self-test passed in %.0f ms", (time.perf_counter() - started) * 1000)
