#!/usr/bin/env python3
"""Runs grapevine and its peers on generated corpora, one process per query,
and prints one table (see run.sh for the setup and README of the numbers).

    run.py --sizes 1e6 1e7 --families uniform mail --peers-at 1e6 --py312 PY --py310 PY --work DIR

Families (benches/support/gen.rs): `uniform`, the smooth one, asked from
entity 0; `mail`, with mailing-list blasts, same-second relays and bursty
times, asked from its busiest sender. On each, grapevine's own row also times
the whole answer (paths, definite times, evidence: `answer s`) and the full
`grapevine reach --json` command end to end (`reach --json s`, its peak
memory and output size).
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PEERS = os.path.join(HERE, "peers.py")
GEN = os.path.join(ROOT, "target", "release", "examples", "gen_corpus")
QUERY = os.path.join(ROOT, "target", "release", "examples", "corpus_query")
CLI = os.path.join(ROOT, "target", "release", "grapevine")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, timeout):
    t = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout} s"
    if p.returncode != 0:
        return None, (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1][:300]
    log(f"    {time.perf_counter() - t:.1f} s: {' '.join(os.path.basename(c) for c in cmd[:3])} ...")
    return p.stdout, None


def grapevine(args, path, out, strict, t0, repeat, whole=False):
    cmd = [QUERY, path, "--from", args.source_name, "--t0", str(t0), "--repeat", str(repeat), "--out", out]
    if strict:
        cmd.append("--strict")
    if whole:
        cmd.append("--rows-only")
    stdout, err = run(cmd, args.timeout)
    if err:
        return {"error": err}
    kv = dict(x.split("=", 1) for x in stdout.split())
    r = {
        "load_s": float(kv["load_s"]) + float(kv["index_s"]),
        "floor_s": float(kv["floor_s"]),
        "query_s": float(kv["query_s"]),
        "reached": int(kv["reached"]),
        "peak_mb": int(kv["peak_rss_kib"]) / 1024,
        "bytes_per_event": int(kv["index_bytes"]) / int(kv["rows"]),
    }
    if whole:
        r["answer_s"] = float(kv["reach_rows_s"])
    return r


def reach_json(args, path, source, strict):
    """`grapevine reach FILE --from SOURCE --json > FILE.json` end to end: wall
    time (the fastest of `args.json_runs`), peak memory (from /usr/bin/time,
    else none) and bytes written. The answer goes to a file in the work
    directory, as a user's `> answer.json` does (a pipe into this script
    would time Python's reading on the same two cores), and is removed.
    Every run writes a new file: ext4 (`auto_da_alloc`) starts writing back
    a file that was cut to nothing and written again when it is closed,
    which added about 0.11 s to each overwrite of a 280 MB answer, a cost of
    the file system and not of grapevine."""
    cmd = [CLI, "reach", path, "--from", source, "--json"] + (["--strict"] if strict else [])
    timed = ["/usr/bin/time", "-f", "%M"] + cmd if os.path.exists("/usr/bin/time") else cmd
    out_path = os.path.join(args.work, "reach-answer.json")
    best, peak, size = None, 0.0, 0
    for _ in range(max(1, args.json_runs)):
        if os.path.exists(out_path):
            os.remove(out_path)
        t = time.perf_counter()
        try:
            with open(out_path, "wb") as out:
                p = subprocess.run(timed, stdout=out, stderr=subprocess.PIPE, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"reach --json timed out after {args.timeout} s"}
        wall = time.perf_counter() - t
        if p.returncode != 0:
            return {"error": "reach --json: " + p.stderr.decode(errors="replace").strip()[-300:]}
        if timed is not cmd:
            last = p.stderr.decode(errors="replace").strip().splitlines()[-1:]
            if last and last[0].isdigit():
                peak = max(peak, int(last[0]) / 1024)
        size = os.path.getsize(out_path)
        best = wall if best is None else min(best, wall)
    os.remove(out_path)
    log(f"    {best:.2f} s: grapevine reach --json ({size / 1e6:.0f} MB written, fastest of {max(1, args.json_runs)})")
    return {"json_s": best, "json_mb": size / 1e6, "json_peak_mb": peak}


def peer(py, args, tool, path, out, t0, extra):
    cmd = [py, PEERS, tool, path, "--source", str(args.source_id), "--t0", str(t0), "--out", out] + extra
    stdout, err = run(cmd, args.timeout)
    if err:
        return {"error": err}
    return json.loads(stdout.strip().splitlines()[-1])


def agree(reference, other):
    p = subprocess.run([sys.executable, PEERS, "agree", reference, other], capture_output=True, text=True)
    return p.stdout.strip() or p.stderr.strip()[-200:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", nargs="+", default=["1e6", "1e7"])
    ap.add_argument("--families", nargs="+", default=["uniform", "mail"])
    ap.add_argument("--peers-at", nargs="*", default=["1e6"])
    ap.add_argument("--py312", default="")
    ap.add_argument("--py310", default="")
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "compare"))
    ap.add_argument("--timeout", type=int, default=3600)
    ap.add_argument("--notes", default="")
    ap.add_argument("--json-runs", type=int, default=3, help="runs of reach --json; the fastest counts")
    args = ap.parse_args()
    args.source_name = "0"
    data = os.path.join(args.work, "data")
    outd = os.path.join(args.work, "out")
    os.makedirs(data, exist_ok=True)
    os.makedirs(outd, exist_ok=True)
    results = []
    notes = [n for n in args.notes.split("\n") if n.strip()]

    family = "uniform"

    def record(events, mode, tool, r, ref_out=None, out=None, ids="int"):
        rec = {"events": events, "family": family, "mode": mode, "tool": tool, "ids": ids}
        if "error" in r:
            notes.append(f"{tool} at {events:.0e}, {family} ({mode}): {r['error']}")
            return
        rec.update({k: r[k] for k in ("load_s", "floor_s", "query_s", "reached", "answer_s", "json_s", "json_mb", "json_peak_mb") if k in r})
        rec["peak_mb"] = r.get("peak_mb", 0)
        if ref_out and out:
            rec["agree"] = agree(ref_out, out)
        results.append(rec)
        log(f"  {tool:24} {family:8} {mode:10} load {rec['load_s']:.3f} s, query {rec['query_s']:.5f} s, "
            f"{rec['peak_mb']:.0f} MB, reached {rec['reached']}" + (f", agrees: {rec['agree']}" if "agree" in rec else ""))

    for family, size in [(f, s) for s in args.sizes for f in args.families]:
        n = int(float(size))
        base = os.path.join(data, f"{family[0] if family == 'mail' else 'c'}{size}")
        files = {
            "int": base + ".int.csv",
            "email": base + ".email.csv",
            "shuffled": base + ".shuffled.csv",
            "tglib0": base + ".tglib0.txt",
            "tglib1": base + ".tglib1.txt",
        }
        gens = {
            "int": ["--ids", "int"],
            "email": ["--ids", "email"],
            "shuffled": ["--ids", "int", "--shuffle-within-second"],
            "tglib0": ["--ids", "int", "--tglib"],
            "tglib1": ["--ids", "int", "--tglib-strict"],
        }
        for k, f in files.items():
            if not os.path.exists(f):
                p = subprocess.run([GEN, str(n), f, "--family", family] + gens[k], check=True, capture_output=True, text=True)
                if k == "int":
                    with open(base + ".source", "w") as src:
                        src.write(p.stderr.strip().rsplit(" ", 1)[-1])
        # The source: entity 0 of the uniform family, the busiest sender of
        # the mail family (hubs there are not the small ids).
        if family == "mail":
            if not os.path.exists(base + ".source"):
                p = subprocess.run([GEN, str(n), os.devnull, "--family", family], check=True, capture_output=True, text=True)
                with open(base + ".source", "w") as src:
                    src.write(p.stderr.strip().rsplit(" ", 1)[-1])
            args.source_id = int(open(base + ".source").read().strip())
        else:
            args.source_id = 0
        args.source_name = str(args.source_id)
        with open(files["int"]) as f:
            f.readline()
            t0 = int(f.readline().strip().split(",")[2]) - 1
        log(f"{size} {family}: {n} events, start {t0}, source {args.source_id}")
        o = lambda name: os.path.join(outd, f"{family}-{size}-{name}.tsv")
        for mode, strict in (("non-strict", False), ("strict", True)):
            ref = o(f"grapevine-{mode}")
            g = grapevine(args, files["int"], ref, strict, t0, 5, whole=True)
            if "error" not in g:
                g.update(reach_json(args, files["int"], args.source_name, strict))
            record(n, mode, "grapevine", g)
            g = grapevine(args, files["shuffled"], o(f"grapevine-shuffled-{mode}"), strict, t0, 5)
            record(n, mode, "grapevine (rows shuffled within seconds)", g, ref, o(f"grapevine-shuffled-{mode}"))
            if mode == "non-strict":
                args.source_name = f"u{args.source_id}@corp.example"
                g = grapevine(args, files["email"], o("grapevine-email"), strict, t0, 3)
                args.source_name = str(args.source_id)
                if "error" not in g:
                    # Same answers under other names: compare after renaming.
                    renamed = o("grapevine-email-renamed")
                    with open(o("grapevine-email")) as src, open(renamed, "w") as dst:
                        for line in sorted(
                            (l.split("\t")[0][1:].split("@")[0] + "\t" + l.split("\t")[1]) for l in src
                        ):
                            dst.write(line)
                    record(n, mode, "grapevine", g, ref, renamed, ids="email")
            if args.py310:
                tg = files["tglib1" if strict else "tglib0"]
                for variant in ("onepass", "incident"):
                    out = o(f"tglib-{variant}-{mode}")
                    r = peer(args.py310, args, "tglib", tg, out, t0, ["--variant", variant, "--strict", str(int(strict))])
                    record(n, mode, f"tglib-{variant}", r, ref, out)
            # The plain-Python per-second reference checks the answers up to
            # 10^6 always; the slow peers run where --peers-at asks.
            if size in args.peers_at or n <= 1_000_000:
                out = o(f"reference-{mode}")
                r = peer(sys.executable, args, "reference", files["int"], out, t0, ["--strict", str(int(strict))])
                record(n, mode, "python-reference", r, ref, out)
            if size in args.peers_at:
                if args.py312:
                    if strict:
                        for tool, extra in (("raphtory", ["--algo", "seir"]), ("reticula", [])):
                            out = o(f"{tool}-{mode}")
                            r = peer(args.py312, args, tool, files["int"], out, t0, extra)
                            record(n, mode, r.get("tool", tool), r, ref, out)
                    else:
                        out = o(f"raphtory-reachable-{mode}")
                        r = peer(args.py312, args, "raphtory", files["int"], out, t0, ["--algo", "reachable"])
                        record(n, mode, "raphtory-reachable", r, ref, out)
    res = os.path.join(args.work, "results.jsonl")
    with open(res, "w") as f:
        for r in results:
            f.write(json.dumps(r) + "\n")
    subprocess.run([sys.executable, PEERS, "table", res])
    if notes:
        print("\nNotes:")
        for n in notes:
            print(f"- {n}")


if __name__ == "__main__":
    main()
