"""The key store: ids, permissions, first-use creation under concurrency, rotation, the zone signing key."""

import multiprocessing
import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from ftzsafety.security import crypto, keys
from ftzsafety.security.apps import check_key_store


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _current_data_key_id(_: int) -> str:
    return keys.current_data_key()[0]


class TestDataKeys:
    def test_first_use_creates_a_private_directory_and_key_file(self):
        key_dir = Path(settings.KEY_DIR)
        assert not key_dir.exists()
        key_id, key = keys.current_data_key()
        assert keys.KEY_ID_RE.match(key_id)
        assert key_id.startswith("sm4-")
        assert len(key) == 16
        assert _mode(key_dir) == 0o700
        assert _mode(key_dir / f"{key_id}.key") == 0o600
        assert _mode(key_dir / keys.DATA_KEY_POINTER) == 0o600
        assert keys.current_data_key() == (key_id, key)
        assert keys.data_key(key_id) == key
        assert not list(key_dir.glob(".*")), "no temporary files left behind"

    def test_a_wide_existing_directory_is_tightened(self):
        key_dir = Path(settings.KEY_DIR)
        key_dir.mkdir(mode=0o755)
        key_dir.chmod(0o755)
        keys.current_data_key()
        assert _mode(key_dir) == 0o700

    def test_rotation_adds_a_key_and_keeps_the_old_one(self):
        old_id, old_key = keys.current_data_key()
        new_id = keys.rotate_data_key()
        assert new_id != old_id
        assert keys.current_data_key() == (new_id, keys.data_key(new_id))
        assert keys.data_key(old_id) == old_key
        assert set(keys.data_key_ids()) == {old_id, new_id}

    @pytest.mark.parametrize(
        "key_id",
        ["sm4-20260101-abcdef", "../../etc/passwd", "sm4-20260101-abcdef/../x", "", "sm2-20260101-abcdef", "SM4-1"],
    )
    def test_unknown_or_malformed_ids_are_refused(self, key_id):
        keys.current_data_key()
        with pytest.raises(keys.UnknownKey):
            keys.data_key(key_id)

    def test_a_key_file_readable_by_others_is_refused_and_reported(self):
        key_id, _key = keys.current_data_key()
        path = Path(settings.KEY_DIR) / f"{key_id}.key"
        path.chmod(0o644)
        keys._cache.clear()
        with pytest.raises(keys.KeyStoreError, match="chmod 600"):
            keys.data_key(key_id)
        problems = keys.key_store_problems()
        assert any(str(path) in problem for problem in problems)
        assert [message.id for message in check_key_store()] == ["security.E110"]

    def test_a_healthy_store_has_no_problems(self):
        keys.current_data_key()
        keys.zone_signing_key()
        assert keys.key_store_problems() == []
        assert check_key_store() == []

    def test_a_corrupt_key_file_is_refused(self):
        key_id, _key = keys.current_data_key()
        (Path(settings.KEY_DIR) / f"{key_id}.key").write_bytes(b"c2hvcnQ=\n")
        keys._cache.clear()
        with pytest.raises(keys.KeyStoreError, match="16 bytes"):
            keys.data_key(key_id)

    def test_threads_racing_on_first_use_agree_on_one_key(self):
        with ThreadPoolExecutor(max_workers=16) as pool:
            ids = set(pool.map(_current_data_key_id, range(64)))
        assert len(ids) == 1
        assert keys.data_key_ids() == list(ids)

    @pytest.mark.skipif(sys.platform != "linux", reason="fork start method")
    def test_processes_racing_on_first_use_agree_on_one_key(self):
        with multiprocessing.get_context("fork").Pool(8) as pool:
            ids = set(pool.map(_current_data_key_id, range(32)))
        assert len(ids) == 1
        assert keys.data_key_ids() == list(ids)
        assert keys.current_data_key()[0] in ids


class TestZoneSigningKey:
    def test_generated_on_first_use_and_stable(self):
        key_id, private_pem = keys.zone_signing_key()
        assert key_id.startswith("sm2-")
        assert private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
        assert _mode(Path(settings.KEY_DIR) / f"{key_id}.pem") == 0o600
        assert keys.zone_signing_key() == (key_id, private_pem)

    def test_public_key_verifies_what_the_private_key_signs(self):
        key_id, private_pem = keys.zone_signing_key()
        public_id, public_pem = keys.zone_public_key()
        assert public_id == key_id
        signature = crypto.sm2_sign(private_pem, b"audit checkpoint 1000")
        assert crypto.sm2_verify(public_pem, b"audit checkpoint 1000", signature)
        assert keys.signing_public_key(key_id) == public_pem

    def test_signing_and_data_keys_are_not_interchangeable(self):
        data_id, _key = keys.current_data_key()
        signing_id, _pem = keys.zone_signing_key()
        with pytest.raises(keys.UnknownKey):
            keys.data_key(signing_id)
        with pytest.raises(keys.UnknownKey):
            keys.signing_public_key(data_id)


def test_key_dir_comes_from_the_environment(tmp_path):
    """FTZSAFETY_KEY_DIR wins; without it, var/keys under the working directory."""
    code = "import ftzsafety.settings as s; print(s.KEY_DIR)"
    env = {**os.environ, "FTZSAFETY_VAR_DIR": str(tmp_path / "var"), "FTZSAFETY_KEY_DIR": str(tmp_path / "k")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == str(tmp_path / "k")
    del env["FTZSAFETY_KEY_DIR"]
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == str(tmp_path / "var" / "keys")
