"""`ftzsafety createtoken --user NAME`: issue an API bearer token. Only the secret goes to stdout, so a script can
capture it (`TOKEN=$(ftzsafety createtoken --user emergency_officer)`); the expiry goes to stderr."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ftzsafety.accounts.models import User
from ftzsafety.accounts.services import api_token_create
from ftzsafety.core.errors import DomainError


class Command(BaseCommand):
    help = "Issue an API bearer token for a user; prints only the token on stdout (the expiry on stderr)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="User name of the token's owner.")
        parser.add_argument("--expires", type=int, default=None, metavar="DAYS", help="Days until it expires.")
        parser.add_argument("--name", default="", metavar="LABEL", help="A label, e.g. the system that uses it.")

    def handle(self, *args: Any, user: str, expires: int | None, name: str, **options: Any) -> None:
        owner = User.objects.filter(username=user).first()
        if owner is None:
            raise CommandError(f"No user named “{user}”.")
        try:
            issued = api_token_create(actor=None, user=owner, expires_days=expires, name=name)
        except DomainError as error:
            fields = error.extra.get("fields", {})
            detail = "; ".join(m for messages in fields.values() for m in messages) or error.message
            raise CommandError(detail) from None
        self.stdout.write(issued.secret)
        self.stderr.write(f"expires {issued.token.expires_at.isoformat(timespec='seconds')}", style_func=lambda s: s)
