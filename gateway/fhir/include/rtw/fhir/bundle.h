#pragma once
// The parts of a batch or transaction Bundle a FHIR server processes one by
// one (each entry's resource as JSON text, and its request), and the
// batch-response / transaction-response Bundle it answers with.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtw::fhir {

struct BundleEntry {
  std::string full_url;
  std::string resource;  // the entry's resource as JSON ("" when it has none)
  std::string method;    // request.method: POST, PUT, GET, DELETE...
  std::string url;       // request.url: "ServiceRequest"
  std::string if_none_exist;
};

struct BundleRequest {
  std::string type;        // "batch", "transaction", or another Bundle.type
  std::string identifier;  // Bundle.identifier system|value, "" when none
  std::vector<BundleEntry> entries;
};

/// A Bundle's type and entries; nothing, with `error` set, when `json` is
/// not a Bundle (the caller has checked the size and depth limits).
std::optional<BundleRequest> readBundle(std::string_view json, std::string& error);

/// One entry of a batch-response or transaction-response.
struct EntryResponse {
  std::string status;  // "201 Created", "422 Unprocessable Entity"...
  std::string location;
  std::string etag;
  std::string last_modified;
  std::string outcome;  // an OperationOutcome as JSON, "" for none
};

/// `type`: "batch-response" or "transaction-response".
std::string bundleResponseJson(const std::string& type, const std::vector<EntryResponse>& entries);

/// One entry of a Bundle as the server stores it (a transaction after
/// processing, or a document): the resource with its server id, and what
/// became of it ("201 Created", or "200 OK" for a conditional create that
/// matched an earlier resource — that entry is not created again).
struct StoredEntry {
  std::string full_url;
  std::string resource;  // JSON, with its server id and references (withServerFields)
  std::string method;    // request.method ("" for a document's entries)
  std::string url;
  std::string if_none_exist;
  std::string status;  // response.status ("" for none)
  std::string location;
};

struct StoredBundle {
  std::string id;
  std::string last_updated;
  std::string type;        // "transaction", "document"
  std::string identifier;  // system|value as readBundle gives it, "" for none
  std::vector<StoredEntry> entries;
};

/// The Bundle as JSON (each entry's resource written as it is).
std::string storedBundleJson(const StoredBundle& bundle);

}  // namespace rtw::fhir
