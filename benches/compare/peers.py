#!/usr/bin/env python3
"""Runners for the peer comparison (see run.sh), one query per process.

Each runner loads one corpus, answers one single-source earliest-arrival
query over the whole span from `--source` starting at `--t0`, prints one JSON
line {"tool", "load_s", "query_s", "reached"} and writes `node<TAB>earliest`
lines (sorted) to `--out`. Peak memory is measured outside, by /usr/bin/time.

    peers.py tglib      FILE --variant onepass|incident --strict 0|1 ...
    peers.py raphtory   FILE --algo reachable|seir ...
    peers.py reticula   FILE ...
    peers.py reference  FILE --strict 0|1 ...    (plain Python, per-second closure)
    peers.py table      RESULTS.jsonl            (prints the table)

Modes: non-strict (a hop may leave in the second its sender got the
information: same-second relay chains count) and strict (each hop at least
one second later). TGLib: traversal time 0 is non-strict, 1 is strict (its
arrival is then t + 1, reported here as t). Raphtory's
temporally_reachable_nodes is non-strict; its SEIR model with infection
probability 1 (active one step after infection) and Reticula's out-cluster are
strict.
"""

import argparse
import csv
import json
import sys
import time


def write_out(path, pairs):
    with open(path, "w") as f:
        for node, t in sorted(pairs, key=lambda p: p[0]):
            f.write(f"{node}\t{t}\n")


def emit(tool, load, query, reached, extra=None):
    rec = {"tool": tool, "load_s": round(load, 4), "query_s": round(query, 5), "reached": reached}
    rec.update(extra or {})
    print(json.dumps(rec))
    sys.stdout.flush()


def peak_mb():
    """Peak resident memory of this process so far (VmHWM), in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_tglib(a):
    import tglib

    t = time.perf_counter()
    g = tglib.load_ordered_edge_list(a.file)
    if a.variant == "incident":
        g = tglib.to_incident_lists(g)
    load = time.perf_counter() - t
    # TGLib numbers nodes by first appearance; gen_corpus numbers them the
    # same way, so its numbers are the file's.
    t = time.perf_counter()
    arr = tglib.earliest_arrival_times(g, a.source, (a.t0, 2**62))
    query = time.perf_counter() - t
    peak = peak_mb()
    inf = 2**63 - 1
    shift = 1 if a.strict else 0  # arrival is t + traversal time
    pairs = [(i, v - shift if i != a.source else a.t0) for i, v in enumerate(arr) if v != inf]
    write_out(a.out, pairs)
    emit(f"tglib-{a.variant}", load, query, len(pairs), {"peak_mb": peak})


def run_raphtory(a):
    import raphtory
    import raphtory.algorithms as alg

    t = time.perf_counter()
    g = raphtory.Graph()
    g.load_edges(data=a.file, time="time", src="from", dst="to")
    load = time.perf_counter() - t
    pairs = []
    t = time.perf_counter()
    if a.algo == "reachable":
        r = alg.temporally_reachable_nodes(g, max_hops=1 << 30, start_time=a.t0, seed_nodes=[a.source])
        query = time.perf_counter() - t
        peak = peak_mb()
        for node, v in r.items():
            times = [h["0"] for h in v["reachable_nodes"]]
            if times:
                pairs.append((int(node.name), a.t0 if int(node.name) == a.source else min(times)))
    else:
        r = alg.temporal_SEIR(
            g,
            seeds=[a.source],
            infection_prob=1.0,
            initial_infection=a.t0,
            recovery_rate=None,
            incubation_rate=None,
            rng_seed=1,
        )
        query = time.perf_counter() - t
        peak = peak_mb()
        for node, v in r.items():
            pairs.append((int(node.name), v["infected"]))
    write_out(a.out, pairs)
    emit(f"raphtory-{a.algo}", load, query, len(pairs), {"peak_mb": peak})


def read_rows(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        next(r)
        return [(int(u), int(v), int(t)) for u, v, t in r]


def run_reticula(a):
    import reticula as rt

    t = time.perf_counter()
    E = rt.directed_temporal_edge[rt.int64, rt.int64]
    net = rt.directed_temporal_network[rt.int64, rt.int64]([E(u, v, ts) for u, v, ts in read_rows(a.file)])
    load = time.perf_counter() - t
    t = time.perf_counter()
    adj = rt.temporal_adjacency.simple[E]()
    c = rt.out_cluster(net, adj, a.source, a.t0)
    query = time.perf_counter() - t
    peak = peak_mb()
    pairs = []
    for v, iv in c.interval_sets().items():
        spans = list(iv)
        if spans:
            pairs.append((v, a.t0 if v == a.source else min(s[0] for s in spans)))
    write_out(a.out, pairs)
    emit("reticula", load, query, len(pairs), {"peak_mb": peak})


def run_reference(a):
    """Obviously correct: seconds in order; inside a second, sweep its rows
    until nothing changes. Strict: the sender must have held it before this
    second (arrivals set in this second equal it, so `<` excludes them)."""
    t = time.perf_counter()
    rows = read_rows(a.file)
    rows.sort(key=lambda r: r[2])
    load = time.perf_counter() - t
    t = time.perf_counter()
    arr = {a.source: a.t0}
    i, n = 0, len(rows)
    while i < n:
        ts = rows[i][2]
        j = i
        while j < n and rows[j][2] == ts:
            j += 1
        if ts >= a.t0:
            while True:
                changed = False
                for u, v, _ in rows[i:j]:
                    s = arr.get(u)
                    if s is not None and (s < ts if a.strict else s <= ts) and v not in arr:
                        arr[v] = ts
                        changed = True
                if not changed or a.strict:
                    break
        i = j
    query = time.perf_counter() - t
    peak = peak_mb()
    write_out(a.out, arr.items())
    emit("python-reference", load, query, len(arr), {"peak_mb": peak})


def table(a):
    recs = [json.loads(l) for l in open(a.results) if l.strip()]
    head = ["events", "family", "mode", "tool", "load s", "query s", "peak MB", "reached", "agrees with grapevine", "query ratio", "load ratio"]
    rows = []
    for r in recs:
        fam = r.get("family", "uniform")
        g = next(
            (x for x in recs if x["tool"] == "grapevine" and x["events"] == r["events"] and x.get("family", "uniform") == fam
             and x["mode"] == r["mode"] and x.get("ids", "int") == "int"),
            None,
        )
        qr = lr = ""
        if g and r["tool"] != "grapevine" and g["query_s"] > 0 and g["load_s"] > 0:
            qr = f"{r['query_s'] / g['query_s']:.1f}x"
            lr = f"{r['load_s'] / g['load_s']:.1f}x"
        tool = r["tool"] + (" (e-mail ids)" if r.get("ids") == "email" else "")
        rows.append([
            f"{r['events']:.0e}".replace("+0", ""),
            fam,
            r["mode"],
            tool,
            f"{r['load_s']:.2f}",
            f"{r['query_s']:.4f}",
            f"{r.get('peak_mb', 0):.0f}",
            str(r["reached"]),
            r.get("agree", ""),
            qr,
            lr,
        ])
    print_table(head, rows)
    print("\nquery ratio / load ratio: the peer's time divided by grapevine's (same events, family and mode, integer ids).")
    whole = [r for r in recs if "answer_s" in r]
    if whole:
        print("\nThe whole answer: `answer s` computes paths, definite times and evidence for every reached entity")
        print("(`reach_rows`); `reach --json` runs the command end to end (load, answer, pretty JSON written to a file; the fastest of three).\n")
        head = ["events", "family", "mode", "load s", "query s", "answer s", "reach --json s", "JSON MB", "peak MB"]
        rows = [[
            f"{r['events']:.0e}".replace("+0", ""),
            r.get("family", "uniform"),
            r["mode"],
            f"{r['load_s']:.2f}",
            f"{r['query_s']:.4f}",
            f"{r['answer_s']:.3f}",
            f"{r['json_s']:.2f}" if "json_s" in r else "",
            f"{r['json_mb']:.0f}" if "json_mb" in r else "",
            f"{r['json_peak_mb']:.0f}" if r.get("json_peak_mb") else "",
        ] for r in whole]
        print_table(head, rows)


def print_table(head, rows):
    widths = [max(len(h), *(len(x[i]) for x in rows)) for i, h in enumerate(head)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"
    print(line(head))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for x in rows:
        print(line(x))


def agree(a):
    """Compares two `node<TAB>time` files: prints 'yes' or what differs."""
    def load(p):
        d = {}
        for l in open(p):
            k, v = l.rstrip("\n").split("\t")
            d[k] = int(v)
        return d

    ref, other = load(a.reference), load(a.other)
    missing = sorted(set(ref) - set(other))
    extra = sorted(set(other) - set(ref))
    diff = sorted(k for k in set(ref) & set(other) if ref[k] != other[k])
    if not missing and not extra and not diff:
        print("yes")
        return
    parts = []
    if missing:
        parts.append(f"{len(missing)} not reached (e.g. {missing[0]})")
    if extra:
        parts.append(f"{len(extra)} extra (e.g. {extra[0]})")
    if diff:
        parts.append(f"{len(diff)} other times (e.g. {diff[0]}: {ref[diff[0]]} vs {other[diff[0]]})")
    print("no: " + "; ".join(parts))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("tglib", "raphtory", "reticula", "reference"):
        s = sub.add_parser(name)
        s.add_argument("file")
        s.add_argument("--source", type=int, default=0)
        s.add_argument("--t0", type=int, required=True)
        s.add_argument("--out", required=True)
        s.add_argument("--strict", type=int, default=0)
        s.add_argument("--variant", default="onepass")
        s.add_argument("--algo", default="reachable")
    s = sub.add_parser("table")
    s.add_argument("results")
    s = sub.add_parser("agree")
    s.add_argument("reference")
    s.add_argument("other")
    a = p.parse_args()
    {"tglib": run_tglib, "raphtory": run_raphtory, "reticula": run_reticula, "reference": run_reference, "table": table, "agree": agree}[a.cmd](a)


if __name__ == "__main__":
    main()
