from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ftzsafety.api import api

admin.site.site_header = _("ftzsafety back office")
admin.site.site_title = _("ftzsafety")

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("enterprises/", include("ftzsafety.enterprises.urls")),
    path("dangerous-goods/", include("ftzsafety.dangerous_goods.urls")),
    path("audit/", include("ftzsafety.audit.urls")),
    path("security/", include("ftzsafety.security.urls")),
    path("exchange/", include("ftzsafety.exchange.urls")),
    path("documents/", include("ftzsafety.documents.urls")),
    path("certificates/", include("ftzsafety.certificates.urls")),
    path("verify/", include("ftzsafety.certificates.verify_urls")),
    path("hazards/", include("ftzsafety.hazards.urls")),
    path("officers/", include("ftzsafety.enforcement.urls")),
    path("credit/", include("ftzsafety.credit.urls")),
    path("filings/", include("ftzsafety.filings.urls")),
    path("", include("ftzsafety.portal.urls")),
    path("accounts/", include("ftzsafety.accounts.urls")),
]

handler403 = "ftzsafety.portal.errors.permission_denied"
handler404 = "ftzsafety.portal.errors.page_not_found"
handler500 = "ftzsafety.portal.errors.server_error"
