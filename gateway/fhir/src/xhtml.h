#pragma once
// The narrative's div: an XHTML element in XML, a string of that XHTML in
// JSON. Both directions write it one way, so that the same narrative gives
// the same string however it came: the XHTML namespace declared on the div
// alone, elements unprefixed, attributes in their order with '"', text and
// attribute values escaped (&amp; &lt; &gt; &quot; and the line breaks and
// tabs of attribute values as character references), comments and
// processing instructions left out.

#include <string>
#include <string_view>

#include <libxml/tree.h>

namespace rtw::fhir::detail {

inline constexpr std::string_view kXhtmlNamespace = "http://www.w3.org/1999/xhtml";

/// Appends the div element `div` (XHTML namespace) to `out`. False, with
/// `error` set (and its line), when something in it is outside XHTML: an
/// element in another namespace, an attribute in a namespace other than xml.
bool writeNarrative(const xmlNode* div, std::string& out, std::string& error);

/// Appends the narrative `text` (a JSON div string) to `out` as XML, written
/// as writeNarrative() writes it. False, with `error` set, when `text` is not
/// one XHTML div element (it is parsed as untrusted XML: no DOCTYPE).
bool writeNarrativeText(std::string_view text, std::string& out, std::string& error);

}  // namespace rtw::fhir::detail
