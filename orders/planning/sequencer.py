"""Sequencing one line's day: the car-sequencing problem with paint batching, solved by a
local search compiled with Numba.

A sequence is an array of class ids (units of one class need the same stations and the
same colour, so they are interchangeable). It may start with a fixed prefix: the previous
day's last units, whose windows reach into this day.

Every cost is attributed to one position, so a move's effect is the difference of the
costs attributed to the positions around it, computed before and after the move:
- a station's window of q units starting at s, if it holds more than p units needing the
  station (counted once, as CSPLib does, or by its excess, as the ROADEF challenge does);
- a colour change at t, when unit t is painted differently from unit t - 1;
- a paint-batch overrun at t, when units t - L ... t all share one colour (a run of
  length n overruns the limit L at n - L positions).

The search is a descent that also takes moves of equal cost (walking plateaus), with swaps,
insertions and reversals, half of them aimed at a position where a cost falls. Its random
numbers come from a xorshift generator whose state is part of the search state, so a run
cut into slices (to check the clock and cancellation between them) is the same run for the
same seed, however it is sliced.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numba import njit

COUNT_WINDOWS = 0  # a violated window counts 1 (CSPLib prob001, soft version)
COUNT_EXCESS = 1  # a violated window counts its units over p (ROADEF 2005)


@njit(cache=True)
def _next_random(state):
    x = state[0]
    x ^= (x << np.uint64(13)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    x ^= x >> np.uint64(7)
    x ^= (x << np.uint64(17)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    state[0] = x
    return x


@njit(cache=True)
def _below(state, n):
    return np.int64(_next_random(state) % np.uint64(n))


@njit(cache=True)
def cost_range(
    seq, lo, hi, paint_hi, prefix, need, p, q, weight, mode, colour, w_colour, limit, w_paint
):
    """Costs attributed to positions lo..hi of seq (clipped to where costs can be); the
    paint batch term, which a move reaches `limit` places further, to lo..paint_hi."""
    n = seq.shape[0]
    total = 0
    for o in range(p.shape[0]):
        window = q[o]
        start = max(lo, prefix - window + 1, 0)
        stop = min(hi, n - window)
        if start > stop:
            continue
        load = 0
        for k in range(start, start + window):
            load += need[seq[k], o]
        for s in range(start, stop + 1):
            if s > start:
                load += need[seq[s + window - 1], o] - need[seq[s - 1], o]
            if load > p[o]:
                if mode == COUNT_WINDOWS:
                    total += weight[o]
                else:
                    total += weight[o] * (load - p[o])
    if w_colour != 0:
        for t in range(max(lo, prefix, 1), min(hi, n - 1) + 1):
            if colour[seq[t]] != colour[seq[t - 1]]:
                total += w_colour
    if limit > 0:
        first = max(lo, prefix, limit)
        last = min(paint_hi, n - 1)
        if first <= last:
            # the length of the colour run ending at `first`, then carried along
            run = 1
            while run <= limit and colour[seq[first - run]] == colour[seq[first]]:
                run += 1
            for t in range(first, last + 1):
                if t > first:
                    run = run + 1 if colour[seq[t]] == colour[seq[t - 1]] else 1
                if run > limit and colour[seq[t]] >= 0:
                    total += w_paint
    return total


@njit(cache=True)
def total_cost(seq, prefix, need, p, q, weight, mode, colour, w_colour, limit, w_paint):
    return cost_range(
        seq,
        0,
        seq.shape[0] - 1,
        seq.shape[0] - 1,
        prefix,
        need,
        p,
        q,
        weight,
        mode,
        colour,
        w_colour,
        limit,
        w_paint,
    )


@njit(cache=True)
def _reverse(seq, i, j):
    while i < j:
        seq[i], seq[j] = seq[j], seq[i]
        i += 1
        j -= 1


@njit(cache=True)
def _shift(seq, i, j):
    """Move the unit at i to j, sliding the ones between by one place."""
    moved = seq[i]
    if i < j:
        for k in range(i, j):
            seq[k] = seq[k + 1]
    else:
        for k in range(i, j, -1):
            seq[k] = seq[k - 1]
    seq[j] = moved


@njit(cache=True)
def _costly_position(
    seq, rng, prefix, need, p, q, weight, mode, colour, w_colour, limit, w_paint, tries
):
    """A free position in a violated window or at a colour cost, found by sampling."""
    n = seq.shape[0]
    free = n - prefix
    for _ in range(tries):
        t = prefix + _below(rng, free)
        if (
            cost_range(
                seq, t, t, t, prefix, need, p, q, weight, mode, colour, w_colour, limit, w_paint
            )
            > 0
        ):
            # the window starting at t is costly: pick one of its units
            span = 1
            for o in range(q.shape[0]):
                span = max(span, q[o])
            return min(n - 1, t + _below(rng, span))
    return prefix + _below(rng, free)


@njit(cache=True)
def search(
    seq,
    best,
    rng,
    iterations,
    current,
    best_cost,
    target,
    prefix,
    need,
    p,
    q,
    weight,
    mode,
    colour,
    w_colour,
    limit,
    w_paint,
    max_reach,
):
    """Run `iterations` moves from seq (whose cost is `current`); keep the best sequence
    seen in `best`. Returns (current cost, best cost, moves made)."""
    n = seq.shape[0]
    free = n - prefix
    if free < 2:
        return current, best_cost, 0
    span = 1
    for o in range(q.shape[0]):
        span = max(span, q[o])
    after_span = max(limit, 1)
    reach = min(max_reach, free - 1)
    for it in range(iterations):
        if best_cost <= target:
            return current, best_cost, it
        if _below(rng, 2) == 0:
            i = _costly_position(
                seq, rng, prefix, need, p, q, weight, mode, colour, w_colour, limit, w_paint, 8
            )
        else:
            i = prefix + _below(rng, free)
        kind = _below(rng, 4)
        if kind <= 1:
            # swap, with a near or a far partner
            if kind == 0:
                j = (
                    i + 1 + _below(rng, reach)
                    if _below(rng, 2) == 0
                    else i - 1 - _below(rng, reach)
                )
            else:
                j = prefix + _below(rng, free)
            if j < prefix or j >= n or seq[i] == seq[j]:
                continue
            a, b = min(i, j), max(i, j)
            if b - a <= span + after_span:
                before = cost_range(
                    seq,
                    a - span + 1,
                    b + 1,
                    b + after_span,
                    prefix,
                    need,
                    p,
                    q,
                    weight,
                    mode,
                    colour,
                    w_colour,
                    limit,
                    w_paint,
                )
                seq[a], seq[b] = seq[b], seq[a]
                after = cost_range(
                    seq,
                    a - span + 1,
                    b + 1,
                    b + after_span,
                    prefix,
                    need,
                    p,
                    q,
                    weight,
                    mode,
                    colour,
                    w_colour,
                    limit,
                    w_paint,
                )
            else:
                before = cost_range(
                    seq,
                    a - span + 1,
                    a + 1,
                    a + after_span,
                    prefix,
                    need,
                    p,
                    q,
                    weight,
                    mode,
                    colour,
                    w_colour,
                    limit,
                    w_paint,
                )
                before += cost_range(
                    seq,
                    b - span + 1,
                    b + 1,
                    b + after_span,
                    prefix,
                    need,
                    p,
                    q,
                    weight,
                    mode,
                    colour,
                    w_colour,
                    limit,
                    w_paint,
                )
                seq[a], seq[b] = seq[b], seq[a]
                after = cost_range(
                    seq,
                    a - span + 1,
                    a + 1,
                    a + after_span,
                    prefix,
                    need,
                    p,
                    q,
                    weight,
                    mode,
                    colour,
                    w_colour,
                    limit,
                    w_paint,
                )
                after += cost_range(
                    seq,
                    b - span + 1,
                    b + 1,
                    b + after_span,
                    prefix,
                    need,
                    p,
                    q,
                    weight,
                    mode,
                    colour,
                    w_colour,
                    limit,
                    w_paint,
                )
            delta = after - before
            if delta > 0:
                seq[a], seq[b] = seq[b], seq[a]
                continue
        else:
            j = i + 1 + _below(rng, reach) if _below(rng, 2) == 0 else i - 1 - _below(rng, reach)
            if j < prefix or j >= n:
                continue
            a, b = min(i, j), max(i, j)
            before = cost_range(
                seq,
                a - span + 1,
                b + 1,
                b + after_span,
                prefix,
                need,
                p,
                q,
                weight,
                mode,
                colour,
                w_colour,
                limit,
                w_paint,
            )
            if kind == 2:
                _shift(seq, i, j)
            else:
                _reverse(seq, a, b)
            after = cost_range(
                seq,
                a - span + 1,
                b + 1,
                b + after_span,
                prefix,
                need,
                p,
                q,
                weight,
                mode,
                colour,
                w_colour,
                limit,
                w_paint,
            )
            delta = after - before
            if delta > 0:
                if kind == 2:
                    _shift(seq, j, i)
                else:
                    _reverse(seq, a, b)
                continue
        current += delta
        if current < best_cost:
            best_cost = current
            best[:] = seq
    return current, best_cost, iterations


@njit(cache=True)
def construct(seq, prefix, counts, need, p, q, weight, colour, w_colour, limit, w_paint):
    """Fill seq[prefix:] greedily: at each place the class adding the least cost, ties
    going to the class that loads the busiest stations (the 'dynamic sum of utilisation'
    rule), then to the colour already on the line."""
    n = seq.shape[0]
    n_classes = counts.shape[0]
    n_options = p.shape[0]
    left = counts.copy()
    demand = np.zeros(n_options, np.float64)
    for c in range(n_classes):
        for o in range(n_options):
            demand[o] += left[c] * need[c, o]
    for t in range(prefix, n):
        slots = n - t
        best_c = -1
        best_cost = 0
        best_rank = 0.0
        for c in range(n_classes):
            if left[c] == 0:
                continue
            added = 0
            rank = 0.0
            for o in range(n_options):
                if need[c, o] == 0:
                    continue
                load = 1
                for k in range(max(0, t - q[o] + 1), t):
                    load += need[seq[k], o]
                if load > p[o]:
                    added += weight[o]
                rank += demand[o] * q[o] / (p[o] * slots)
            if t > 0 and colour[c] != colour[seq[t - 1]]:
                added += w_colour
                rank -= 0.5
            if limit > 0 and t >= limit and colour[c] >= 0:
                same = True
                for k in range(t - limit, t):
                    if colour[seq[k]] != colour[c]:
                        same = False
                        break
                if same:
                    added += w_paint
            if best_c < 0 or added < best_cost or (added == best_cost and rank > best_rank):
                best_c = c
                best_cost = added
                best_rank = rank
        seq[t] = best_c
        left[best_c] -= 1
        for o in range(n_options):
            demand[o] -= need[best_c, o]


@dataclass
class DayProblem:
    """One sequence to build: classes with their counts, the ratio limits and paint rules.

    Classes that appear only in the prefix have a count of 0. Weights are integers (the
    manufacturer's priorities scaled), so costs add up exactly.
    """

    need: np.ndarray  # classes x stations, 1 where the class loads the station
    counts: np.ndarray  # units of each class to place
    p: np.ndarray
    q: np.ndarray
    weight: np.ndarray  # per station: the cost of one violation
    colour: np.ndarray | None = None  # colour id per class, -1 for unpainted
    colour_change_weight: int = 0
    paint_limit: int = 0  # 0: no limit
    paint_weight: int = 0  # the cost of one unit over the paint limit
    prefix: tuple[int, ...] = ()
    mode: int = COUNT_WINDOWS

    def arrays(self):
        n_classes = self.counts.shape[0]
        colour = self.colour if self.colour is not None else np.full(n_classes, -1, np.int32)
        return (
            np.ascontiguousarray(self.need, dtype=np.int64),
            np.ascontiguousarray(self.p, dtype=np.int64),
            np.ascontiguousarray(self.q, dtype=np.int64),
            np.ascontiguousarray(self.weight, dtype=np.int64),
            np.ascontiguousarray(colour, dtype=np.int64),
        )


@dataclass
class Sequenced:
    order: np.ndarray  # class ids, prefix excluded
    cost: int
    first_cost: int  # the greedy construction's cost
    moves: int
    seconds: float
    first_seconds: float


SLICE = 20_000


def sequence(
    problem: DayProblem,
    *,
    seed: int = 1,
    moves: int = 20_000_000,
    seconds: float | None = None,
    target: int = 0,
    reach: int = 16,
    should_stop: Callable[[], bool] | None = None,
) -> Sequenced:
    """Construct greedily, then improve by local search until the cost reaches `target`,
    `moves` moves are made, `seconds` pass or should_stop() says so. For a seed and a move
    budget the result is always the same; the clock only cuts a run short."""
    started = time.perf_counter()
    need, p, q, weight, colour = problem.arrays()
    prefix = len(problem.prefix)
    n = prefix + int(problem.counts.sum())
    seq = np.zeros(n, np.int64)
    seq[:prefix] = problem.prefix
    extras = (need, p, q, weight)
    paint = (
        colour,
        int(problem.colour_change_weight),
        int(problem.paint_limit),
        int(problem.paint_weight),
    )
    construct(seq, prefix, problem.counts.astype(np.int64), *extras, *paint)
    cost = int(total_cost(seq, prefix, *extras, problem.mode, *paint))
    first_cost = cost
    first_seconds = time.perf_counter() - started
    best = seq.copy()
    best_cost = cost
    rng = np.array([np.uint64(0x9E3779B97F4A7C15) ^ np.uint64(seed * 2654435761 + 1)], np.uint64)
    made = 0
    while made < moves and best_cost > target:
        if seconds is not None and time.perf_counter() - started >= seconds:
            break
        if should_stop is not None and should_stop():
            break
        step = min(SLICE, moves - made)
        cost, best_cost, done = search(
            seq,
            best,
            rng,
            step,
            cost,
            best_cost,
            target,
            prefix,
            *extras,
            problem.mode,
            *paint,
            reach,
        )
        made += done
        if done < step:
            break
    return Sequenced(
        order=best[prefix:].copy(),
        cost=int(best_cost),
        first_cost=first_cost,
        moves=made,
        seconds=time.perf_counter() - started,
        first_seconds=first_seconds,
    )
