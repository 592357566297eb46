#pragma once
// The board document ids the translate worker gives, which are also the
// Idempotency-Keys of their deliveries.

#include <cstddef>
#include <string>

#include "rtw/store/journal.h"

namespace rtw::pipeline {

/// The same message always yields the same ids, so that a translation
/// repeated after a crash (or by a second instance that took over a lease) is
/// recognised by the board's Idempotency-Key; messages of different journals
/// (`journal_instance`) yield different ones, so that a reinstalled gateway
/// never reuses a key the board already holds.
///
/// A UUID (RFC 9562 version 8, a layout of our own): the first 48 bits are
/// the journal's message id, the other 74 a SHA-1 of the instance, partner,
/// channel, message id, control id and `index` (the document's place among
/// the message's). Ids of later messages sort later, so the outbox's unique
/// index on them grows at one end: a random UUID put each document on a
/// page of its own there (≈ 4 KB more WAL per document).
std::string stableDocumentId(const std::string& journal_instance, const store::JournalEntry& entry,
                             std::size_t index);

}  // namespace rtw::pipeline
