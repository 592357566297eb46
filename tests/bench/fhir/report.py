#!/usr/bin/env python3
"""Prints the FHIR create benchmark's results (results.jsonl) as one markdown
table with the machine and the targets of issue 16, for BENCHMARKS.md.
Usage: report.py RESULTS ROOT BUILD PEER_NAME [--smoke]"""
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from machine import describe, load_average  # noqa: E402


def machine(root, build, load_before):
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{describe(root, build)}, Node {node}; load average "
            f"{load_before.replace(' ', ' / ')} before, {load_average()} at the end")


def statuses(load):
    text = " ".join(f"{k}={v}" for k, v in sorted(load.get("statuses", {}).items())) or "-"
    lost = " ".join(f"{k}={v}" for k, v in sorted(load.get("failures", {}).items()))
    return text + (f", failed {lost}" if lost else "")


def errors(load):
    if not load:
        return "**no result**"
    count = load.get("errors", 0)
    extra = []
    if load.get("no_location"):
        extra.append(f"{load['no_location']} without Location")
    if load.get("connects", load.get("connections")) != load.get("connections"):
        extra.append(f"{load['connects']} connects")
    text = str(count) + (f" ({', '.join(extra)})" if extra else "")
    return f"**WRONG**: {text}" if load.get("wrong") else text


def generator(load):
    """The generator's CPU share and, in the open loop, its latest send (part of the latency)."""
    text = "%.0f %%" % load.get("generator_cpu_percent", 0)
    if load.get("mode") == "open":
        text += ", sends ≤ %.0f ms late" % load.get("generator_worst_lag_ms", 0)
    return text


def row(cells):
    return "| " + " | ".join(str(c) for c in cells) + " |"


def main():
    results = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    root, build, peer_name = sys.argv[2], sys.argv[3], sys.argv[4]
    smoke = "--smoke" in sys.argv
    first = results[0] if results and results[0]["kind"] == "machine" else {}
    print(f"\nMachine: {machine(root, build, first.get('load_before', '?'))}\n")
    print(row(["round", "server", "conn.", "mode", "sent", "201", "creates/s", "p50 ms", "p90 ms",
               "p99 ms", "max ms", "statuses", "errors", "generator", "delivered to the board"]))
    print("|--:|---|--:|---|--:|--:|--:|--:|--:|--:|--:|---|---|--:|---|")
    drains = {(r["kind"][:-len("-drain")], r["round"]): r for r in results if r["kind"].endswith("-drain")}
    samples = {k: [] for k in ("ours", "peer", "ours_p99", "peer_p99", "transactions")}
    rate = 0
    for r in results:
        if r["kind"] not in ("closed", "intake-only", "open", "peer-closed", "peer-open",
                             "transaction"):
            continue
        load = r.get("load", {})
        ours = not r["kind"].startswith("peer")
        intake_only = r["kind"] == "intake-only"
        mode = f"open loop {load.get('rate', 0):g}/s" if load.get("mode") == "open" else "closed loop"
        if r["kind"] == "transaction":
            mode += ", transactions of 4 entries (sent, 201 and /s count transactions)"
        drain = drains.get((r["kind"], r["round"]))
        delivered = (f"{drain['delivered']:,} ({drain['drain_seconds']} s after)" if drain
                     else "n/a (no workers)" if intake_only else "n/a (stores nothing)")
        server = "rtw-gateway, intake only" if intake_only else "rtw-gateway" if ours else peer_name
        print(row([r["round"] if not smoke else "smoke", server,
                   load.get("connections"), mode, load.get("sent"), load.get("created"),
                   "%.0f" % load.get("creates_per_s", 0), "%.2f" % load.get("p50_ms", 0),
                   "%.2f" % load.get("p90_ms", 0), "%.2f" % load.get("p99_ms", 0),
                   "%.1f" % load.get("max_ms", 0), statuses(load), errors(load),
                   generator(load), delivered]))
        if load.get("wrong") or not load or intake_only:
            continue
        if r["kind"] == "transaction":
            samples["transactions"].append(load.get("creates_per_s", 0))
        elif load.get("mode") == "closed":
            samples["ours" if ours else "peer"].append(load.get("creates_per_s", 0))
        else:
            samples["ours_p99" if ours else "peer_p99"].append(load.get("p99_ms", 0))
            rate = load.get("rate", 0)
    for r in results:
        if r["kind"] == "fdatasync":
            p = r["probe"]
            print(f"\nfdatasync on the journals' filesystem ({first.get('fstype', '?')}): "
                  f"**{p['fdatasync_per_s']:,} /s** (median second).")
    if smoke:
        print("\n(smoke run: counts checked, figures not comparable)")
        return

    def median(key):
        return statistics.median(samples[key]) if samples[key] else None

    def runs(key, fmt):
        return ", ".join(fmt % v for v in samples[key])

    print("\nTargets (issue 16), each judged on the median of every run of its row (the first "
          "pass and the interleaved rounds):\n")
    ours, peer = median("ours"), median("peer")
    if ours is not None and peer:
        ratio = ours / peer
        pairs = ", ".join(f"{o / p:.2f}×" for o, p in zip(samples["ours"], samples["peer"]) if p)
        print(f"- ≥ 3× the peer ({peer_name} validateResource, stores nothing) with 16 connections: "
              f"{ours:.0f} vs {peer:.0f} creates/s = {ratio:.2f}× (run by run: {pairs}) — "
              f"**{'met' if ratio >= 3 else 'NOT met'}**")
    else:
        print("- ≥ 3× the peer: not measured")
    checks = [("≥ 3,000 creates/s with 16 connections", "ours", lambda v: v >= 3000, "%.0f"),
              (f"p99 ≤ 20 ms at {rate:g} creates/s" + ("" if rate == 500 else " (the target is at 500/s)"),
               "ours_p99", lambda v: v <= 20, "%.2f ms")]
    for text, key, ok, fmt in checks:
        value = median(key)
        if value is None:
            print(f"- {text}: not measured")
        else:
            print(f"- {text}: {fmt % value} (runs: {runs(key, fmt)}) — "
                  f"**{'met' if ok(value) else 'NOT met'}**")
    tx = median("transactions")
    print("- transaction Bundles of 4 entries/s (no figure set by the issue): " +
          (f"{tx:.0f} (runs: {runs('transactions', '%.0f')})" if tx is not None else "not measured"))
    for r in results:
        if r["kind"] == "intake-only" and r.get("load"):
            print(f"\nNot a target: an intake-only gateway (translate.workers=0, delivery.workers=0: "
                  f"the request path alone, the same load) created "
                  f"{r['load'].get('creates_per_s', 0):.0f}/s (p99 {r['load'].get('p99_ms', 0):.2f} ms).")
    if samples["peer_p99"]:
        print(f"\nNot a target: the peer's p99 at {rate:g} creates/s {median('peer_p99'):.2f} ms "
              f"(runs: {runs('peer_p99', '%.2f ms')}).")


if __name__ == "__main__":
    main()
