"""``python -m ghl relay``: the Procfile's worker. The app's command line (``cli.py``), so it is
the same command as ``flask --app app relay``, on the same settings and Redis."""

import sys

from flask.cli import ScriptInfo

from app import create_app
from core.logging import configure_logging

configure_logging()
server = create_app().server
sys.exit(server.cli.main(prog_name="python -m ghl", obj=ScriptInfo(create_app=lambda: server)))
