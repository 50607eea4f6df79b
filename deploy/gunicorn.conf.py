"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py` from the repo root."""

import gc
import os

wsgi_app = "kimonokittens.wsgi:application"
# nginx proxies here; keep it on loopback (or a unix socket: unix:/run/kimonokittens.sock).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# A house of a handful of people: a few synchronous workers are plenty on a small machine.
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then, so a slow leak never becomes an outage. A new worker starts
# with an empty cache (per worker unless CACHE_URL is set): bench/http_pages.py, which measures
# cache hits, turns recycling off (0).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100
# The app is loaded once, in the master, and every worker is forked from it: a recycled worker
# serves at once instead of spending a second or two importing Django and the apps. Loading
# opens no database connection (no app's ready() queries). New code needs a restart
# (`systemctl restart kimonokittens`, as docs/deploy.md says), not a reload.
preload_app = True


def pre_fork(server, worker):
    """The loaded app's objects live as long as the worker: kept out of its garbage
    collections, which then walk only what requests make (and pause them less)."""
    gc.freeze()


# Trust X-Forwarded-* only from nginx on the same machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The app itself logs one JSON line per request (method, path, status, duration, user, request
# id; kimonokittens.middleware), so gunicorn's own access log is off unless asked for.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
# When it is on, a token in a path (/k/<token>/..., the old dashboard's base URL) is masked.
logger_class = "api.token_paths.MaskedGunicornLogger"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
