import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    """The named users' passwords are hashed with Argon2 (about a second each); nothing here signs in by password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
