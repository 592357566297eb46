// rtwctl: the command line of operators and integration engineers.

#include <cstring>
#include <iostream>

#include <Poco/Exception.h>

#include "cli.h"

namespace rtw::app::cli {
namespace {

const Command kCommands[] = {
    {"send",
     "  rtwctl send --mllp HOST:PORT --cert CERT --key KEY --ca CA FILE...\n"
     "      Sends HL7 v2 files over MLLP/TLS (one message per file, or several separated by\n"
     "      blank lines) and prints each ACK. Exit 0 only if every ACK is AA or CA (and, when\n"
     "      a message asks for an application ACK with MSH-16 AL, that ACK is AA).\n",
     runSend},
    {"validate",
     "  rtwctl validate FILE.xml... [--board WSBC|WSIB] [--schemas DIR] [--boards DIR]\n"
     "                  [--today YYYY-MM-DD]\n"
     "      Validates WorkSafe documents against their XSD and the board's rules;\n"
     "      prints 'ERROR|WARNING <path>: <message>'. Exit 0 when every document is valid\n"
     "      (warnings allowed), 1 when not.\n",
     runValidate},
    {"hl7",
     "  rtwctl hl7 parse FILE [--get PATH]... [--raw] [--json] [--charset NAME]\n"
     "      Prints the values at the paths (one per line; with --json one object per\n"
     "      message), the whole message as JSON, or without either its segments one per\n"
     "      line. A value is one primitive, decoded (PID-5 is the family name); --raw\n"
     "      prints each position whole, with the sender's separators. A file may hold\n"
     "      several messages or FHS/BHS batches.\n"
     "  rtwctl hl7 ack FILE [--code AA|AE|AR|CA|CE|CR] [--charset NAME] [--control-id ID]\n"
     "                 [--timestamp TS]\n"
     "      Prints the ACK the gateway would send for the message.\n"
     "  rtwctl hl7 redate FILE... [--today YYYY-MM-DD] [--out DIR]\n"
     "      Moves every date and timestamp of each message by the same number of days,\n"
     "      so that its MSH-7 is today (or --today): sample messages made current.\n"
     "      Writes DIR/<file name> for each, or the files one after another to stdout.\n",
     runHl7},
    {"messages",
     "  rtwctl messages list [--partner P] [--state S] [--from DATE] [--until DATE]\n"
     "                       [--claim N] [--limit N] [--journal FILE]\n"
     "      Lists journaled messages, newest first (no patient data).\n"
     "  rtwctl messages show ID [--payload] [--journal FILE]\n"
     "      One message: states, ACK, documents with attempts and the board's answers.\n"
     "  rtwctl messages reprocess ID... [--journal FILE]\n"
     "      Sends dead or rejected messages through again (the running gateway picks them up).\n"
     "  rtwctl messages purge --older-than DAYS [--journal FILE]\n"
     "      Empties the payloads of delivered messages; ids, states and ACKs stay.\n"
     "  Each takes --journal FILE (SQLite, default var/journal.sqlite) or\n"
     "  --postgresql CONNINFO (a shared PostgreSQL journal, e.g. \"host=db dbname=rtw\").\n",
     runMessages},
    {"map",
     "  rtwctl map --partner ID FILE... [--out DIR] [--trace] [--today YYYY-MM-DD]\n"
     "             [--partners DIR] [--plugins DIR] [--mappings DIR] [--schemas DIR]\n"
     "             [--boards DIR] [--kind K] [--incomplete]\n"
     "      Runs HL7 v2 messages through the partner's plugin and mappings without a server\n"
     "      (FILE.json: a FHIR R4 resource or Bundle, mapped by resourceType; FILE.csv: one\n"
     "      document per record, mapped as \"csv:K\" or the partner's one CSV kind; a\n"
     "      Task's focus \"ServiceRequest/ID\" is found among the run's FILE.json, as the\n"
     "      gateway finds what the partner sent before).\n"
     "      The document alone goes to stdout; with several, --out DIR writes each to\n"
     "      DIR/<file>.<n>.<type>.xml (<file> the input's name without its extension, <n>\n"
     "      the document's number from that file) and without --out they are refused.\n"
     "      stderr tells which message made which document, the mapping's findings and\n"
     "      the validation problems; --trace adds, per field, the rule and the source\n"
     "      value behind it. --incomplete loads a mapping still being written, which\n"
     "      does not yet write every element its XSD requires (the gateway refuses it).\n"
     "      Exit 0 when every message gave valid documents, 1 when any was rejected, 2 for\n"
     "      several documents without --out.\n",
     runMap},
    {"partners",
     "  rtwctl partners list [--partners DIR] [--plugins DIR]\n"
     "      Loads the partner registry as the gateway does (every file strictly, each\n"
     "      partner's plugin and its settings) and lists each partner: id, channels (the\n"
     "      sections of its file), the certificate matchers, the plugin. A file that is\n"
     "      wrong is named with its line (exit 1).\n"
     "  rtwctl partners bind CERT.pem CHANNEL [--partners DIR]\n"
     "      Which partner the gateway binds the client certificate to on CHANNEL (mllp,\n"
     "      fhir, files), or why it would refuse it. Exit 0 when bound, 1 when refused.\n",
     runPartners},
};

void printUsage(std::ostream& out) {
  out << "usage:\n";
  for (const auto& command : kCommands) {
    out << command.usage;
  }
}

}  // namespace
}  // namespace rtw::app::cli

int main(int argc, char** argv) {
  using namespace rtw::app::cli;
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "help") == 0) {
    printUsage(std::cout);
    return argc < 2 ? kUsage : kOk;
  }
  const std::string name = argv[1];
  for (const auto& command : kCommands) {
    if (name != command.name) {
      continue;
    }
    try {
      return command.run(argc, argv);
    } catch (const UsageError& e) {
      std::cerr << "rtwctl " << name << ": " << e.what() << "\nusage:\n" << command.usage;
      return kUsage;
    } catch (const Poco::Exception& e) {
      std::cerr << "rtwctl " << name << ": " << e.displayText() << "\n";
      return kFailed;
    } catch (const std::exception& e) {
      std::cerr << "rtwctl " << name << ": " << e.what() << "\n";
      return kFailed;
    }
  }
  std::cerr << "rtwctl: unknown command '" << name << "'\n";
  printUsage(std::cerr);
  return kUsage;
}
