from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "ftzsafety.documents"
    label = "documents"
    verbose_name = _("Enterprise documents")

    def ready(self) -> None:
        from ftzsafety.documents import selectors  # noqa: F401  (registers the scope rules)
