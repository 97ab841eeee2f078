"""Reading rules.yaml safely, keeping the line and column of every key and value.

Only YAML's safe subset is built. Aliases are allowed (shop owners reuse texts
with anchors) but counted as they are expanded, so an alias bomb is refused
before it costs memory or time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from otokui.errors import Problem

Path = tuple[str | int, ...]

MAX_BYTES = 2_000_000  # a policy is a few kilobytes; this is far beyond any real one
MAX_NODES = 200_000  # nodes after alias expansion
MAX_DEPTH = 64


@dataclass
class Positions:
    """Line and column (1-based) of each key and value, by path."""

    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The best position for ``path``: the key itself, its value, or its nearest parent."""
        probe = tuple(path)
        while True:
            if key and probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            if probe in self.keys:
                return self.keys[probe]
            if not probe:
                return (1, 1)
            probe = probe[:-1]


@dataclass
class Document:
    data: Any
    positions: Positions


class _TooBig(Exception):
    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.node = node


def _mark(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _walk(node: Node, path: Path, positions: Positions, budget: list[int], depth: int) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig(f"the document expands to more than {MAX_NODES} values (an alias bomb?)", node)
    if depth > MAX_DEPTH:
        raise _TooBig(f"nesting deeper than {MAX_DEPTH} levels", node)
    positions.values.setdefault(path, _mark(node))
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else str(_mark(key_node))
            child = (*path, key)
            positions.keys.setdefault(child, _mark(key_node))
            _walk(value_node, child, positions, budget, depth + 1)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), positions, budget, depth + 1)


def _duplicate_keys(node: Node, path: Path, file: str, seen: set[int]) -> list[Problem]:
    if id(node) in seen:
        return []
    seen.add(id(node))
    problems: list[Problem] = []
    if isinstance(node, MappingNode):
        first: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key = key_node.value
                if key in first and key != "<<":
                    line, col = _mark(key_node)
                    earlier = first[key].start_mark.line + 1
                    dotted = _dotted((*path, key))
                    problems.append(Problem(file, line, col, dotted, f"duplicate key (first set on line {earlier})"))
                first.setdefault(key, key_node)
                problems += _duplicate_keys(value_node, (*path, key), file, seen)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            problems += _duplicate_keys(item, (*path, index), file, seen)
    return problems


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted


def read(raw: bytes, file: str) -> Document:
    """Parse ``raw`` into plain data and positions; raise PolicyError listing what is wrong."""
    from otokui.errors import PolicyError

    if len(raw) > MAX_BYTES:
        raise PolicyError(
            [Problem(file, 1, 1, "", f"file is {len(raw):,} bytes; a policy may be at most {MAX_BYTES:,}")]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PolicyError([Problem(file, line, column, "", "not UTF-8 text (save the file as UTF-8)")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        raise PolicyError([Problem(file, line, column, "", f"YAML syntax error: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise PolicyError([Problem(file, 1, 1, "", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise PolicyError([Problem(file, 1, 1, "", f"nesting deeper than {MAX_DEPTH} levels")]) from None
    if node is None:
        raise PolicyError([Problem(file, 1, 1, "", "the policy is empty")])
    positions = Positions()
    try:
        _walk(node, (), positions, [MAX_NODES], 0)
    except _TooBig as exc:
        line, column = _mark(exc.node)
        raise PolicyError([Problem(file, line, column, "", str(exc))]) from None
    problems = _duplicate_keys(node, (), file, set())
    if problems:
        raise PolicyError(problems)
    try:
        data = SafeConstructor().construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise PolicyError([Problem(file, line, column, "", f"YAML error: {exc.problem}")]) from None
    return Document(data, positions)
