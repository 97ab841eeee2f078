"""The headless Chromium otokui prints letters with (and its tests drive): where it is, how it starts.

Debian's ``chromium`` is used; ``OTOKUI_CHROMIUM`` points elsewhere. The flags keep it headless and
quiet on a machine without a network: no background connections, updates or sync.
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("OTOKUI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
