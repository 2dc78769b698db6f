"""WSGI entry point, served by gunicorn (`ftzsafety serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ftzsafety.settings")

application = get_wsgi_application()
