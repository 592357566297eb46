// rtwctl send: HL7 v2 files over MLLP/TLS, printing each ACK.

#include <iostream>

#include "cli.h"
#include "rtw/hl7v2/message.h"
#include "rtw/security/tls.h"
#include "rtw/transport/mllp_client.h"
#include "split_messages.h"

namespace rtw::app::cli {
namespace {

/// True when the message asks for an application ACK whatever the outcome:
/// enhanced mode (MSH-15 or MSH-16 valued) with MSH-16 AL or empty.
bool expectsApplicationAck(const std::string& message) {
  hl7v2::ParseOutcome parsed = hl7v2::Message::parse(message);
  if (!parsed.message) {
    return false;
  }
  const std::string accept = parsed.message->get("MSH-15");
  const std::string application = parsed.message->get("MSH-16");
  return (!accept.empty() || !application.empty()) && (application.empty() || application == "AL");
}

/// The ACK's MSA-1, or "" when the answer is not a readable ACK.
std::string ackCode(const std::string& ack) {
  hl7v2::ParseOutcome parsed = hl7v2::Message::parse(ack);
  return parsed.message ? parsed.message->get("MSA-1") : std::string();
}

void printAck(const std::string& ack) {
  std::string printable = ack;
  for (char& c : printable) {
    c = c == '\r' ? '\n' : c;
  }
  std::cout << printable << (printable.empty() || printable.back() != '\n' ? "\n" : "") << "\n";
}

}  // namespace

int runSend(int argc, char** argv) {
  const Arguments args = parseArguments(argc, argv, 2, {"mllp", "cert", "key", "ca"});
  const std::string target = args.required("mllp");
  const auto colon = target.rfind(':');
  if (colon == std::string::npos) {
    throw UsageError("--mllp must be HOST:PORT");
  }
  const std::string host = target.substr(0, colon);
  const auto port = static_cast<std::uint16_t>(
      wholeNumber("the port of --mllp " + target, target.substr(colon + 1), 1, 65535));
  if (args.files.empty()) {
    throw UsageError("send needs at least one FILE");
  }
  security::TlsLibrary tls_library;
  transport::MllpClient client(
      host, port,
      security::clientContext({args.required("cert"), args.required("key"), args.required("ca")}));
  int failures = 0;
  for (const auto& file : args.files) {
    for (const auto& message : splitMessages(readFile(file))) {
      std::optional<std::string> ack = client.exchange(message);
      if (!ack) {
        std::cerr << file << ": the gateway closed the connection without an ACK\n";
        return kFailed;
      }
      printAck(*ack);
      const std::string code = ackCode(*ack);
      failures += (code == "AA" || code == "CA") ? 0 : 1;
      if (code == "CA" && expectsApplicationAck(message)) {
        // Enhanced mode: the commit ACK now, the application ACK once translated.
        std::optional<std::string> application = client.receive();
        if (!application) {
          std::cerr << file << ": the gateway closed the connection before the application ACK\n";
          return kFailed;
        }
        printAck(*application);
        failures += ackCode(*application) == "AA" ? 0 : 1;
      }
    }
  }
  return failures == 0 ? kOk : kFailed;
}

}  // namespace rtw::app::cli
