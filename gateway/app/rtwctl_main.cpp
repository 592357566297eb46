// rtwctl: the operator's and integration engineer's command line.
//   rtwctl send --mllp HOST:PORT --cert C --key K --ca CA FILE...
//   rtwctl validate FILE.xml [--schemas DIR]

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "rtw/hl7v2/message.h"
#include "rtw/security/tls.h"
#include "rtw/transport/mllp_client.h"
#include "rtw/worksafe/schema.h"
#include "split_messages.h"

namespace rtw::app {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

const char* const kUsageText =
    "usage:\n"
    "  rtwctl send --mllp HOST:PORT --cert CERT --key KEY --ca CA FILE...\n"
    "      Sends HL7 v2 files over MLLP/TLS (one message per file, or several separated by\n"
    "      blank lines) and prints each ACK. Exit 0 only if every ACK is AA or CA.\n"
    "  rtwctl validate FILE.xml... [--schemas DIR]\n"
    "      Validates WorkSafe documents against their XSD; prints 'ERROR|WARNING <path>: "
    "<message>'.\n"
    "      Exit 0 when every document is valid, 1 when not.\n";

struct Arguments {
  std::map<std::string, std::string> options;
  std::vector<std::string> files;
};

/// --name VALUE pairs and the remaining positional arguments.
Arguments parseArguments(int argc, char** argv, int first) {
  Arguments args;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) == 0) {
      if (i + 1 >= argc) {
        throw std::invalid_argument(arg + " needs a value");
      }
      args.options[arg.substr(2)] = argv[++i];
    } else {
      args.files.push_back(arg);
    }
  }
  return args;
}

std::string required(const Arguments& args, const std::string& name) {
  auto it = args.options.find(name);
  if (it == args.options.end()) {
    throw std::invalid_argument("--" + name + " is required");
  }
  return it->second;
}

std::string readFile(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + file);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The ACK's MSA-1, or "" when the answer is not a readable ACK.
std::string ackCode(const std::string& ack) {
  hl7v2::ParseOutcome parsed = hl7v2::Message::parse(ack);
  return parsed.message ? parsed.message->get("MSA-1") : std::string();
}

int send(const Arguments& args) {
  const std::string target = required(args, "mllp");
  const auto colon = target.rfind(':');
  if (colon == std::string::npos) {
    throw std::invalid_argument("--mllp must be HOST:PORT");
  }
  const std::string host = target.substr(0, colon);
  const auto port = static_cast<std::uint16_t>(std::stoul(target.substr(colon + 1)));
  if (args.files.empty()) {
    throw std::invalid_argument("send needs at least one FILE");
  }
  security::TlsLibrary tls_library;
  transport::MllpClient client(
      host, port,
      security::clientContext(
          {required(args, "cert"), required(args, "key"), required(args, "ca")}));
  int failures = 0;
  for (const auto& file : args.files) {
    for (const auto& message : splitMessages(readFile(file))) {
      std::optional<std::string> ack = client.exchange(message);
      if (!ack) {
        std::cerr << file << ": the gateway closed the connection without an ACK\n";
        return kFailed;
      }
      std::string printable = *ack;
      for (char& c : printable) {
        c = c == '\r' ? '\n' : c;
      }
      std::cout << printable << (printable.empty() || printable.back() != '\n' ? "\n" : "") << "\n";
      const std::string code = ackCode(*ack);
      failures += (code == "AA" || code == "CA") ? 0 : 1;
    }
  }
  return failures == 0 ? kOk : kFailed;
}

int validate(const Arguments& args) {
  auto schemas = worksafe::SchemaSet::load(
      args.options.count("schemas") ? args.options.at("schemas") : "mappings/worksafe");
  if (args.files.empty()) {
    throw std::invalid_argument("validate needs at least one FILE");
  }
  bool all_valid = true;
  for (const auto& file : args.files) {
    const std::string xml = readFile(file);
    std::optional<worksafe::DocumentType> type = schemas->detectType(xml);
    if (!type) {
      std::cout << file
                << ": ERROR : not a WorkSafe document (unknown root element or namespace)\n";
      all_valid = false;
      continue;
    }
    const std::vector<worksafe::Problem> problems = schemas->validate(*type, xml);
    for (const auto& problem : problems) {
      std::cout << (args.files.size() > 1 ? file + ": " : "") << worksafe::format(problem) << "\n";
      all_valid = all_valid && problem.severity != worksafe::Problem::Severity::kError;
    }
  }
  return all_valid ? kOk : kFailed;
}

}  // namespace
}  // namespace rtw::app

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::cout << rtw::app::kUsageText;
    return argc < 2 ? rtw::app::kUsage : rtw::app::kOk;
  }
  const std::string command = argv[1];
  try {
    const rtw::app::Arguments args = rtw::app::parseArguments(argc, argv, 2);
    if (command == "send") {
      return rtw::app::send(args);
    }
    if (command == "validate") {
      return rtw::app::validate(args);
    }
    std::cerr << "rtwctl: unknown command '" << command << "'\n" << rtw::app::kUsageText;
    return rtw::app::kUsage;
  } catch (const std::invalid_argument& e) {
    std::cerr << "rtwctl " << command << ": " << e.what() << "\n" << rtw::app::kUsageText;
    return rtw::app::kUsage;
  } catch (const Poco::Exception& e) {
    std::cerr << "rtwctl " << command << ": " << e.displayText() << "\n";
    return rtw::app::kFailed;
  } catch (const std::exception& e) {
    std::cerr << "rtwctl " << command << ": " << e.what() << "\n";
    return rtw::app::kFailed;
  }
}
