"""Build step: put the default email templates and site sources inside the package.

The repository keeps them at the top level (``email_templates/``, ``site_src/``);
a wheel carries a copy in ``otokui/data/`` so an installed otokui builds a shop
that has none of its own. The example shop's hand-written pages stay out.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _handwritten(relative: Path) -> bool:
    parts = relative.parts
    return len(parts) >= 3 and parts[0] == "docs" and relative.suffix == ".md"


class BuildWithDefaults(build_py):  # type: ignore[misc]
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the repository's folders directly
            return
        data = Path(self.build_lib) / "otokui" / "data"
        for name in ("email_templates", "site_src"):
            source, target = ROOT / name, data / name
            if target.exists():
                shutil.rmtree(target)
            for path in sorted(source.rglob("*")):
                relative = path.relative_to(source)
                if not path.is_file() or "__pycache__" in relative.parts or relative.name.startswith("."):
                    continue
                if name == "site_src" and _handwritten(relative):
                    continue
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target / relative)


setup(cmdclass={"build_py": BuildWithDefaults})
