from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "ftzsafety.filings"
    label = "filings"
    verbose_name = _("Filings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ftzsafety.enterprises.profile import ProfilePanel, register_profile_panel

        register_profile_panel(
            ProfilePanel(
                key="filings",
                title=_("Filings"),
                url_name="filings:enterprise_panel",
                visible=lambda actor, enterprise: actor.has_perm("filings.view_filing"),
                order=50,
            )
        )
