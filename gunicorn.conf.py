"""gunicorn settings for production; the Procfile runs ``gunicorn --config gunicorn.conf.py``.

Slow clients: gevent workers park a connection that trickles its request in a greenlet, not a
thread, so ``/healthz``, the webhook and the dashboard keep answering while any number of
clients (up to ``worker_connections`` per worker) dribble bytes; ``api.slow_clients`` closes a
body not received within ``BODY_READ_TIMEOUT_SECONDS`` (408). See docs/deploy.md.
"""

import os

from core.logging import gunicorn_logconfig

# bind: gunicorn's own default is 0.0.0.0:$PORT when the PaaS sets PORT.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gevent"
worker_connections = 1000
timeout = 30
graceful_timeout = 30
keepalive = 5
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-"
# No query strings: a search term can be a name.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
logconfig_dict = gunicorn_logconfig()


def post_worker_init(worker) -> None:
    """Wrap the loaded app so a request body must arrive within the deadline."""
    from gevent import monkey

    if not monkey.is_module_patched("socket"):  # --worker-class overridden: no deadline there
        worker.log.warning("not a gevent worker: clients trickling requests can hold every "
                           "worker thread (see docs/deploy.md, Slow clients)")
        return
    from api.slow_clients import BodyDeadline
    from app import MAX_REQUEST_BYTES
    from core.settings import Settings

    worker.wsgi = BodyDeadline(worker.wsgi, Settings().body_read_timeout_seconds,
                               MAX_REQUEST_BYTES)
