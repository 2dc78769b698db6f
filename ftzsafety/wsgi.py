"""WSGI entry point, served by gunicorn (`ftzsafety serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ftzsafety.settings")

application = get_wsgi_application()

# Refuse to serve if the national cryptography fails its known-answer tests (GB/T 39786-2021).
from ftzsafety.security.crypto import require_selftest  # noqa: E402

require_selftest()
