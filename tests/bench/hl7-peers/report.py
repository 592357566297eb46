#!/usr/bin/python3
"""Turns the JSON lines of bench-hl7-parse and the peer runners into one table.

usage: report.py RESULTS.jsonl [DUMP_DIR]

The ratio column divides each row's MB/s by the fastest peer's MB/s (MB/s
rather than messages/s because a peer that rejects some messages is timed on
fewer bytes). With DUMP_DIR (the *.dump files the runners wrote with --dump),
a second table shows, per path, how many of each peer's values are equal to
what rtw-hl7v2 read from the same message: where they differ, the peer's
library reads the path differently (e.g. does not decode escapes).
"""

import json
import os
import sys

OURS = "rtw-hl7v2"
CEILING_PREFIX = "delimiter-scan"


def load_results(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.startswith("{")]


def fmt_int(value):
    return "{:,.0f}".format(value)


def fmt_mb(value):
    return "{:,.1f}".format(value) if value >= 10 else "{:,.2f}".format(value)


def fmt_ratio(value):
    return ("%.1fx" % value) if value >= 1 else ("%.2gx" % value)


def print_table(rows):
    peers = [r for r in rows if r["parser"] != OURS and not r["parser"].startswith(CEILING_PREFIX)]
    fastest = max(peers, key=lambda r: r["mb_per_s"]) if peers else None
    header = ["parser", "work", "messages/s", "MB/s", "MB/s min-max", "failures", "x fastest peer"]
    table = [header]
    for r in rows:
        ratio = fmt_ratio(r["mb_per_s"] / fastest["mb_per_s"]) if fastest else "-"
        table.append([
            r["parser"],
            r["work"],
            fmt_int(r["msgs_per_s"]),
            fmt_mb(r["mb_per_s"]),
            "%s-%s" % (fmt_mb(r["mb_per_s_min"]), fmt_mb(r["mb_per_s_max"])),
            "%d/%d" % (r["failures"], r["messages"]),
            ratio,
        ])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for n, row in enumerate(table):
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        print("| " + " | ".join(cells) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    if fastest:
        print("\nfastest peer: %s (%s MB/s); ratio = MB/s / fastest peer's MB/s"
              % (fastest["parser"], fmt_mb(fastest["mb_per_s"])))
    print("runtimes: " + "; ".join(
        "%s = %s (cpus %s)" % (r["parser"], r["runtime"], r["cpus"]) for r in rows
        if r["work"] != "parse only" and "pre-parsed" not in r["work"]))


def load_dump(path):
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            values[(entry["message"], entry["path"])] = entry["values"]
    return values


def print_agreement(dump_dir, rows):
    ours_file = os.path.join(dump_dir, OURS + ".dump")
    if not os.path.exists(ours_file):
        return
    ours = load_dump(ours_file)
    paths = list(dict.fromkeys(path for _, path in ours))
    peers = []
    for r in rows:
        name = r["parser"]
        dump = os.path.join(dump_dir, name.replace("@", "").replace("/", "-") + ".dump")
        if name != OURS and os.path.exists(dump):
            peers.append((name, load_dump(dump)))
    if not peers:
        return
    print("\nvalues equal to rtw-hl7v2's, per path (messages both parsed):")
    header = ["path"] + [name for name, _ in peers]
    table = [header]
    totals = [[0, 0] for _ in peers]
    for path in paths:
        row = [path]
        for i, (_, theirs) in enumerate(peers):
            keys = [k for k in theirs if k[1] == path and k in ours]
            same = sum(1 for k in keys if theirs[k] == ours[k])
            totals[i][0] += same
            totals[i][1] += len(keys)
            row.append("%d/%d" % (same, len(keys)))
        table.append(row)
    table.append(["all 20"] + ["%.1f%%" % (100.0 * s / n if n else 0) for s, n in totals])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for n, row in enumerate(table):
        print("| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                for i, (c, w) in enumerate(zip(row, widths))) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    rows = load_results(sys.argv[1])
    print_table(rows)
    if len(sys.argv) > 2:
        print_agreement(sys.argv[2], rows)


if __name__ == "__main__":
    main()
