#!/usr/bin/env python3
"""Prints the throughput benchmark's results (results.jsonl) as one markdown
table with the machine, for BENCHMARKS.md. Usage: report.py RESULTS ROOT"""
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from machine import describe, load_average  # noqa: E402


def machine(root):
    return f"{describe(root)}, load average {load_average()} at the end"


def codes(load):
    return " ".join(f"{k}={v}" for k, v in sorted(load.get("ack_codes", {}).items())) or "-"


def errors(load):
    parts = []
    for key, name in (("duplicate_acks", "duplicate ACKs"), ("mismatched_acks", "wrong MSA-2"),
                      ("unparseable", "unparseable"), ("unanswered", "unanswered"),
                      ("failures", "connections lost")):
        if load.get(key):
            parts.append(f"{load[key]} {name}")
    text = ", ".join(parts) or "0"
    return f"**WRONG**: {text}" if load.get("wrong") else text


def row(cells):
    return "| " + " | ".join(str(c) for c in cells) + " |"


def main():
    results = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    root = sys.argv[2]
    print(f"\nMachine: {machine(root)}\n")
    print(row(["what", "server", "transport", "conn.", "mode", "group commit", "messages",
               "ACKed msgs/s", "p50 ms", "p99 ms", "max ms", "ACK codes", "errors"]))
    print("|---|---|---|--:|---|---|--:|--:|--:|--:|--:|---|---|")
    samples = {"ack16": [], "peer16": [], "p99": [], "e2e": []}  # every run of each target row
    best = {}
    rounds = {"ack16": [], "peer16": []}  # the interleaved rounds, in order
    gateway_rows = {"matrix": "ACKed messages/s", "latency": "ACK latency at a fixed rate",
                    "intake-only": "ACKed messages/s, intake-only instance (no workers)",
                    "board-elsewhere": "ACKed messages/s, board simulator under SCHED_IDLE (a board elsewhere)",
                    "e2e-intake": "intake of the end-to-end run",
                    "round-matrix": "ACKed messages/s, again (a round)",
                    "round-latency": "ACK latency at a fixed rate, again (a round)",
                    "round-e2e-intake": "intake of an end-to-end round",
                    "baseline-matrix": "ACKed messages/s, the baseline (a round)",
                    "baseline-latency": "ACK latency at a fixed rate, the baseline (a round)",
                    "baseline-e2e-intake": "intake of an end-to-end round, the baseline"}
    # round by round, ours and the baseline's (--baseline): ACKed/s at 16, p99 at 2,000/s, e2e
    versus = {"ours": {"ack16": [], "p99": [], "e2e": []},
              "baseline": {"ack16": [], "p99": [], "e2e": []}}
    for r in results:
        load = r.get("load", {})
        if r["kind"] in gateway_rows:
            what = gateway_rows[r["kind"]]
            mode = ("open loop %d/s" % load.get("rate", 0) if r["kind"] in ("latency", "round-latency", "baseline-latency")
                    else "closed loop")
            gc = "on" if r.get("group_commit") else "off"
            server = "rtw-gateway (baseline)" if r["kind"].startswith("baseline") else "rtw-gateway"
            print(row([what, server, "TLS", load.get("connections"), mode, gc,
                       load.get("acked"), "%.0f" % load.get("msgs_per_s", 0),
                       "%.2f" % load.get("p50_ms", 0), "%.2f" % load.get("p99_ms", 0),
                       "%.1f" % load.get("max_ms", 0), codes(load), errors(load)]))
            if r["kind"] in ("matrix", "round-matrix") and gc == "on" and load.get("connections") == 16:
                samples["ack16"].append(load.get("msgs_per_s", 0))
            if r["kind"] == "round-matrix":
                rounds["ack16"].append(load.get("msgs_per_s", 0))
            who = {"round-matrix": "ours", "round-latency": "ours",
                   "baseline-matrix": "baseline", "baseline-latency": "baseline"}.get(r["kind"])
            if who and r["kind"].endswith("matrix"):
                versus[who]["ack16"].append(load.get("msgs_per_s", 0))
            elif who:
                versus[who]["p99"].append(load.get("p99_ms", 0))
            if r["kind"] in ("intake-only", "board-elsewhere"):
                best[r["kind"]] = load.get("msgs_per_s", 0)
            if r["kind"] in ("latency", "round-latency") and load.get("rate") == 2000:
                samples["p99"].append(load.get("p99_ms", 0))
        elif r["kind"] in ("peer", "round-peer"):
            name = r.get("peer", "@medplum/hl7 (a round)")
            transport = r.get("transport", "tcp")
            print(row(["peer, stores nothing", name, transport.upper().replace("TCP", "plain TCP"),
                       load.get("connections"), "closed loop", "n/a", load.get("acked"),
                       "%.0f" % load.get("msgs_per_s", 0), "%.2f" % load.get("p50_ms", 0),
                       "%.2f" % load.get("p99_ms", 0), "%.1f" % load.get("max_ms", 0), codes(load),
                       errors(load)]))
            if name.startswith("@medplum") and load.get("connections") == 16:
                samples["peer16"].append(load.get("msgs_per_s", 0))
            if r["kind"] == "round-peer":
                rounds["peer16"].append(load.get("msgs_per_s", 0))
    for r in results:
        if r["kind"] in ("e2e", "round-e2e", "baseline-e2e"):
            rate = r["delivered"] / r["seconds"] if r["seconds"] else 0
            if r["kind"] == "baseline-e2e":
                versus["baseline"]["e2e"].append(rate)
            else:
                samples["e2e"].append(rate)
            if r["kind"] == "round-e2e":
                versus["ours"]["e2e"].append(rate)
            label = {"e2e": "End to end", "round-e2e": "End to end, again (a round)",
                     "baseline-e2e": "End to end, the baseline (a round)"}[r["kind"]]
            print(f"\n{label}: {r['delivered']:,} of {r['messages']:,} messages delivered to the "
                  f"board simulator in {r['seconds']:.1f} s from the first send "
                  f"(intake done after {r['intake_seconds']:.1f} s; rejected {r['rejected']}, "
                  f"dead {r['dead']}): **{rate:,.0f} delivered documents/s**.")
        if r["kind"] == "fdatasync":
            p = r["probe"]
            best["fsync"] = p["fdatasync_per_s"]
            print(f"\nfdatasync on the journal's filesystem: **{p['fdatasync_per_s']:,} /s** "
                  f"(median second; {p['bytes']}-byte overwrites, {p['overall_per_s']:,}/s overall).")
    if "--smoke" in sys.argv:
        print("\n(smoke run: counts checked, figures not comparable)")
        return
    print("\nTargets (issue 6), each judged on the median of every run of its row in this "
          "benchmark (the first pass and the interleaved rounds):\n")

    def median(key):
        return statistics.median(samples[key]) if samples[key] else None

    def runs(key, fmt):
        return ", ".join(fmt % v for v in samples[key])

    ours16, peer16 = median("ack16"), median("peer16")
    checks = [
        ("≥ 20,000 ACKed messages/s with 16 connections (group commit on)", "ack16",
         lambda v: v >= 20000, "%.0f"),
        ("p99 ACK ≤ 5 ms at 2,000 messages/s", "p99", lambda v: v <= 5, "%.2f ms"),
        ("≥ 5,000 delivered documents/s end to end", "e2e", lambda v: v >= 5000, "%.0f"),
    ]
    for text, key, ok, fmt in checks:
        value = median(key)
        if value is None:
            print(f"- {text}: not measured")
        else:
            print(f"- {text}: {fmt % value} (runs: {runs(key, fmt)}) — "
                  f"**{'met' if ok(value) else 'NOT met'}**")
    if ours16 is not None and peer16:
        verdict = "met" if ours16 > peer16 else "NOT met"
        print(f"- faster than @medplum/hl7 (stores nothing, no TLS) at 16 connections: "
              f"{ours16:.0f} vs {peer16:.0f} ({ours16 / peer16:.2f}×; peer runs: "
              f"{runs('peer16', '%.0f')}) — **{verdict}**")
        pairs = [f"{ours / peer:.2f}×" for ours, peer in zip(rounds["ack16"], rounds["peer16"])
                 if peer]
        if pairs:
            print(f"  (round by round, ours then the peer's within a minute: {', '.join(pairs)})")
    if versus["baseline"]["ack16"]:
        compare_baseline(versus, sys.argv[sys.argv.index("--baseline") + 1])
    if "intake-only" in best:
        print(f"\nFor comparison, not a target: an intake-only instance (translate.workers=0, "
              f"delivery.workers=0) acknowledged {best['intake-only']:.0f} messages/s with 16 connections.")
    if "board-elsewhere" in best:
        print(f"Not a target either: with the board simulator under SCHED_IDLE (as if the board ran on "
              f"another machine) the whole gateway acknowledged {best['board-elsewhere']:.0f} messages/s "
              f"with 16 connections.")


def compare_baseline(versus, where):
    """Ours against the baseline checkout, on the interleaved rounds only."""
    try:
        commit = subprocess.run(["git", "-C", where, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "commit unknown"
    print(f"\nAgainst the baseline ({where}, {commit}), the same rows in the same rounds "
          f"(ratio ours / baseline; for p99 lower is better):\n")
    print(row(["row", "ours (median)", "baseline (median)", "ratio", "round by round"]))
    print("|---|--:|--:|--:|---|")
    for key, what, fmt in (("ack16", "ACKed messages/s, 16 connections", "%.0f"),
                           ("p99", "p99 ACK ms at 2,000 messages/s", "%.2f"),
                           ("e2e", "delivered documents/s end to end", "%.0f")):
        ours, base = versus["ours"][key], versus["baseline"][key]
        if not ours or not base:
            continue
        mo, mb = statistics.median(ours), statistics.median(base)
        pairs = ", ".join(f"{o / b:.2f}" for o, b in zip(ours, base) if b)
        print(row([what, fmt % mo, fmt % mb, f"{mo / mb:.2f}" if mb else "n/a", pairs]))


if __name__ == "__main__":
    main()
