#!/usr/bin/env python3
"""Holds one testssl.sh JSON result to the gateway's TLS baseline (SECURITY.md).

  check-testssl.py LISTENER FILE.json

Fails (exit 1), printing each departure, when a protocol other than TLS 1.2
and 1.3 is offered, a cipher without ECDHE + AEAD is offered, or any finding
is MEDIUM, HIGH or CRITICAL — except those the dev certificates cause by
design (a self-signed dev CA, no CRL/OCSP URI in a dev certificate), listed
below with the reason.
"""
import json
import re
import sys

# Findings the dev certificates give, not the listener's TLS configuration.
EXPECTED = {
    "cert_chain_of_trust": "the dev CA is self-signed (certs/make-dev-certs.sh)",
    "cert_revocation": "dev certificates name no CRL or OCSP URI",
}
MUST_NOT_OFFER = ["SSLv2", "SSLv3", "TLS1", "TLS1_1", "cipherlist_NULL", "cipherlist_aNULL",
                  "cipherlist_EXPORT", "cipherlist_LOW", "cipherlist_3DES_IDEA",
                  "cipherlist_AVERAGE"]
AEAD_ECDHE = re.compile(r"^(ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)"
                        r"|TLS_AES_(128|256)_GCM_SHA(256|384)|TLS_CHACHA20_POLY1305_SHA256)$")


def main():
    listener, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    findings = data if isinstance(data, list) else data.get("scanResult", [])
    if isinstance(findings, list) and findings and "serverDefaults" in findings[0]:
        flat = []
        for part in findings:
            for value in part.values():
                if isinstance(value, list):
                    flat.extend(value)
        findings = flat
    by_id = {f["id"]: f for f in findings if "id" in f}
    problems = []
    if not by_id:
        problems.append("no findings: testssl did not reach the listener")
    for key in MUST_NOT_OFFER:
        finding = by_id.get(key, {}).get("finding", "missing")
        if finding != "not offered":
            problems.append(f"{key}: {finding} (must be 'not offered')")
    if by_id.get("TLS1_2", {}).get("finding") != "offered":
        problems.append("TLS 1.2 is not offered")
    if not by_id.get("TLS1_3", {}).get("finding", "").startswith("offered"):
        problems.append("TLS 1.3 is not offered")
    ciphers = []
    for key, finding in by_id.items():
        if key.startswith("cipher_x"):
            # "TLS 1.2  xc02b ECDHE-ECDSA-AES128-GCM-SHA256 ECDH 253 AESGCM 128 TLS_..."
            words = finding.get("finding", "").split()
            name = next((w for w in words if re.match(r"^[A-Z0-9_-]+$", w) and "-" in w
                         or w.startswith("TLS_")), "")
            ciphers.append(name)
            if not AEAD_ECDHE.match(name):
                problems.append(f"{key}: {finding.get('finding')} (not ECDHE + AEAD)")
    if not ciphers:
        problems.append("no offered cipher listed (--each-cipher)")
    for key, finding in by_id.items():
        severity = finding.get("severity", "")
        if severity in ("MEDIUM", "HIGH", "CRITICAL") and key not in EXPECTED:
            problems.append(f"{key}: {severity}: {finding.get('finding')}")
    offered = ", ".join(sorted(set(ciphers)))
    if problems:
        print(f"FAIL {listener}:")
        for problem in problems:
            print("  " + problem)
        return 1
    print(f"OK {listener}: TLS 1.2 and 1.3 only; ciphers {offered}; no finding above LOW "
          f"but {', '.join(EXPECTED)} (dev certificates)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
