"""Every option's state for a partial selection, read from a layered decision diagram.

The catalog's BDD (`counting.ConfigurationCounter`) keeps each group's variables together,
so it can be read a group at a time: a multi-valued diagram with one layer per group. A
layer's nodes are the distinct sub-diagrams met at the top of that group's variables; its
edges are the group's values (an option of an exactly-one group, a set of options within a
group's bounds, a number or empty, a text filled or not). Every path from the root to the
end is a valid configuration, and every node lies on one.

A selection allows some values per layer: all of them, or those that keep the current
choices. Two passes find the nodes reachable from the root through allowed values above
(`reach`) and the nodes from which the end can be reached through allowed values below
(`alive`). An edge from a reachable node to a live one is a value some valid configuration
takes with every choice outside its own group: with the layer's own restriction too, that
says whether an option can still be chosen (or must be); without it, whether an option of
an exactly-one group can replace the current choice ("switching"). Both come from the same
two passes, for every option at once, exactly.

Sets of nodes are Python ints, a bit per node. A pass maps a layer's set to the next
through lookup tables, four bits at a time, each table built the first time its (layer,
allowed values) is met: a few hundred lookups per pass for the SUV. The edge check is one
numpy expression over every edge.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from configurator.engine.pricing import Selection
from configurator.engine.spec import CatalogSpec, GroupSpec

FORWARD, BACKWARD = 0, 1


@dataclass(frozen=True)
class _Layer:
    group: GroupSpec
    values: tuple  # frozensets of option codes; numbers (None: empty); False/True for text
    children: tuple[tuple[int, ...], ...]  # per node, per value: child index, or -1

    @property
    def width(self) -> int:
        return len(self.children)


@dataclass(frozen=True)
class OptionStates:
    """Per option, in the catalog's order: can it be chosen now (an exactly-one group's
    other options: can it replace the choice), and must it be."""

    valid: bool
    available: np.ndarray
    forced: np.ndarray


class StateDiagram:
    def __init__(self, spec: CatalogSpec, bdd, valid, group_names: dict[str, list[str]]):
        """Read the layers from `valid`, a BDD whose variables are named as in
        `group_names` and kept together per group."""
        level = bdd.level_of_var
        units = sorted(
            (
                unit
                for g in spec.groups
                if group_names[g.code]  # a group without variables has nothing to read
                for unit in _units(g, group_names[g.code])
            ),
            key=lambda unit: min(map(level, unit[2][0])),
        )
        self.spec = spec
        self.layers: list[_Layer] = []
        nodes = {} if valid == bdd.false else {valid: 0}  # no valid configuration: no root
        for group, values, assignments in units:
            following: dict = {}
            children = []
            for function in nodes:
                row = []
                for assignment in assignments:
                    child = bdd.let(assignment, function)
                    if child == bdd.false:
                        row.append(-1)
                    else:
                        row.append(following.setdefault(child, len(following)))
                children.append(tuple(row))
            self.layers.append(_Layer(group, values, tuple(children)))
            nodes = following
        self._index()

    def _index(self) -> None:
        layers = self.layers
        widths = [layer.width for layer in layers] + [1]  # the end: one node
        spans = [len(layer.values) for layer in layers]
        # Each layer's nodes, and its values, start on a byte: sets join as bytes.
        self.bytes = [(w + 7) // 8 for w in widths]
        self.value_bytes = [(v + 7) // 8 for v in spans]
        self.node_offsets = [8 * b for b in itertools.accumulate(self.bytes, initial=0)]
        self.value_offsets = [8 * b for b in itertools.accumulate(self.value_bytes, initial=0)]
        self.full = [(1 << w) - 1 for w in widths]
        self.full_values = [(1 << v) - 1 for v in spans]
        self.layer_options = [
            sorted(set().union(*la.values)) if la.group.is_choice else [] for la in layers
        ]
        sources, targets, values = [], [], []
        for i, layer in enumerate(layers):
            for node, row in enumerate(layer.children):
                for value, child in enumerate(row):
                    if child >= 0:
                        sources.append(self.node_offsets[i] + node)
                        targets.append(self.node_offsets[i + 1] + child)
                        values.append(self.value_offsets[i] + value)
        self.edge_sources = np.array(sources, dtype=np.int32)
        self.edge_targets = np.array(targets, dtype=np.int32)
        self.edge_values = np.array(values, dtype=np.int32)
        # Which options each value holds, as (value, option) pairs.
        option_index = {code: i for i, code in enumerate(self.spec.options)}
        one_groups = {g.code for g in self.spec.groups if g.kind == "one"}
        self.containing: dict[str, int] = {}  # option: mask of its layer's values holding it
        pair_values, pair_options = [], []
        self.value_layer = np.zeros(self.value_offsets[-1], dtype=np.int32)
        for i, layer in enumerate(layers):
            self.value_layer[self.value_offsets[i] : self.value_offsets[i + 1]] = i
            if not layer.group.is_choice:
                continue
            for value, held in enumerate(layer.values):
                for code in held:
                    self.containing[code] = self.containing.get(code, 0) | 1 << value
                    pair_values.append(self.value_offsets[i] + value)
                    pair_options.append(option_index[code])
        self.pair_values = np.array(pair_values, dtype=np.int32)
        self.pair_options = np.array(pair_options, dtype=np.int32)
        layer_of = {code: i for i, codes in enumerate(self.layer_options) for code in codes}
        self.option_place = {
            code: (layer_of[code], self.containing[code], option.group in one_groups)
            for code, option in self.spec.options.items()
        }
        self.field_place = {
            layer.group.code: (i, {value: 1 << j for j, value in enumerate(layer.values)})
            for i, layer in enumerate(layers)
            if not layer.group.is_choice
        }
        self.option_layer = np.array([layer_of[code] for code in self.spec.options], dtype=np.int32)
        # Per direction and layer, per mask of allowed values (None: all), built when first
        # met: per byte of the input set, a table for each half of it.
        self._tables: list[list[dict[int | None, list[tuple[list[int], list[int]]]]]] = [
            [{} for _layer in layers] for _direction in (FORWARD, BACKWARD)
        ]

    @property
    def size(self) -> tuple[int, int]:
        """Nodes and edges."""
        return self.node_offsets[-1], len(self.edge_sources)

    # ---------------------------------------------------------------- restrict

    def _allowed(self, selection: Selection) -> tuple[list[int | None], list[int]]:
        """Per layer, the mask of values keeping the selection (None: any); and the
        exactly-one layers that have a choice."""
        allowed: list[int | None] = [None] * len(self.layers)
        switching = []
        for code in selection.options:
            layer, mask, replaces = self.option_place[code]
            current = allowed[layer]
            allowed[layer] = mask if current is None else current & mask
            if replaces:
                switching.append(layer)
        for code, value in selection.numbers.items():
            layer, masks = self.field_place[code]
            allowed[layer] = masks.get(value, 0)
        for code in selection.texts:
            layer, masks = self.field_place[code]
            allowed[layer] = masks[True]
        return allowed, switching

    # ------------------------------------------------------------------ passes

    def option_states(self, selection: Selection) -> OptionStates:
        allowed, switching = self._allowed(selection)
        layers = len(self.layers)
        restricted = [i for i, mask in enumerate(allowed) if mask is not None]
        alive = list(self.full)
        reach = list(self.full)
        if restricted:
            self._backward(allowed, alive, restricted[-1])
            self._forward(allowed, reach, restricted[0])
        valid = bool(alive[0] & 1)
        nodes, values = self.bytes, self.value_bytes
        reached = _bits(b"".join(r.to_bytes(nodes[i], "little") for i, r in enumerate(reach)))
        living = _bits(b"".join(a.to_bytes(nodes[i], "little") for i, a in enumerate(alive)))
        open_values = np.zeros(self.value_offsets[-1], dtype=bool)
        open_values[self.edge_values[reached[self.edge_sources] & living[self.edge_targets]]] = True
        # The values keeping the selection, and with them those an exactly-one group that
        # has a choice could switch to.
        full = self.full_values
        keep = [full[i] if mask is None else mask for i, mask in enumerate(allowed)]
        kept = open_values & _bits(
            b"".join(m.to_bytes(values[i], "little") for i, m in enumerate(keep))
        )
        for i in switching:
            keep[i] = full[i]
        usable = open_values & _bits(
            b"".join(m.to_bytes(values[i], "little") for i, m in enumerate(keep))
        )
        options = len(self.spec.options)
        available = np.zeros(options, dtype=bool)
        available[self.pair_options[usable[self.pair_values]]] = True
        per_layer = np.bincount(self.value_layer[kept], minlength=layers)
        per_option = np.bincount(self.pair_options[kept[self.pair_values]], minlength=options)
        forced = (per_option > 0) & (per_option == per_layer[self.option_layer])
        return OptionStates(valid, available, forced)

    def _backward(self, allowed: list[int | None], alive: list[int], deepest: int) -> None:
        """From the deepest restricted layer up: each layer's nodes with an allowed edge
        into the live nodes below. (Written out with `_forward`: this loop is most of an
        evaluation.)"""
        full, width, tables_at = self.full, self.bytes, self._tables[BACKWARD]
        for i in range(deepest, -1, -1):
            mask, below = allowed[i], alive[i + 1]
            if mask is None and below == full[i + 1]:
                continue  # every node has an edge down: all stay alive
            tables = tables_at[i].get(mask) or self._build_tables(i, BACKWARD, mask)
            found = 0
            for (low, high), byte in zip(
                tables, below.to_bytes(width[i + 1], "little"), strict=True
            ):
                if byte:
                    found |= low[byte & 15] | high[byte >> 4]
            alive[i] = found

    def _forward(self, allowed: list[int | None], reach: list[int], first: int) -> None:
        """From the first restricted layer down: the nodes reached through allowed edges."""
        full, width, tables_at = self.full, self.bytes, self._tables[FORWARD]
        for i in range(first, len(allowed)):
            mask, here = allowed[i], reach[i]
            if mask is None and here == full[i]:
                continue  # every node has an edge into it: all are reached
            tables = tables_at[i].get(mask) or self._build_tables(i, FORWARD, mask)
            found = 0
            for (low, high), byte in zip(tables, here.to_bytes(width[i], "little"), strict=True):
                if byte:
                    found |= low[byte & 15] | high[byte >> 4]
            reach[i + 1] = found

    def _build_tables(self, layer: int, direction: int, mask: int | None):
        rows = self.layers[layer].children
        if direction == FORWARD:
            masks = [0] * len(rows)
            for node, row in enumerate(rows):
                for value, child in enumerate(row):
                    if child >= 0 and (mask is None or mask >> value & 1):
                        masks[node] |= 1 << child
        else:
            masks = [0] * (self.layers[layer + 1].width if layer + 1 < len(self.layers) else 1)
            for node, row in enumerate(rows):
                for value, child in enumerate(row):
                    if child >= 0 and (mask is None or mask >> value & 1):
                        masks[child] |= 1 << node
        masks += [0] * (-len(masks) % 8)
        tables = []
        for start in range(0, len(masks), 8):
            tables.append((_nibble_table(masks[start : start + 4]),
                           _nibble_table(masks[start + 4 : start + 8])))  # fmt: skip
        self._tables[direction][layer][mask] = tables
        return tables


def _nibble_table(masks: list[int]) -> list[int]:
    """The union of the masks picked by each of the 16 four-bit patterns."""
    table = [0] * 16
    for pattern in range(1, 16):
        lowest = (pattern & -pattern).bit_length() - 1
        table[pattern] = table[pattern & (pattern - 1)] | masks[lowest]
    return table


def _bits(data: bytes) -> np.ndarray:
    """Little-endian bits as a numpy bool array."""
    return np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="little").view(bool)


def _units(group: GroupSpec, names: list[str]):
    """The layers a group is read as: (group, values, each value as an assignment of its
    BDD variables), `names` being the group's variables in the order
    `counting.ConfigurationCounter._keys` gives them. An exactly-one group is one layer
    whose values are its options; a group of several choices is a layer per option (its
    sets of options would be too many to list); a number field is one layer of its values
    (None: empty), a text field one of empty or filled."""
    if group.kind == "one":
        codes = [o.code for o in group.options]
        picks = [None] * (group.bounds[0] == 0) + list(range(len(codes)))
        values = tuple(frozenset() if p is None else frozenset({codes[p]}) for p in picks)
        yield group, values, [{n: i == p for i, n in enumerate(names)} for p in picks]
    elif group.is_choice:
        for option, name in zip(group.options, names, strict=True):
            yield group, (frozenset(), frozenset({option.code})), [{name: False}, {name: True}]
    elif group.kind == "number":
        keys = [*group.number_values, None][: len(names)]
        yield group, tuple(keys), [{n: n == name for n in names} for name in names]
    else:
        yield group, (False, True), [{names[0]: False}, {names[0]: True}]
