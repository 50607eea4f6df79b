"""ASGI entry point, for completeness; production uses WSGI under gunicorn."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimonokittens.settings")

application = get_asgi_application()
