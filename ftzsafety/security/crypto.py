"""National cryptography (国密). The only module that calls cryptographic libraries.

SM3 (GB/T 32905-2016) and SM4 (GB/T 32907-2016) come from `cryptography`; SM2 (GB/T 32918) from
`gmssl-pyx` (see ARCHITECTURE.md).
"""

from cryptography.hazmat.primitives import hashes


def sm3_digest(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def sm3_hex(data: bytes) -> str:
    """SM3 digest as 64 lower-case hex characters. `sm3_hex(b"abc")` starts 66c7f0f4 (GB/T 32905 A.1)."""
    return sm3_digest(data).hex()
