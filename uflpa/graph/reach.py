"""Which nodes the risk reaches, along which edges, by how many steps: a bounded multi-source BFS.

Goods flow along `supplies` edges from supplier to buyer, so a risk node taints everything
downstream of it. Rather than search upstream from each of a million nodes, one breadth-first
search starts from *all* risk nodes at once and walks the edges forward, level by level, over a
CSR adjacency in numpy arrays. Each node keeps up to `k + 1` *labels* (a risk node that reached it,
the number of steps, and the neighbour it came from) and forwards each label once, so the work is
at most `k` times the number of edges, cycles end on their own (a node never takes the same
label twice), and paths come back by following the neighbours.

Guarantees (by induction along a shortest path; the extra slot is what makes them hold for risk
nodes too, whose own label may come back to them): a node gets a label of a risk node other than
itself exactly when one reaches it, and its first such label is at the exact shortest distance
(a node that is full forwards its own labels, which are at least as near). Later labels are
other risk nodes, nearest first as found; with many risk nodes upstream, a node may not get the
`k` globally nearest ones. Each label's path is simple (a node holds a label at most once).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from uflpa.graph.model import IntArray

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Adjacency:
    """CSR: the out-neighbours of node `u` are `indices[indptr[u]:indptr[u + 1]]`."""

    indptr: npt.NDArray[np.int64]
    indices: IntArray

    @classmethod
    def build(cls, n: int, source: IntArray, target: IntArray) -> Adjacency:
        order = np.argsort(source, kind="stable")
        counts = np.bincount(source, minlength=n)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        return cls(indptr=indptr, indices=target[order].astype(np.int32))


@dataclass(frozen=True, slots=True)
class Reach:
    """Labels per node, `slots` wide: `src[v, i]` is a risk node that reaches `v` (-1: empty
    slot) in `dist[v, i]` steps, coming from `pred[v, i]` (-1 at the risk node itself)."""

    src: IntArray
    dist: IntArray
    pred: IntArray
    count: npt.NDArray[np.int16]

    def reached(self) -> BoolArray:
        return self.count > 0

    def path(self, v: int, slot: int) -> list[int]:
        """Node indexes from `v` back to the risk node of its label `slot`."""
        s = int(self.src[v, slot])
        out = [v]
        node, at = v, slot
        while True:
            p = int(self.pred[node, at])
            if p < 0:
                return out
            node = p
            at = int(np.flatnonzero(self.src[node] == s)[0])
            out.append(node)

    def paths(self, nodes: IntArray, slots: IntArray) -> tuple[npt.NDArray[np.int64], IntArray]:
        """The paths of many labels at once, as CSR: path `i` is
        `flat[offsets[i]:offsets[i + 1]]`, from the node back to its risk node."""
        cur = nodes.astype(np.int32)
        at = slots.astype(np.int32)
        s = self.src[cur, at]
        lengths = self.dist[cur, at].astype(np.int64) + 1
        offsets = np.zeros(len(cur) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        flat = np.empty(int(offsets[-1]), dtype=np.int32)
        label = np.arange(len(cur))
        flat[offsets[:-1]] = cur
        step = 0
        while len(label):
            p = self.pred[cur, at]
            keep = p >= 0
            label, cur, s = label[keep], p[keep], s[keep]
            step += 1
            if not len(label):
                break
            at = np.argmax(self.src[cur] == s[:, None], axis=1).astype(np.int32)
            flat[offsets[label] + step] = cur
        return offsets, flat


def spread(adjacency: Adjacency, seeds: IntArray, k: int) -> Reach:
    """Labels of every node reached from `seeds` along the edges: `k + 1` slots per node, at
    least `k` of them for risk nodes other than the node itself (a seed keeps its own label in
    slot 0, at distance 0)."""
    n = len(adjacency.indptr) - 1
    width = k + 1
    src = np.full((n, width), -1, dtype=np.int32)
    dist = np.full((n, width), -1, dtype=np.int32)
    pred = np.full((n, width), -1, dtype=np.int32)
    count = np.zeros(n, dtype=np.int16)
    # Every node has room for k + 1 labels, seeds included (their own label takes one): a label
    # that comes back to its own risk node is useless there, so a node in between holding only
    # k labels could starve a risk node of the others upstream of it.
    cap = np.full(n, width, dtype=np.int16)
    seeds = np.unique(seeds.astype(np.int32))
    src[seeds, 0] = seeds
    dist[seeds, 0] = 0
    count[seeds] = 1
    f_node, f_src = seeds, seeds
    level = 0
    indptr, indices = adjacency.indptr, adjacency.indices
    while len(f_node):
        level += 1
        starts = indptr[f_node]
        degree = indptr[f_node + 1] - starts
        total = int(degree.sum())
        if total == 0:
            break
        owner = np.repeat(np.arange(len(f_node)), degree)
        first = np.cumsum(degree) - degree
        pos = starts[owner] + (np.arange(total) - first[owner])
        v = indices[pos]
        s = f_src[owner]
        p = f_node[owner]
        # Drop full nodes and labels a node already has.
        open_ = count[v] < cap[v]
        v, s, p = v[open_], s[open_], p[open_]
        if len(v):
            has = (src[v] == s[:, None]).any(axis=1)
            v, s, p = v[~has], s[~has], p[~has]
        if not len(v):
            break
        # One candidate per (node, risk node): the first found; ordered by node, then risk node.
        key = v.astype(np.int64) * n + s
        key, first_at = np.unique(key, return_index=True)
        v, s, p = v[first_at], s[first_at], p[first_at]
        # Rank within each node; take as many as the node has room for.
        group_start = np.flatnonzero(np.r_[True, v[1:] != v[:-1]])
        group_len = np.diff(np.r_[group_start, len(v)])
        rank = np.arange(len(v)) - np.repeat(group_start, group_len)
        room = (cap[v] - count[v]).astype(np.int64)
        take = rank < room
        v, s, p, rank = v[take], s[take], p[take], rank[take]
        slot = count[v].astype(np.int64) + rank
        src[v, slot] = s
        dist[v, slot] = level
        pred[v, slot] = p
        touched, added = np.unique(v, return_counts=True)
        count[touched] += added.astype(np.int16)
        f_node, f_src = v, s
    return Reach(src=src, dist=dist, pred=pred, count=count)
