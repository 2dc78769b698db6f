from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ftzsafety.accounts"
    label = "accounts"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from ftzsafety.accounts import roles

        # Permissions only exist after migrate has run, so the role groups are synced here, not in a migration.
        post_migrate.connect(roles.sync_role_groups_after_migrate, dispatch_uid="ftzsafety.sync_role_groups")

        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from ftzsafety.accounts.sessions import mark_signed_in

        user_logged_in.connect(mark_signed_in, dispatch_uid="ftzsafety.mark_signed_in")

        user_locked_out.connect(_audit_lock, dispatch_uid="ftzsafety.audit_lock")


def _audit_lock(sender: object, request: object = None, username: str = "", **kwargs: object) -> None:
    from ftzsafety.accounts.services import sign_in_locked

    sign_in_locked(username=username or "")
