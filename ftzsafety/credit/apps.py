from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "ftzsafety.credit"
    label = "credit"
    verbose_name = _("Credit grading")

    def ready(self) -> None:
        from ftzsafety.enterprises.profile import ProfilePanel, register_profile_panel

        register_profile_panel(
            ProfilePanel(
                key="credit",
                title=_("Credit grade"),
                url_name="credit:panel",
                visible=lambda actor, enterprise: actor.has_perm("credit.view_creditgrade"),
                order=15,
            )
        )
