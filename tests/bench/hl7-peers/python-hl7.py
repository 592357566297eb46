#!/usr/bin/python3
"""Debian's python3-hl7 as a peer of bench-hl7-parse (run with /usr/bin/python3).

Same protocol as harness.cjs: read the normalised corpus and the 20 paths
that bench-hl7-parse wrote, parse + read every message once (a message that
raises is a failure and is not timed), a warm-up, N timed runs of whole
passes, one JSON line with the median.

Mapping of a path SEG[occ]-F(R).C.S onto python-hl7 (hl7.parse, then the
accessor keys its documentation shows, e.g. msg["PID.F3.R2.C1"]):
  component / subcomponent  msg["SEG.Fn.Rn.Cn"] / msg["SEG.Fn.Rn.Cn.Sn"]; for
                            '*', Segment.extract_field on each of
                            msg.segments(SEG) (decodes escapes)
  whole field               the accessor returns the first component of a
                            composite field, so the runner takes
                            str(segment(F)(R)) (the library's own text of
                            one repetition) and msg.unescape() on it
  absent                    the library raises KeyError (no such segment) or
                            IndexError (path past the end): read as ""

usage: python-hl7.py --input DIR [--seconds S] [--runs N] [--iterations N] [--dump FILE]
"""

import argparse
import json
import os
import re
import statistics
import sys
import time

import hl7

PATH_PATTERN = re.compile(
    r"^([A-Z0-9]{3})(?:\[(\*|\d+)\])?-(\d+)(?:\((\d+)\))?(?:\.(\d+)(?:\.(\d+))?)?$"
)


class PathSpec:
    def __init__(self, text):
        m = PATH_PATTERN.match(text)
        if not m:
            raise ValueError("path not understood: " + text)
        self.path = text
        self.segment = m.group(1)
        self.all = m.group(2) == "*"
        self.occurrence = 1 if m.group(2) is None else (0 if self.all else int(m.group(2)))
        self.field = int(m.group(3))
        self.repetition = int(m.group(4) or 1)
        self.component = int(m.group(5) or 0)
        self.subcomponent = int(m.group(6) or 0)
        # python-hl7 names the n-th occurrence "SEGn" (e.g. "OBX2.F5").
        name = self.segment if self.occurrence == 1 else self.segment + str(self.occurrence)
        key = "%s.F%d.R%d" % (name, self.field, self.repetition)
        if self.component:
            key += ".C%d" % self.component
        if self.subcomponent:
            key += ".S%d" % self.subcomponent
        self.key = key


def whole_repetition(message, segment, spec):
    try:
        return message.unescape(str(segment(spec.field)(spec.repetition)))
    except IndexError:
        return ""


def read(message, spec):
    if spec.all:
        try:
            segments = message.segments(spec.segment)
        except KeyError:
            return []
        if spec.component == 0:
            return [whole_repetition(message, s, spec) for s in segments]
        values = []
        for s in segments:
            try:
                values.append(
                    s.extract_field(
                        1, spec.field, spec.repetition, spec.component, spec.subcomponent or 1
                    )
                )
            except IndexError:
                values.append("")
        return values
    try:
        if spec.component == 0:
            segment = message.segments(spec.segment)(spec.occurrence)
            return whole_repetition(message, segment, spec)
        return message[spec.key]
    except (KeyError, IndexError):
        return ""


def value_length(value):
    return sum(len(v) for v in value) if isinstance(value, list) else len(value)


def time_run(texts, specs, seconds, passes_wanted):
    sink = 0
    passes = 0
    start = time.perf_counter()
    while True:
        for text in texts:
            message = hl7.parse(text)
            for spec in specs:
                sink += value_length(read(message, spec))
        passes += 1
        elapsed = time.perf_counter() - start
        if (passes >= passes_wanted) if passes_wanted > 0 else (elapsed >= seconds):
            return elapsed, passes, sink


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=0)
    parser.add_argument("--dump")
    options = parser.parse_args()

    with open(os.path.join(options.input, "corpus.er7"), "rb") as f:
        messages = f.read().decode("utf-8").split("\n")
    with open(os.path.join(options.input, "paths.txt"), encoding="utf-8") as f:
        specs = [PathSpec(line) for line in f.read().split("\n") if line]

    timed, dump, reasons = [], [], {}
    checksum = failures = 0
    for index, text in enumerate(messages):
        try:
            message = hl7.parse(text)
            values = [read(message, spec) for spec in specs]
        except Exception as error:  # a peer failing on a message is counted, not fatal
            failures += 1
            reason = ("%s: %s" % (type(error).__name__, error))[:100]
            reasons[reason] = reasons.get(reason, 0) + 1
            continue
        timed.append(text)
        for spec, value in zip(specs, values):
            checksum += value_length(value)
            dump.append({"message": index, "path": spec.path,
                         "values": value if isinstance(value, list) else [value]})
    for reason, count in reasons.items():
        sys.stderr.write("python3-hl7: %d message(s) failed: %s\n" % (count, reason))
    if options.dump:
        with open(options.dump, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(entry) + "\n" for entry in dump)

    pass_bytes = sum(len(text.encode("utf-8")) for text in timed)
    warm_seconds = min(0.5, options.seconds)
    elapsed, passes, sink = time_run(timed, specs, warm_seconds, 1 if options.iterations else 0)
    runs = []
    for _ in range(options.runs):
        run = time_run(timed, specs, options.seconds, options.iterations)
        runs.append(run)
        passes += run[1]
        sink += run[2]
    if sink != checksum * passes:
        sys.exit("python3-hl7: checksum mismatch (%d != %d x %d)" % (sink, checksum, passes))

    mbs = [p * pass_bytes / s / 1e6 for s, p, _ in runs]
    line = {
        "bench": "hl7-parse",
        "parser": "python3-hl7",
        "work": "parse + 20 reads",
        "runtime": "python %s, python3-hl7@%s" % (sys.version.split()[0], hl7.get_version()),
        "cpus": len(os.sched_getaffinity(0)),
        "messages": len(messages),
        "failures": failures,
        "timed_messages": len(timed),
        "bytes_per_pass": pass_bytes,
        "runs": len(runs),
        "seconds": round(sum(s for s, _, _ in runs), 3),
        "msgs_per_s": round(statistics.median(p * len(timed) / s for s, p, _ in runs), 1),
        "mb_per_s": round(statistics.median(mbs), 3),
        "mb_per_s_min": round(min(mbs), 3),
        "mb_per_s_max": round(max(mbs), 3),
        "checksum": checksum,
    }
    print(json.dumps(line, separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
