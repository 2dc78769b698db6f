"""Password rules of 等保 2.0 level 3 (GB/T 22239-2019 §8.1.4.1): at least 8 characters from at least three of
the four classes, not the user name; a prompt to change after 90 days. (OWASP ASVS 5 advises against forced
rotation; the national baseline requires it, so we follow 等保 and say so in the README.)"""

import string
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_PASSWORD_AGE = timedelta(days=90)
CHARACTER_CLASSES = (
    ("lower", set(string.ascii_lowercase)),
    ("upper", set(string.ascii_uppercase)),
    ("digit", set(string.digits)),
)


def character_classes(password: str) -> int:
    """Lower case, upper case, digits, and anything else (punctuation, Chinese …) as the fourth class."""
    found = {name for name, chars in CHARACTER_CLASSES if any(ch in chars for ch in password)}
    if any(not (ch.isascii() and ch.isalnum()) for ch in password):
        found.add("other")
    return len(found)


class CharacterClassValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < 3:
            raise ValidationError(
                _("The password must mix at least three of: lower-case letters, capitals, digits, symbols."),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("Use at least three of: lower-case letters, capitals, digits, symbols.")


class NotUsernameValidator:
    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "username", "") or "").lower()
        if username and username in password.lower():
            raise ValidationError(_("The password must not contain the user name."), code="password_has_username")

    def get_help_text(self) -> str:
        return _("The password must not contain your user name.")


def password_expired(user: Any) -> bool:
    changed = getattr(user, "password_changed_at", None)
    return changed is not None and timezone.now() - changed > MAX_PASSWORD_AGE
