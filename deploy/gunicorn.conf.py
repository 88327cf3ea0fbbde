"""gunicorn for Mutua behind nginx (docs/DEPLOY.md).

    gunicorn -c deploy/gunicorn.conf.py mutua.wsgi

Sync workers read each request themselves: a client that sends slowly holds a worker for as long
as it likes. That is why gunicorn listens only where nginx can reach it (a unix socket, or
127.0.0.1) and nginx hands it whole requests (deploy/nginx/mutua-proxy.conf).

Every value can be changed from the environment (GUNICORN_*) or on the command line, which
wins over this file.
"""

import multiprocessing
import os

# Only nginx reaches gunicorn. Django trusts X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) and,
# with MUTUA_CLIENT_IP_HEADER, X-Real-IP: never bind to an address the world can reach.
bind = [os.environ.get("GUNICORN_BIND", "unix:/run/mutua/gunicorn.sock")]
# The socket: owner and group (nginx's www-data) only. (With systemd's mutua.socket, systemd
# made the socket and its modes; in containers nginx is another user: GUNICORN_UMASK=0.)
umask = int(os.environ.get("GUNICORN_UMASK", "0o007"), 8)

# A page spends most of its time waiting for PostgreSQL, not computing (docs/LOAD.md): more
# sync workers than the 2 x cores + 1 rule; about 125 MB each.
workers = int(os.environ.get("GUNICORN_WORKERS", str(min(12, 4 * multiprocessing.cpu_count()))))
worker_class = "sync"
# A worker busy for longer than this is killed and replaced (long work goes to `mutua worker`).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Renew workers now and then: memory held by one large export is given back.
max_requests = 2000
max_requests_jitter = 200
# Load the application once, before forking: workers start faster and share its memory.
preload_app = True


def post_fork(server: object, worker: object) -> None:
    """No database connection opened while loading is ever shared by two workers."""
    from django.db import connections

    connections.close_all()


# Requests are whole and small once nginx has read them; these are gunicorn's own ceilings.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Heartbeat files in memory: a worker on a slow or full disk is not killed for it. (gunicorn
# creates them with mkstemp, unlinked at once: a shared folder is safe, as its docs advise.)
SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHM if os.path.isdir(SHM) else None

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "mutua"
