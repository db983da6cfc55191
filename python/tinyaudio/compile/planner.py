"""Static memory plan: every activation tensor gets an offset in one arena.

Lifetimes come from the op order: a tensor lives from the op that writes it to the last op that reads
it (model inputs from before the first op, the model output and variable tensors for the whole
invocation). RESHAPE-like aliases share one buffer; elementwise ops may write over an input that dies
there (in-place). Buffers whose lives do not overlap share memory. Offsets are placed greedily (largest
first, lowest free offset, like TFLM's GreedyMemoryPlanner); several orderings are tried and the
smallest arena kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tinyaudio.compile.ir import Model
from tinyaudio.compile.ops import LoweredOp

ALIGNMENT = 16


def _align(n: int, a: int = ALIGNMENT) -> int:
    return (n + a - 1) // a * a


@dataclass
class PlannedBuffer:
    """One region of the arena: a group of tensors sharing memory, or one op's scratch."""

    key: str
    tensors: list[int]
    size: int
    first: int  # first op index it must be valid at (-1: before the first op)
    last: int  # last op index it must be valid at (len(ops): after the last op)
    offset: int = -1
    scratch_op: int | None = None


@dataclass
class MemoryPlan:
    arena_bytes: int
    buffers: list[PlannedBuffer]
    tensor_offsets: dict[int, int] = field(default_factory=dict)
    scratch_offsets: dict[int, int] = field(default_factory=dict)

    def rows(self, model: Model) -> list[dict[str, object]]:
        """Per-tensor plan for --verbose and manifest.json."""
        rows: list[dict[str, object]] = []
        for buf in sorted(self.buffers, key=lambda b: (b.offset, b.first)):
            if buf.scratch_op is not None:
                rows.append({"tensor": None, "name": f"scratch of op #{buf.scratch_op}", "offset": buf.offset,
                             "bytes": buf.size, "first_op": buf.first, "last_op": buf.last})
                continue
            for idx in buf.tensors:
                t = model.tensors[idx]
                rows.append({"tensor": idx, "name": t.name, "offset": buf.offset, "bytes": t.nbytes,
                             "shape": list(t.shape), "dtype": t.type_name.lower(),
                             "first_op": buf.first, "last_op": buf.last})
        return rows


class _Groups:
    """Union-find over tensor indices (aliases and in-place pairs share one buffer)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _lifetimes(model: Model, keep: tuple[int, ...] = ()) -> tuple[dict[int, int], dict[int, int]]:
    n_ops = len(model.operators)
    first: dict[int, int] = {}
    last: dict[int, int] = {}

    def is_activation(idx: int) -> bool:
        return idx >= 0 and not model.tensors[idx].is_constant

    for idx in model.inputs:
        first[idx] = -1
        last[idx] = -1
    for op in model.operators:
        for idx in op.outputs:
            if is_activation(idx):
                first.setdefault(idx, op.index)
                last[idx] = max(last.get(idx, op.index), op.index)
        for idx in op.inputs:
            if is_activation(idx):
                first.setdefault(idx, op.index)
                last[idx] = max(last.get(idx, op.index), op.index)
    for idx in (*model.outputs, *keep):
        last[idx] = n_ops
    for t in model.tensors:
        if t.is_variable and t.index in first:
            first[t.index] = -1
            last[t.index] = n_ops
    return first, last


def plan_memory(model: Model, lowered: list[LoweredOp], keep: tuple[int, ...] = ()) -> MemoryPlan:
    """`keep`: extra tensors that must stay valid after the invocation (e.g. an embedding)."""
    first, last = _lifetimes(model, keep)
    groups = _Groups()
    pinned = set(model.inputs) | set(model.outputs) | set(keep)
    pinned |= {t.index for t in model.tensors if t.is_variable}
    for low in lowered:
        for out, inp in low.aliases:
            groups.union(out, inp)
    for low in lowered:
        for out, inp in low.inplace:
            # Only when the input's whole group dies at this op and neither side must survive it.
            root_in = groups.find(inp)
            group = [t for t in first if groups.find(t) == root_in]
            group_last = max(last[t] for t in group)
            # The output may itself be pinned (a model output): it then keeps the shared buffer alive.
            if group_last == low.op.index and not pinned.intersection(group):
                groups.union(out, inp)

    members: dict[int, list[int]] = {}
    for idx in first:
        members.setdefault(groups.find(idx), []).append(idx)
    buffers: list[PlannedBuffer] = []
    for root, tensors in sorted(members.items()):
        tensors.sort()
        size = max(model.tensors[t].nbytes for t in tensors)
        buffers.append(PlannedBuffer(
            key=f"t{root}", tensors=tensors, size=size,
            first=min(first[t] for t in tensors), last=max(last[t] for t in tensors),
        ))
    for low in lowered:
        if low.scratch_bytes > 0:
            buffers.append(PlannedBuffer(key=f"scratch{low.op.index}", tensors=[], size=low.scratch_bytes,
                                         first=low.op.index, last=low.op.index, scratch_op=low.op.index))

    best: dict[int, int] | None = None
    best_size = -1
    orders = [
        lambda b: (-b.size, b.first),
        lambda b: (b.first, -b.size),
        lambda b: (-(b.last - b.first), -b.size),
        lambda b: (-b.size * (b.last - b.first + 1), b.first),
    ]
    for order in orders:
        offsets = _place(sorted(range(len(buffers)), key=lambda i: order(buffers[i])), buffers)
        size = max((offsets[i] + _align(buffers[i].size) for i in range(len(buffers))), default=0)
        if best is None or size < best_size:
            best, best_size = offsets, size
    assert best is not None or not buffers
    for i, buf in enumerate(buffers):
        buf.offset = best[i] if best is not None else 0
    plan = MemoryPlan(arena_bytes=max(best_size, 0), buffers=buffers)
    for buf in buffers:
        if buf.scratch_op is not None:
            plan.scratch_offsets[buf.scratch_op] = buf.offset
        for t in buf.tensors:
            plan.tensor_offsets[t] = buf.offset
    return plan


def _place(order: list[int], buffers: list[PlannedBuffer]) -> dict[int, int]:
    """Greedy first-fit: each buffer at the lowest aligned offset clear of every live neighbour."""
    offsets: dict[int, int] = {}
    for i in order:
        buf = buffers[i]
        conflicts = sorted(
            (offsets[j], offsets[j] + _align(buffers[j].size))
            for j in offsets
            if not (buffers[j].last < buf.first or buf.last < buffers[j].first)
        )
        candidate = 0
        need = _align(buf.size)
        for start, end in conflicts:
            if candidate + need <= start:
                break
            candidate = max(candidate, end)
        offsets[i] = candidate
    return offsets
