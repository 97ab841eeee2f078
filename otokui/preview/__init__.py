"""The designer preview: a live gallery of every email variant, and the member site beside it.

Public API::

    PreviewServer(project, host="127.0.0.1", port=0, log=None)   # .start() / .url / .stop(), a context manager
    serve(project, out_dir, host=..., port=..., log=...) -> int   # blocks until Ctrl-C (``build.py serve``)

See ``docs/preview.md``.
"""

from __future__ import annotations

from otokui.preview.server import PreviewServer, serve

__all__ = ["PreviewServer", "serve"]
