"""What the render stage produces and the writer and the checker consume.

An :class:`Artifact` is one output file held in memory, with the
:class:`Context` it was rendered for. The context is what lets the
guideline checker know, say, that an HTML file is the Japanese
first-purchase variant of the thank-you mail in surprise disclosure mode.

Once the writer has written an artifact into a build's folder, the build keeps
only a :class:`Written` record of it: the same path, context and media type,
its size, and its bytes read back from the folder when they are asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal

Surface = Literal["email", "page", "snippet", "data", "letter", "export"]


@dataclass(frozen=True)
class Context:
    """Where an output stands in the shop's policy.

    ``surface`` says what it is; the other fields are ``None`` (or empty)
    where they do not apply. ``kind`` is the email kind (``thanks_review``…)
    or the page kind (``benefits``, ``ranks``, ``rank``, ``notices``, ``faq``).
    """

    surface: Surface
    locale: str
    kind: str | None = None
    category: str | None = None  # transactional | relationship | marketing
    tier: str | None = None  # purchase-count tier id
    rank: str | None = None  # rank id
    notices: tuple[str, ...] = ()  # ids of the caution notices this variant carries
    disclosure: str | None = None  # published | surprise | hybrid
    variant: str | None = None  # the variant's name within its kind and locale


#: The context fields, in order: also the ``check --input`` flags that set them.
CONTEXT_FLAGS: tuple[str, ...] = tuple(f.name for f in fields(Context))


@dataclass(frozen=True)
class Artifact:
    """One output file: its path under the output folder, its bytes, its context."""

    path: str  # POSIX path relative to the output folder, e.g. "emails/shipped/ja/first.html"
    data: bytes
    context: Context | None = None
    media_type: str = "text/html"
    # The readable (pre-minify) HTML the checker reports line:column against;
    # None when ``data`` is already the readable form.
    source: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


class Folder:
    """Where a build's files are: its staging folder while it is written, the output folder once swapped in."""

    def __init__(self, path: Path) -> None:
        self.path = path


@dataclass(frozen=True)
class Written:
    """One output file written into a build's folder: what the build keeps of it instead of its bytes.

    :attr:`data` reads the file back from wherever the folder is now (a later
    build of the same folder replaces it).
    """

    path: str  # as Artifact.path
    size: int  # bytes written
    folder: Folder = field(repr=False, compare=False)
    context: Context | None = None
    media_type: str = "text/html"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def data(self) -> bytes:
        return self.folder.path.joinpath(*self.path.split("/")).read_bytes()

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")

    @classmethod
    def of(cls, artifact: Artifact, folder: Folder) -> Written:
        """The record of ``artifact``, written into ``folder`` (by the writer, or by the site's own process)."""
        return cls(artifact.path, len(artifact.data), folder, artifact.context, artifact.media_type, artifact.extra)


@dataclass(frozen=True)
class Sent:
    """The record of a file another process of the build wrote into its folder: a :class:`Written` once back.

    Small and picklable: a render worker or the export's process sends it instead of the file's bytes.
    """

    path: str
    size: int
    context: Context | None = None
    media_type: str = "text/html"
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, artifact: Artifact) -> Sent:
        return cls(artifact.path, len(artifact.data), artifact.context, artifact.media_type, artifact.extra)

    def written(self, folder: Folder) -> Written:
        return Written(self.path, self.size, folder, self.context, self.media_type, self.extra)
