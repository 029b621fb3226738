"""A YAML reader for untrusted scenario files, with bounded memory and time.

PyYAML's own loaders expand aliases (one kilobyte of nested anchors becomes gigabytes once
anything walks the result), recurse once per nesting level (10,000 levels end in
``RecursionError``), let a repeated key silently win, and turn ``2025-02-30`` into a bare
``ValueError``. This reader builds the data itself from libyaml's event stream, without
recursion, and refuses before any of that can happen:

* more than ``MAX_BYTES`` bytes (checked before parsing; the dashboard applies the same limit);
* anything but UTF-8 (a UTF-8 byte-order mark is allowed and dropped);
* more than one YAML document;
* nesting deeper than ``MAX_DEPTH``;
* more than ``MAX_NODES`` values once aliases are expanded (each alias counts the whole
  value it copies, so expansion is bounded before it is done);
* a key given twice in one mapping;
* tags other than YAML's plain types (no Python objects, sets or binary).

Dates stay text (``"2025-06-01"``): the scenario schema parses them strictly and names the
field when a date does not exist. Every refusal is a ``YamlError`` whose message names the
file and the line.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

import yaml
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent)
from yaml.nodes import ScalarNode

MAX_BYTES = 1024 * 1024  # 1 MiB: the dashboard's upload limit is the same number (1 MB)
MAX_DEPTH = 20  # a scenario nests 4 deep; 20 leaves room and keeps every walk shallow
MAX_NODES = 50_000  # values after alias expansion; a scenario has a few hundred

try:  # libyaml, when PyYAML was built with it
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover
    _Parser = None
_MAP, _SEQ, _STR = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_PLAIN_TAGS = {"tag:yaml.org,2002:" + t for t in ("null", "bool", "int", "float", "str")}
_FOREIGN_BOMS = {codecs.BOM_UTF32_LE: "UTF-32", codecs.BOM_UTF32_BE: "UTF-32",
                 codecs.BOM_UTF16_LE: "UTF-16", codecs.BOM_UTF16_BE: "UTF-16"}


class YamlError(ValueError):
    """Input refused; the message names the file and the line and is meant for the user."""


@dataclass
class _Open:
    """A mapping or sequence being built, with what the reader needs to finish it."""

    value: object
    path: tuple
    line: int
    anchor: str | None
    nodes_before: int
    key: object = None
    key_line: int = 0
    has_key: bool = False
    key_lines: dict = field(default_factory=dict)


def decode(data: bytes, where: str) -> str:
    """``data`` as text: UTF-8 with or without a byte-order mark, nothing else."""
    if len(data) > MAX_BYTES:
        raise YamlError(f"{where}: {len(data):,} bytes; scenarios are limited to "
                        f"{MAX_BYTES:,} bytes (1 MB)")
    for bom, name in _FOREIGN_BOMS.items():
        if data.startswith(bom):
            raise YamlError(f"{where}: line 1: the file is {name}; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlError(f"{where}: line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x} "
                        f"at offset {exc.start}); save the file as UTF-8") from None


def read_bytes(path, where: str) -> bytes:
    """At most ``MAX_BYTES`` + 1 bytes of a regular file (the limit is checked before parsing)."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise YamlError(f"{where}: larger than {MAX_BYTES:,} bytes; scenarios are limited to "
                        f"{MAX_BYTES:,} bytes (1 MB)")
    return data


def load(text: str, where: str) -> tuple[object, dict[tuple, int]]:
    """The single document in ``text`` and the 1-based line of each key path."""
    return _Reader(where).read(text)


class _Reader:
    def __init__(self, where: str):
        self.where = where
        self.nodes = 0
        self.anchors: dict[str, tuple[object, int]] = {}  # anchor -> (value, node count)
        self.lines: dict[tuple, int] = {}
        self.stack: list[_Open] = []
        self.documents = 0
        self.result = None
        self.constructor = yaml.constructor.SafeConstructor()
        self.resolver = yaml.resolver.Resolver()

    def fail(self, line: int, problem: str):
        raise YamlError(f"{self.where}: line {line}: {problem}")

    def read(self, text: str):
        try:
            for event in yaml.parse(text, Loader=_Loader):
                self._event(event)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = f" line {mark.line + 1}:" if mark else ""
            problem = exc.problem or exc.context or "syntax error"
            raise YamlError(f"{self.where}:{line} not valid YAML ({problem})") from None
        except yaml.YAMLError as exc:  # the reader's errors carry a position, not a mark
            position = getattr(exc, "position", None)
            line = f" line {text.count(chr(10), 0, position) + 1}:" \
                if isinstance(position, int) else ""
            problem = getattr(exc, "reason", None) or str(exc).splitlines()[0]
            raise YamlError(f"{self.where}:{line} not valid YAML ({problem})") from None
        return self.result, self.lines

    def _event(self, event) -> None:
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.fail(line, "a second YAML document ('---'); a scenario is one document")
        elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            self._open(event, line)
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            done = self.stack.pop()
            if done.anchor is not None:
                self.anchors[done.anchor] = (done.value, self.nodes - done.nodes_before)
            self._add(done.value, done.line)
        elif isinstance(event, ScalarEvent):
            self._count(1, line)
            value = self._scalar(event, line)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1)
            self._add(value, line)
        elif isinstance(event, AliasEvent):
            if event.anchor not in self.anchors:
                self.fail(line, f"alias *{event.anchor} refers to no finished anchor")
            value, count = self.anchors[event.anchor]
            self._count(count, line)  # counted before copying: expansion stays bounded
            self._add(_copy(value), line)

    def _count(self, count: int, line: int) -> None:
        self.nodes += count
        if self.nodes > MAX_NODES:
            self.fail(line, f"more than {MAX_NODES:,} values (aliases counted expanded); "
                            "a scenario needs a few hundred")

    def _open(self, event, line: int) -> None:
        mapping = isinstance(event, MappingStartEvent)
        tag = event.tag
        if tag is not None and tag != (_MAP if mapping else _SEQ):
            self.fail(line, f"not valid YAML for a scenario: tag {_short(tag)} is not allowed; "
                            "use plain mappings and lists")
        if len(self.stack) >= MAX_DEPTH:
            self.fail(line, f"nested more than {MAX_DEPTH} levels deep")
        self._count(1, line)
        path = self._child_path()
        self.stack.append(_Open({} if mapping else [], path, line, event.anchor, self.nodes))

    def _child_path(self) -> tuple:
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if isinstance(parent.value, list):
            return parent.path + (str(len(parent.value)),)
        return parent.path + (str(parent.key),) if parent.has_key else parent.path + ("?",)

    def _scalar(self, event, line: int):
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)
        if tag == _TIMESTAMP:
            return event.value  # the schema parses dates strictly, naming the field
        if tag == _MERGE:
            return "<<"
        if tag not in _PLAIN_TAGS:
            self.fail(line, f"not valid YAML for a scenario: tag {_short(tag)} is not allowed; "
                            "write plain text, numbers or dates")
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            self.fail(line, f"cannot read {event.value!r} as {tag.rsplit(':', 1)[-1]} ({exc})")

    def _add(self, value, line: int) -> None:
        if not self.stack:
            self.result = value
            return
        parent = self.stack[-1]
        if isinstance(parent.value, list):
            self.lines[parent.path + (str(len(parent.value)),)] = line
            parent.value.append(value)
        elif not parent.has_key:
            if isinstance(value, (dict, list)):
                self.fail(line, "a key must be plain text, not a mapping or a list")
            if value in parent.key_lines:
                first = parent.key_lines[value]
                self.fail(line, f"key {value!r} appears twice in one mapping (first on line "
                                f"{first}); remove one")
            parent.key, parent.key_line, parent.has_key = value, line, True
        else:
            parent.has_key = False
            parent.key_lines[parent.key] = parent.key_line
            if parent.key == "<<":
                self._merge_key(parent, value, line)
                return
            self.lines[parent.path + (str(parent.key),)] = parent.key_line
            parent.value[parent.key] = value

    def _merge_key(self, parent: _Open, value, line: int) -> None:
        """YAML's ``<<: *base`` (keys written in the mapping itself win)."""
        merged = value if isinstance(value, list) else [value]
        if not all(isinstance(m, dict) for m in merged):
            self.fail(line, "'<<' merges mappings only")
        for mapping in merged:
            for key, item in mapping.items():
                parent.value.setdefault(key, item)


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _copy(value):
    """An independent copy of a finished value (recursive, but depth is already bounded)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


if _Parser is not None:
    class _Loader(_Parser):
        """libyaml's parser: events only, nothing composed or constructed."""
else:  # pragma: no cover - PyYAML built without libyaml
    class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
        """PyYAML's own parser: events only (it keeps its states on a list, not the stack)."""

        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
