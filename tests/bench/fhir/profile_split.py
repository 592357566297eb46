#!/usr/bin/env python3
"""Splits a gateway profile (perf script output on stdin: `perf script -F
comm,ip,sym`) into what a FHIR create costs: every on-CPU sample goes to one
stage — by thread for the gateway's workers, and for the HTTPS request threads
by the innermost frame of its call chain that names a stage (a malloc inside
the mapping counts as the mapping, a kernel send under SSL_write as TLS).
Prints a markdown table, largest first. Usage:
  perf script -i perf.data -F comm,ip,sym | profile_split.py"""
import collections
import re
import sys

# Threads that are one stage each (pthread names set by the gateway).
THREADS = {
    "rtw-committer": "journal commit (committer thread: SQLite, WAL, fdatasync)",
    "rtw-translate": "translate worker: the second translation, from the journal",
    "rtw-delivery": "delivery worker: HTTPS to the board",
    "rtw-checkpoint": "WAL checkpoint thread",
    "rtw-log": "log writer thread",
}

# The request threads' stages, matched against each frame from the leaf up.
STAGES = [
    (r"SchemaSet::validate", "XSD validation (libxml2)"),
    (r"ParsedDocument::ParsedDocument|parseUntrusted", "XML parse of the document just written (for the XSD)"),
    (r"checkBoardRules", "board rules"),
    (r"Document::toXml", "XML write of the document"),
    (r"parseFhirPath", "FHIRPath parse (at every evaluation)"),
    (r"mapping::evaluate", "mapping evaluation (FHIRPath reads, document fields)"),
    (r"pipeline::translate\b|translateSafely", "translation, other (plugin, drafts, problems)"),
    (r"Resource::parseJson|withServerFields|readPayload", "JSON parse + server fields (RapidJSON)"),
    (r"UUIDGenerator", "resource id (Poco UUID)"),
    (r"Journal::record|IntakeCore::record", "journal record (hand-over to the committer, wait)"),
    (r"Poco::Logger|Poco::Message|LogWriter|Poco::Channel", "log lines"),
    (r"bindPartner|partnerIdentifier|identityOf", "certificate → partner binding"),
    (r"SSL_read|SSL_write|SSL_do_handshake|SSL_accept|SSL_shutdown|SecureSocketImpl", "TLS (OpenSSL, socket I/O)"),
    (r"operationOutcomeJson|FhirIntake::create", "FHIR answer, other (headers, checks)"),
    (r"HTTPServerRequestImpl|HTTPServerResponseImpl|HTTPRequest::read|HTTPSession|HTTPHeader|"
     r"RequestExchange|serveRequest|HttpsConnection", "HTTP (Poco: headers, streams, routing)"),
]
COMPILED = [(re.compile(pattern), stage) for pattern, stage in STAGES]


def stage_of(comm, frames):
    if comm in THREADS:
        return THREADS[comm]
    for frame in frames:  # leaf first
        for pattern, stage in COMPILED:
            if pattern.search(frame):
                return stage
    return f"other ({comm})"


def samples(lines):
    comm, frames = None, []
    for line in lines:
        if not line.strip():
            if comm is not None:
                yield comm, frames
            comm, frames = None, []
        elif not line[0].isspace():
            comm, frames = line.split()[0], []
        else:
            parts = line.split(None, 1)
            frames.append(parts[1] if len(parts) > 1 else parts[0])
    if comm is not None:
        yield comm, frames


def main():
    counts = collections.Counter()
    total = 0
    for comm, frames in samples(sys.stdin):
        counts[stage_of(comm, frames)] += 1
        total += 1
    if not total:
        print("no samples")
        return
    print(f"| stage | share of the gateway's on-CPU samples ({total:,}) |")
    print("|---|--:|")
    for stage, n in counts.most_common():
        print(f"| {stage} | {100 * n / total:.1f} % |")


if __name__ == "__main__":
    main()
