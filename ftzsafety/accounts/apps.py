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
