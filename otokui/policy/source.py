"""Reading rules.yaml safely, keeping the line and column of every key and value.

Only YAML's safe subset is built. Aliases are allowed (shop owners reuse texts
with anchors) but counted as they are expanded, so an alias bomb is refused
before it costs memory or time. Before anything is built, one streaming pass
over the parser's events refuses characters YAML does not allow, nesting
deeper than :data:`MAX_DEPTH` and more than :data:`MAX_NODES` values, so a
hostile file costs milliseconds, not minutes. libyaml parses when it is
installed (PyYAML's pure-Python parser otherwise); both report the same marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import CollectionEndEvent, CollectionStartEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from otokui.errors import Problem

#: A path to a value in the policy: ('membership', 'ranks', 2, 'threshold').
KeyPath = tuple[str | int, ...]

MAX_BYTES = 2_000_000  # a policy is a few kilobytes; this is far beyond any real one
MAX_NODES = 100_000  # values after alias expansion (the example policy has about 1,500)
MAX_DEPTH = 64

#: PyYAML's safe loader, in C (libyaml) where the wheel has it (the pure-Python one is five times slower).
Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with :data:`Loader` (the locale catalogues are read with it)."""
    return yaml.load(text, Loader=Loader)


# What YAML 1.1 allows in a document (PyYAML's reader refuses the rest, without a line number).
_NOT_ALLOWED = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class Positions:
    """Line and column (1-based) of each key and value, by path."""

    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: KeyPath, *, key: bool = False) -> tuple[int, int]:
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
    text: str = ""  # the source, for explaining mistakes the parser does not see


class _TooBig(Exception):
    def __init__(self, message: str, node: Node | NodeEvent | CollectionEndEvent) -> None:
        super().__init__(message)
        self.node = node


class _Constructor(SafeConstructor):
    """SafeConstructor whose value errors (``2024-13-45``, ``!!int abc``) carry the node's mark."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, AttributeError, OverflowError, KeyError) as exc:
            tag = str(node.tag).rsplit(":", 1)[-1]
            value = repr(node.value) if isinstance(node, ScalarNode) else "this value"
            detail = f" ({exc})" if isinstance(exc, ValueError) else ""
            reason = f"{value} is not a valid {tag}{detail}"
            raise ConstructorError(None, None, reason, node.start_mark) from None


def _mark(node: Node | NodeEvent | CollectionEndEvent) -> tuple[int, int]:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _scan(text: str) -> None:
    """Walk the parser's events once: refuse deep nesting and too many values before composing."""
    depth = count = 0
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, NodeEvent):
            count += 1
            if count > MAX_NODES:
                raise _TooBig(f"more than {MAX_NODES:,} values; a policy has a few thousand at most", event)
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooBig(f"nesting deeper than {MAX_DEPTH} levels", event)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _where(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _walk(node: Node, path: KeyPath, positions: Positions, budget: list[int], depth: int) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig(f"the document expands to more than {MAX_NODES:,} values (an alias bomb?)", node)
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


def _duplicate_keys(node: Node, path: KeyPath, file: str, seen: set[int]) -> list[Problem]:
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
                    message = f"duplicate key (first set on line {earlier})"
                    problems.append(Problem(file, line, col, dotted((*path, key)), message))
                first.setdefault(key, key_node)
                problems += _duplicate_keys(value_node, (*path, key), file, seen)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            problems += _duplicate_keys(item, (*path, index), file, seen)
    return problems


def dotted(path: KeyPath) -> str:
    """A key path as shop owners read it: ``membership.ranks[1].threshold``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _syntax_problem(exc: yaml.YAMLError, file: str, text: str = "") -> Problem:
    from otokui.policy.yamlhelp import syntax_help

    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        explained = syntax_help(text, line, reason)
        if explained is not None:
            return Problem(file, explained.line, explained.column, explained.key, explained.message)
        return Problem(file, line, column, "", f"YAML syntax error: {reason}")
    return Problem(file, 1, 1, "", f"YAML error: {exc}")


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
    bad = _NOT_ALLOWED.search(text)
    if bad:
        where = _where(text, bad.start())
        message = f"character U+{ord(bad.group()):04X} is not allowed in YAML (a control character)"
        raise PolicyError([Problem(file, *where, "", message)])
    try:
        _scan(text)
        node = yaml.compose(text, Loader=Loader)
    except _TooBig as exc:
        raise PolicyError([Problem(file, *_mark(exc.node), "", str(exc))]) from None
    except yaml.YAMLError as exc:
        raise PolicyError([_syntax_problem(exc, file, text)]) from None
    except RecursionError:
        raise PolicyError([Problem(file, 1, 1, "", f"nesting deeper than {MAX_DEPTH} levels")]) from None
    if node is None:
        raise PolicyError([Problem(file, 1, 1, "", "the policy is empty")])
    positions = Positions()
    try:
        _walk(node, (), positions, [MAX_NODES], 0)
    except _TooBig as exc:
        raise PolicyError([Problem(file, *_mark(exc.node), "", str(exc))]) from None
    problems = _duplicate_keys(node, (), file, set())
    if problems:
        raise PolicyError(problems)
    try:
        data = _Constructor().construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise PolicyError([Problem(file, line, column, "", f"YAML error: {exc.problem}")]) from None
    return Document(data, positions, text)
