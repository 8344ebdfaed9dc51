"""gunicorn run from a checkout's root reads this file: the settings are the package's own
(workplan/gunicorn_conf.py), which an installed copy names with -c python:workplan.gunicorn_conf."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workplan.gunicorn_conf import *  # noqa: E402, F403
