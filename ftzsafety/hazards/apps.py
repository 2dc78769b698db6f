from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "ftzsafety.hazards"
    label = "hazards"
    verbose_name = _("Hazards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ftzsafety.enterprises.profile import ProfilePanel, register_profile_panel
        from ftzsafety.hazards import selectors  # noqa: F401  (registers the visibility scopes)

        register_profile_panel(
            ProfilePanel(
                key="hazards",
                title=_("Hazards"),
                url_name="hazards:enterprise_panel",
                visible=lambda actor, enterprise: actor.has_perm("hazards.view_hazard"),
                order=40,
            )
        )
