from django.core.management.base import CommandError

from ftzsafety.accounts.models import User


def active_user(name: str) -> User:
    user = User.objects.filter(username=name, is_active=True).select_related("organisation").first()
    if user is None:
        raise CommandError(f"no active user {name!r}")
    return user
