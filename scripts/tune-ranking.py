#!/usr/bin/env python3
"""Sweeps search's ranking weights over a dump of the manual-page relevance benchmark.

    PARLEY_RELEVANCE_DUMP=target/relevance-dump.jsonl scripts/bench-relevance.sh --manpages
    scripts/tune-ranking.py target/relevance-dump.jsonl

The dump holds, per query, the semantic and keyword rankings the service returned and the exact
distances of every thread's thread vector and best passage. This script recomputes the rankings that
other weights would give (same metrics as RankingMetrics.java) so that one benchmark run tunes them.
Against overfitting, the queries are split in two halves by position (odd and even lines): weights are
chosen on one half and reported on the other, and the choice is kept only if both halves agree.
"""
import json
import math
import sys
from collections import defaultdict

CLASSES = ["known-item", "reworded", "identifier"]


def metrics(ranked, grades):
    relevant = sum(1 for g in grades.values() if g > 0)
    found = sum(1 for k in ranked[:5] if grades.get(k, 0) > 0)
    recall = found / min(5, relevant)
    rr = 0.0
    dcg = 0.0
    for i, k in enumerate(ranked[:10]):
        g = grades.get(k, 0)
        if g > 0 and rr == 0:
            rr = 1.0 / (i + 1)
        dcg += (2 ** g - 1) / math.log2(i + 2)
    ideal = sorted(grades.values(), reverse=True)[:10]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return recall, rr, dcg / idcg


def table(queries, rank):
    sums = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    for q in queries:
        r = metrics(rank(q), q["grades"])
        s = sums[q["class"]]
        for i in range(3):
            s[i] += r[i]
        s[3] += 1
    return {c: tuple(v / sums[c][3] for v in sums[c][:3]) for c in CLASSES if sums[c][3]}


def semantic(alpha):
    def rank(q):
        rows = [(k, 1 - (alpha * (t if t is not None else p) + (1 - alpha) * p)) for k, p, t in q["exact"]]
        rows.sort(key=lambda r: (-r[1], r[0]))
        return [k for k, _ in rows[:10]]
    return rank


# Threads of each mode that hybrid search fuses (SearchService.HYBRID_LIST_DEPTH); the dump holds as many.
# A shallower list raises the semantic score a keyword-only thread is given (the list's lowest) and
# so overrates the keyword side: at depth 20 this script put MiniLM's identifier queries at 0.894
# recall@5 at keyword-weight 0.1 where the service, fusing 100, served 0.855.
DEPTH = 100


def convex(weight, depth=DEPTH):
    """Convex combination of scores (Bruch et al. 2023): both are on a fixed 0..1 scale already."""
    def rank(q):
        sem = dict((k, s) for k, s in q["semantic"][:depth])
        kw = dict((k, s) for k, s in q["keyword"][:depth])
        floor = min(sem.values()) if sem else 0.0
        keys = set(sem) | set(kw)
        scored = [(k, (sem.get(k, floor)) + weight * kw.get(k, 0.0)) for k in keys]
        scored.sort(key=lambda r: (-r[1], r[0]))
        return [k for k, _ in scored[:10]]
    return rank


def rrf(weight, k=60, depth=DEPTH):
    """Weighted reciprocal rank fusion (Cormack et al. 2009, with a weight per list)."""
    def rank(q):
        scores = defaultdict(float)
        for i, (key, _) in enumerate(q["semantic"][:depth]):
            scores[key] += 1.0 / (k + i + 1)
        for i, (key, _) in enumerate(q["keyword"][:depth]):
            scores[key] += weight / (k + i + 1)
        scored = sorted(scores.items(), key=lambda r: (-r[1], r[0]))
        return [key for key, _ in scored[:10]]
    return rank


def listed(mode):
    return lambda q: [k for k, _ in q[mode][:10]]


def show(name, result):
    cells = " | ".join("%.3f/%.3f" % (result[c][0], result[c][1]) for c in CLASSES if c in result)
    print("| %s | %s |" % (name, cells))


def main(path):
    queries = [json.loads(line) for line in open(path)]
    halves = [queries[0::2], queries[1::2]]
    print("recall@5/MRR@10 per class: " + ", ".join(CLASSES))
    for part, qs in (("all", queries), ("half A", halves[0]), ("half B", halves[1])):
        print("\n### %s (%d queries)\n" % (part, len(qs)))
        print("| ranking | " + " | ".join(CLASSES) + " |")
        print("|---|" + "---|" * len(CLASSES))
        show("semantic as served", table(qs, listed("semantic")))
        show("keyword as served", table(qs, listed("keyword")))
        for alpha in [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0]:
            show("semantic thread-weight %.1f" % alpha, table(qs, semantic(alpha)))
        for w in [0.05, 0.1, 0.125, 0.15, 0.175, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0, 1.5]:
            show("convex keyword-weight %g" % w, table(qs, convex(w)))
        for w in [0.3, 0.5, 1.0, 2.0]:
            show("RRF k=60 keyword-weight %g" % w, table(qs, rrf(w)))


if __name__ == "__main__":
    main(sys.argv[1])
