// rtwctl hl7 parse / ack, run as the built binary on real files: the exact
// output and exit code a user gets.

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;

const std::string kSample = RTW_SOURCE_DIR "/tests/data/hl7/ref-i12-sample.hl7";
const std::string kCorpus = RTW_CORPUS_DIR "/hl7v2/";

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A scratch folder for input files and captured output, removed afterwards.
class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "rtwctl-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    dir_ = pattern;
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  std::string write(const std::string& name, const std::string& bytes) const {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return (dir_ / name).string();
  }

  // Runs `rtwctl hl7 <args>`; arguments are single-quoted for the shell.
  Run hl7(const std::vector<std::string>& args) const {
    std::string command = "'" RTW_BINARY_DIR "/bin/rtwctl' hl7";
    for (const std::string& arg : args) {
      command += " '" + arg + "'";
    }
    command += " >'" + (dir_ / "out").string() + "' 2>'" + (dir_ / "err").string() + "'";
    int raw = std::system(command.c_str());
    Run run;
    run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    run.out = readText(dir_ / "out");
    run.err = readText(dir_ / "err");
    return run;
  }

 private:
  fs::path dir_;
};

const std::string kMsh = "MSH|^~\\&|APP|FAC|RTWGW|WSBC|20250301||ADT^A04|";

}  // namespace

TEST_CASE("hl7 parse --get prints one value per line", "[rtwctl][hl7]") {
  Scratch scratch;
  Run run = scratch.hl7({"parse", kSample, "--get", "MSH-10", "--get", "PID-3(2).1", "--get",
                         "PID-5", "--get", "ACC-8", "--get", "ZZZ-1", "--get", "MSH-9.2"});
  CHECK(run.status == 0);
  CHECK(run.err.empty());
  CHECK(run.out == "MSG0001\n12345678\nDoe\nLifting boxes & twisting\n\nI12\n");
}

TEST_CASE("hl7 parse --raw prints each position whole with its separators", "[rtwctl][hl7]") {
  Scratch scratch;
  std::string file =
      scratch.write("name.hl7", kMsh +
                                    "C1|P|2.5||||||UNICODE UTF-8\rPID|1||A1^^^BC&2.16&ISO^PHN~B2||"
                                    "Lefebvre-Ng&van&Ng^Chlo\xC3\xA9||||||||A\\T\\B^C\r");
  Run plain = scratch.hl7({"parse", file, "--get", "PID-5", "--get", "PID-5.2", "--get", "PID-3(*)",
                           "--get", "PID-13"});
  CHECK(plain.status == 0);
  CHECK(plain.out == "Lefebvre-Ng\nChlo\xC3\xA9\nA1\nB2\nA&B\n");
  Run raw = scratch.hl7({"parse", file, "--raw", "--get", "PID-5", "--get", "PID-5.1", "--get",
                         "PID-3(*)", "--get", "PID-13"});
  CHECK(raw.status == 0);
  CHECK(raw.err.empty());
  CHECK(raw.out ==
        "Lefebvre-Ng&van&Ng^Chlo\xC3\xA9\nLefebvre-Ng&van&Ng\nA1^^^BC&2.16&ISO^PHN\nB2\nA&B^C\n");
}

TEST_CASE("hl7 parse --get with --json prints one object per message", "[rtwctl][hl7]") {
  Scratch scratch;
  Run run = scratch.hl7({"parse", kSample, "--json", "--get", "PID-5", "--get", "PID-3(*).1",
                         "--get", "ZZZ-1", "--get", "PID-5", "--get", "NTE[*]-3"});
  CHECK(run.status == 0);
  CHECK(run.out ==
        R"({"PID-5":"Doe","PID-3(*).1":["9698658215","12345678"],"ZZZ-1":"","NTE[*]-3":[]})"
        "\n");
  Run raw = scratch.hl7({"parse", kSample, "--json", "--raw", "--get", "PID-5"});
  CHECK(raw.out == R"({"PID-5":"Doe^Jane"})"
                   "\n");
}

TEST_CASE("hl7 parse prints one line per value of a '*' path", "[rtwctl][hl7]") {
  Scratch scratch;
  Run run = scratch.hl7({"parse", kSample, "--get", "PID-3(*).4", "--get", "PRD[*]-1.2", "--get",
                         "OBX[*]-5", "--get", "AUT-2"});
  CHECK(run.status == 0);
  CHECK(run.out == "BC\nWSBC\nReferring Provider\nReferred to Provider\nWSBC\n");

  Run corpus = scratch.hl7({"parse", kCorpus + "REF-I12-01.hl7", "--get", "MSH-9", "--get", "PID-5",
                            "--get", "PID-3(*).1", "--get", "PRD[*]-2.1"});
  CHECK(corpus.status == 0);
  CHECK(corpus.out ==
        "REF\nEVERYMAN\nPATID1234\n123456789\nPOWELL\n"
        "McWILLIAMS\n");
}

TEST_CASE("hl7 parse --json prints the whole message", "[rtwctl][hl7]") {
  Scratch scratch;
  Run run = scratch.hl7({"parse", kSample, "--json"});
  CHECK(run.status == 0);
  CHECK(
      run.out ==
      R"({"type":"REF^I12","control_id":"MSG0001","version":"2.5","segments":[)"
      R"({"id":"MSH","fields":[["|"],["^~\\&"],["CLINICEMR"],["CLINIC01"],["RTWGW"],["WSBC"],)"
      R"(["20250301101500-0800"],[],[["REF","I12","REF_I12"]],["MSG0001"],["P"],["2.5"],[],[],)"
      R"(["AL"],["AL"]]},)"
      R"({"id":"RF1","fields":[[["P","Pending","HL70283"]],[["R","Routine","HL70280"]],)"
      R"([["CRRTW","Customized Recovery and RTW","L"]],[],[],[["REF-0001","CLINICEMR"]],)"
      R"(["20250301"],["20250531"],[],[["O","Provider Ordered","HL70336"]],)"
      R"([["WR123456","WSBC"]]]},)"
      R"({"id":"AUT","fields":[[],[["WSBC","WorkSafeBC","L"]],[],["20250301"],["20250531"],)"
      R"(["AUTH998877"],[],["12"],["12"]]},)"
      R"({"id":"PRD","fields":[[["RP","Referring Provider","HL70286"]],[["Case","Morgan"]],)"
      R"([],[],[],[],[],[],[],[]]},)"
      R"({"id":"PRD","fields":[[["RT","Referred to Provider","HL70286"]],)"
      R"(["Harbour Physiotherapy"]]},)"
      R"({"id":"PID","fields":[["1"],[],[["9698658215","","","BC","JHN"],)"
      R"(["12345678","","","WSBC","WCN"]],[],[["Doe","Jane"]],[],["19800101"],["F"],[],[],)"
      R"([["1 Main St","","Vancouver","BC","V5K 0A1","CA"]]]},)"
      R"({"id":"ACC","fields":[["20250115"],[],[],[],["Y"],[],[],["Lifting boxes & twisting"]]},)"
      R"({"id":"DG1","fields":[["1"],[],[["S33.5","Sprain of lumbar spine","I10"]],[],[],["W"]]}]})"
      "\n");
}

TEST_CASE("hl7 parse --json nests subcomponents and keeps text as UTF-8", "[rtwctl][hl7]") {
  Scratch scratch;
  std::string file =
      scratch.write("latin1.hl7", kMsh + "C1|P|2.5\rPID|1||A1^^^BC&2.16&ISO^PHN||Ren\xE9\\S\\x\r");
  Run run = scratch.hl7({"parse", file, "--json", "--charset", "8859/1"});
  CHECK(run.status == 0);
  CHECK(run.out ==
        R"({"type":"ADT^A04","control_id":"C1","version":"2.5","segments":[)"
        R"({"id":"MSH","fields":[["|"],["^~\\&"],["APP"],["FAC"],["RTWGW"],["WSBC"],["20250301"],)"
        R"([],[["ADT","A04"]],["C1"],["P"],["2.5"]]},)"
        R"({"id":"PID","fields":[["1"],[],[["A1","","",["BC","2.16","ISO"],"PHN"]],[],)"
        "[\"Ren\xC3\xA9^x\"]]}]}\n");
  // Without the charset the byte is not UTF-8 and shows as U+FFFD.
  Run raw = scratch.hl7({"parse", file, "--json"});
  CHECK(raw.out.find("\"Ren\xEF\xBF\xBD^x\"") != std::string::npos);
  // Values and segments are printed as UTF-8 too.
  Run value = scratch.hl7({"parse", file, "--charset", "8859/1", "--get", "PID-5"});
  CHECK(value.out == "Ren\xC3\xA9^x\n");
  Run segments = scratch.hl7({"parse", file, "--charset", "8859/1"});
  CHECK(segments.out == kMsh + "C1|P|2.5\nPID|1||A1^^^BC&2.16&ISO^PHN||Ren\xC3\xA9\\S\\x\n");
}

TEST_CASE("hl7 parse prints every message of a file", "[rtwctl][hl7]") {
  Scratch scratch;
  std::string file =
      scratch.write("two.hl7", "FHS|^~\\&\nBHS|^~\\&\n" + kMsh + "C1|P|2.5\nPID|1||A1\n\n" + kMsh +
                                   "C2|P|2.5\nPID|1||A2\nBTS|2\nFTS|1\n");
  Run values = scratch.hl7({"parse", file, "--get", "MSH-10", "--get", "PID-3"});
  CHECK(values.status == 0);
  CHECK(values.err.empty());
  CHECK(values.out == "# message 1\nC1\nA1\n# message 2\nC2\nA2\n");
  Run segments = scratch.hl7({"parse", file});
  CHECK(segments.out == "# message 1\n" + kMsh + "C1|P|2.5\nPID|1||A1\n# message 2\n" + kMsh +
                            "C2|P|2.5\nPID|1||A2\n");
  Run json = scratch.hl7({"parse", file, "--json"});
  CHECK(std::count(json.out.begin(), json.out.end(), '\n') == 2);
  CHECK(json.out.rfind(R"({"type":"ADT^A04","control_id":"C1")", 0) == 0);
}

TEST_CASE("hl7 parse warns about a batch count and fails on a bad message", "[rtwctl][hl7]") {
  Scratch scratch;
  std::string miscounted = scratch.write("count.hl7", "BHS|^~\\&\r" + kMsh + "C1|P|2.5\rBTS|3\r");
  Run warned = scratch.hl7({"parse", miscounted, "--get", "MSH-10"});
  CHECK(warned.status == 0);
  CHECK(warned.out == "C1\n");
  CHECK(warned.err == miscounted + ": line 3: warning: BTS-1 says 3 messages, the batch holds 1\n");

  std::string mixed = scratch.write("mixed.hl7", kMsh + "C1|P|2.5\r" + "MSH|^~\\&|APP\r");
  Run failed = scratch.hl7({"parse", mixed, "--get", "MSH-10"});
  CHECK(failed.status == 1);
  CHECK(failed.out == "# message 1\nC1\n");
  CHECK(failed.err == mixed +
                          ": message 2 (line 2): not HL7 v2: MSH-9 (message type) is missing: the "
                          "MSH segment is truncated (segment 1, field 9)\n");
}

TEST_CASE("hl7 parse and ack exit 1 for a file that is not HL7", "[rtwctl][hl7]") {
  Scratch scratch;
  std::string junk = scratch.write("junk.txt", "hello\nworld\n");
  Run parse = scratch.hl7({"parse", junk, "--get", "MSH-10"});
  CHECK(parse.status == 1);
  CHECK(parse.out.empty());
  CHECK(parse.err == junk +
                         ": message 1 (line 1): not HL7 v2: message does not start with MSH "
                         "(segment 1, field 0)\n");
  std::string empty = scratch.write("empty.hl7", "");
  Run nothing = scratch.hl7({"parse", empty});
  CHECK(nothing.status == 1);
  CHECK(nothing.err == empty + ": not HL7 v2: no MSH segment: the input holds no HL7 message\n");
  Run missing = scratch.hl7({"parse", junk + ".absent"});
  CHECK(missing.status == 1);
  CHECK(missing.err == "rtwctl hl7: cannot read " + junk + ".absent\n");
  // The AR the gateway sends for such bytes.
  Run ack = scratch.hl7({"ack", junk, "--control-id", "ACK1", "--timestamp", "20250301"});
  CHECK(ack.status == 1);
  CHECK(ack.out ==
        "MSH|^~\\&|RTWGW|RTW|||20250301||ACK|ACK1|P|2.5\n"
        "MSA|AR|\n"
        "ERR||^1|100^Segment sequence error^HL70357|E||||message does not start with MSH\n");
}

TEST_CASE("hl7 ack prints the ACK with its segments on separate lines", "[rtwctl][hl7]") {
  Scratch scratch;
  Run aa = scratch.hl7({"ack", kSample, "--control-id", "ACK1", "--timestamp", "20250301101600"});
  CHECK(aa.status == 0);
  CHECK(aa.out ==
        "MSH|^~\\&|RTWGW|WSBC|CLINICEMR|CLINIC01|20250301101600||ACK^I12^ACK|ACK1|P|2.5\n"
        "MSA|AA|MSG0001\n");
  for (const char* code : {"AE", "AR", "CA", "CE", "CR"}) {
    Run run =
        scratch.hl7({"ack", kSample, "--code", code, "--control-id", "A", "--timestamp", "T"});
    CHECK(run.status == 0);
    CHECK(run.out == "MSH|^~\\&|RTWGW|WSBC|CLINICEMR|CLINIC01|T||ACK^I12^ACK|A|P|2.5\nMSA|" +
                         std::string(code) + "|MSG0001\n");
  }
  Run corpus =
      scratch.hl7({"ack", kCorpus + "ORU-R01-01.hl7", "--control-id", "A", "--timestamp", "T"});
  CHECK(corpus.status == 0);
  CHECK(corpus.out.rfind("MSH|^~\\&|", 0) == 0);
  CHECK(corpus.out.find("\nMSA|AA|") != std::string::npos);
}

TEST_CASE("hl7 ack stamps a fresh control id and the current UTC time", "[rtwctl][hl7]") {
  Scratch scratch;
  Run run = scratch.hl7({"ack", kSample});
  CHECK(run.status == 0);
  std::vector<std::string> fields;
  std::stringstream header(run.out.substr(0, run.out.find('\n')));
  for (std::string field; std::getline(header, field, '|');) {
    fields.push_back(field);
  }
  REQUIRE(fields.size() == 12);
  auto digits = [](std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  // MSH-7: YYYYMMDDHHMMSS+0000; MSH-10: RTW<microseconds>-0.
  const std::string time = fields[6];
  const std::string id = fields[9];
  CHECK(time.size() == 19);
  CHECK(digits(time.substr(0, 14)));
  CHECK(time.substr(14) == "+0000");
  CHECK(id.rfind("RTW", 0) == 0);
  CHECK(digits(id.substr(3, id.size() - 5)));
  CHECK(id.substr(id.size() - 2) == "-0");
  fields[6] = "T";
  fields[9] = "ID";
  std::string rest;
  for (const std::string& field : fields) {
    rest += field + "|";
  }
  CHECK(rest == "MSH|^~\\&|RTWGW|WSBC|CLINICEMR|CLINIC01|T||ACK^I12^ACK|ID|P|2.5|");
  CHECK(run.out.substr(run.out.find('\n') + 1) == "MSA|AA|MSG0001\n");
}

TEST_CASE("hl7 ack rejects a header it cannot accept and answers each message", "[rtwctl][hl7]") {
  Scratch scratch;
  std::string file = scratch.write("acks.hl7", kMsh + "C1|P|2.5\r" + kMsh + "|P|2.5|||XX\r");
  Run run = scratch.hl7({"ack", file, "--control-id", "A", "--timestamp", "T"});
  CHECK(run.status == 0);
  CHECK(run.out ==
        "MSH|^~\\&|RTWGW|WSBC|APP|FAC|T||ACK^A04^ACK|A-1|P|2.5\n"
        "MSA|AA|C1\n"
        "\n"
        "MSH|^~\\&|RTWGW|WSBC|APP|FAC|T||ACK^A04^ACK|A-2|P|2.5\n"
        "MSA|AR|\n"
        "ERR||MSH^1^10|101^Required field missing^HL70357|E||||MSH-10 (message control id) is "
        "required\n"
        "ERR||MSH^1^15|103^Table value not found^HL70357|E||||MSH-15 'XX' is not in table 0155 "
        "(AL, NE, ER, SU)\n");
  // An explicit positive code carries no errors; a negative one keeps them.
  Run ce = scratch.hl7({"ack", file, "--code", "CE", "--control-id", "A", "--timestamp", "T"});
  CHECK(ce.out.find("MSA|CE|C1\n\n") != std::string::npos);
  CHECK(ce.out.find("MSA|CE|\nERR||MSH^1^10|101") != std::string::npos);
}

TEST_CASE("hl7 usage errors exit 2", "[rtwctl][hl7]") {
  Scratch scratch;
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"frobnicate", kSample},
      {"parse"},
      {"parse", kSample, kSample},
      {"parse", kSample, "--get", "PID-3(*"},
      {"parse", kSample, "--raw"},
      {"parse", kSample, "--json", "--raw"},
      {"parse", kSample, "--code", "AA"},
      {"parse", kSample, "--charset", "EBCDIC"},
      {"ack", kSample, "--code", "AX"},
      {"ack", kSample, "--json"},
      {"ack", kSample, "--get", "PID-3"},
  };
  for (const auto& args : cases) {
    std::string joined;
    for (const auto& arg : args) {
      joined += arg + " ";
    }
    INFO(joined);
    Run run = scratch.hl7(args);
    CHECK(run.status == 2);
    CHECK(run.out.empty());
    CHECK(run.err.rfind("rtwctl hl7: ", 0) == 0);
    CHECK(run.err.find("usage:") != std::string::npos);
  }
}
