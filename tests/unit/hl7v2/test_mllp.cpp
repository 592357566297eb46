// MLLP framing over a stream that splits and merges frames arbitrarily.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "rtw/hl7v2/mllp.h"

using rtw::hl7v2::MllpEvent;
using rtw::hl7v2::mllpFrame;
using rtw::hl7v2::MllpFramer;
using Kind = rtw::hl7v2::MllpEvent::Kind;

namespace {

std::vector<MllpEvent> drain(MllpFramer& framer) {
  std::vector<MllpEvent> events;
  while (auto event = framer.next()) {
    events.push_back(std::move(*event));
  }
  return events;
}

std::vector<MllpEvent> feedAll(MllpFramer& framer, std::string_view bytes) {
  framer.feed(bytes);
  return drain(framer);
}

// "F:<payload>", "J:<count>" or "O:<excerpt>", for compact assertions.
std::vector<std::string> describe(const std::vector<MllpEvent>& events) {
  std::vector<std::string> out;
  for (const MllpEvent& event : events) {
    const char* tag = event.kind == Kind::kFrame ? "F:" : event.kind == Kind::kJunk ? "J:" : "O:";
    out.push_back(tag + event.payload);
  }
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("mllpFrame wraps a payload in VT ... FS CR", "[hl7v2][mllp]") {
  CHECK(mllpFrame("MSH|x") == "\x0bMSH|x\x1c\r");
  CHECK(mllpFrame("") == "\x0b\x1c\r");
}

TEST_CASE("one frame in one feed", "[hl7v2][mllp]") {
  MllpFramer framer;
  CHECK_FALSE(framer.next().has_value());
  CHECK(describe(feedAll(framer, mllpFrame("MSH|one\rPID|1\r"))) == Strings{"F:MSH|one\rPID|1\r"});
  CHECK_FALSE(framer.inFrame());
  CHECK(framer.buffered() == 0);
}

TEST_CASE("frames split byte by byte", "[hl7v2][mllp]") {
  MllpFramer framer;
  std::string stream = mllpFrame("MSH|one") + mllpFrame("MSH|two");
  std::vector<MllpEvent> events;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    framer.feed(stream.substr(i, 1));
    if (i == 3) {
      CHECK(framer.inFrame());
      CHECK(framer.buffered() == 4);
    }
    for (MllpEvent& event : drain(framer)) {
      events.push_back(std::move(event));
    }
  }
  CHECK(describe(events) == Strings{"F:MSH|one", "F:MSH|two"});
  CHECK(framer.buffered() == 0);
}

TEST_CASE("several frames in one feed", "[hl7v2][mllp]") {
  MllpFramer framer;
  std::string stream;
  for (int i = 0; i < 50; ++i) {
    stream += mllpFrame("MSH|" + std::to_string(i));
  }
  auto events = feedAll(framer, stream);
  REQUIRE(events.size() == 50);
  CHECK(events.front().payload == "MSH|0");
  CHECK(events.back().payload == "MSH|49");
}

TEST_CASE("junk between frames is reported and dropped", "[hl7v2][mllp]") {
  MllpFramer framer;
  std::string stream = "hello" + mllpFrame("MSH|a") + "\r\n" + mllpFrame("MSH|b") + "xyz";
  CHECK(describe(feedAll(framer, stream)) == Strings{"J:5", "F:MSH|a", "J:2", "F:MSH|b", "J:3"});
  CHECK(framer.buffered() == 0);
  CHECK_FALSE(framer.inFrame());
  // Junk arriving in pieces is reported as it comes.
  CHECK(describe(feedAll(framer, "ab")) == Strings{"J:2"});
  CHECK(describe(feedAll(framer, "c\x0bMSH|c\x1c\r")) == Strings{"J:1", "F:MSH|c"});
}

TEST_CASE("an oversize frame is reported once and the next frame still arrives", "[hl7v2][mllp]") {
  MllpFramer framer(100);
  std::string big = "MSH|^~\\&|APP|FAC|||||ADT^A01|BIG1|P|2.5\r" + std::string(500, 'x');
  std::string stream = mllpFrame(big) + mllpFrame("MSH|ok");
  std::vector<MllpEvent> events;
  for (std::size_t i = 0; i < stream.size(); i += 7) {
    framer.feed(stream.substr(i, 7));
    for (MllpEvent& event : drain(framer)) {
      events.push_back(std::move(event));
    }
    CHECK(framer.buffered() <= 110);
  }
  CHECK(describe(events) == Strings{"O:MSH|^~\\&|APP|FAC|||||ADT^A01|BIG1|P|2.5", "F:MSH|ok"});

  // The same in a single feed, and a frame of exactly the limit is fine.
  MllpFramer whole(100);
  std::string exact(100, 'y');
  auto all = feedAll(whole, mllpFrame(std::string(101, 'z')) + mllpFrame(exact));
  CHECK(describe(all) == Strings{"O:" + std::string(101, 'z'), "F:" + exact});
}

TEST_CASE("an abandoned frame past the maximum is oversize however the bytes arrive",
          "[hl7v2][mllp]") {
  // The sender starts a new frame without ending one that had passed the
  // limit: in one read the framer used to call it junk (the gateway closes
  // the connection), in small reads oversize (it answers AR and goes on).
  std::string big = "MSH|^~\\&|APP|FAC|||||ADT^A01|BIG1|P|2.5\r" + std::string(500, 'x');
  std::string stream = "\x0b" + big + mllpFrame("MSH|ok");
  const Strings expected{"O:MSH|^~\\&|APP|FAC|||||ADT^A01|BIG1|P|2.5", "F:MSH|ok"};

  MllpFramer whole(100);
  CHECK(describe(feedAll(whole, stream)) == expected);

  MllpFramer pieces(100);
  std::vector<MllpEvent> events;
  for (std::size_t i = 0; i < stream.size(); i += 7) {
    for (MllpEvent& event : feedAll(pieces, stream.substr(i, 7))) {
      events.push_back(std::move(event));
    }
  }
  CHECK(describe(events) == expected);
}

TEST_CASE("an FS without its CR still ends the frame", "[hl7v2][mllp]") {
  MllpFramer framer;
  std::string stream = "\x0bMSH|a\x1c\x0bMSH|b\x1c\r";
  CHECK(describe(feedAll(framer, stream)) == Strings{"F:MSH|a", "F:MSH|b"});

  // FS at the end of a read, its CR in the next one: the CR is not junk.
  CHECK(describe(feedAll(framer, "\x0bMSH|c\x1c")) == Strings{"F:MSH|c"});
  CHECK_FALSE(framer.inFrame());
  CHECK(describe(feedAll(framer, "\r")).empty());
  CHECK(describe(feedAll(framer, "\x0bMSH|d\x1c")) == Strings{"F:MSH|d"});
  CHECK(describe(feedAll(framer, "\x0bMSH|e\x1c\r")) == Strings{"F:MSH|e"});
}

TEST_CASE("a VT inside an open frame restarts it", "[hl7v2][mllp]") {
  MllpFramer framer;
  CHECK(describe(feedAll(framer, "\x0bMSH|lost")).empty());
  CHECK(framer.inFrame());
  CHECK(describe(feedAll(framer, "\x0bMSH|new\x1c\r")) == Strings{"J:9", "F:MSH|new"});
}

TEST_CASE("a big frame in small pieces is scanned once", "[hl7v2][mllp]") {
  // Quadratic rescanning would take minutes here; linear takes milliseconds.
  MllpFramer framer;
  std::string payload(4 * 1024 * 1024, 'p');
  std::string stream = mllpFrame(payload);
  std::size_t events = 0;
  for (std::size_t i = 0; i < stream.size(); i += 16) {
    framer.feed(std::string_view(stream).substr(i, 16));
    while (auto event = framer.next()) {
      ++events;
      CHECK(event->kind == Kind::kFrame);
      CHECK(event->payload.size() == payload.size());
    }
  }
  CHECK(events == 1);
}

namespace {

constexpr std::size_t kMiB = 1024 * 1024;

// Feeds `stream` in reads of 64 KiB, as a socket delivers it.
std::vector<MllpEvent> feedInReads(MllpFramer& framer, std::string_view stream) {
  std::vector<MllpEvent> events;
  for (std::size_t at = 0; at < stream.size(); at += 64 * 1024) {
    for (MllpEvent& event : feedAll(framer, stream.substr(at, 64 * 1024))) {
      events.push_back(std::move(event));
    }
  }
  return events;
}

}  // namespace

TEST_CASE("a buffer grown for a big frame is given back once the frame is consumed",
          "[hl7v2][mllp]") {
  MllpFramer framer;
  const std::string payload(8 * kMiB, 'p');
  const std::string stream = mllpFrame(payload);
  CHECK(feedInReads(framer, std::string_view(stream).substr(0, stream.size() - 2)).empty());
  framer.feed("\x1c\r");
  const auto frame = framer.next();  // the caller stores it before asking for more
  REQUIRE(frame);
  CHECK(frame->payload == payload);
  CHECK(framer.capacity() < kMiB);  // given back with the frame, not at the next read
  CHECK_FALSE(framer.next());
  CHECK(describe(feedAll(framer, mllpFrame("MSH|after"))) == Strings{"F:MSH|after"});
}

TEST_CASE("a big frame followed by the start of the next in one read: only the rest is kept",
          "[hl7v2][mllp]") {
  MllpFramer framer;
  const std::string payload(4 * kMiB, 'p');
  const auto events = feedInReads(framer, mllpFrame(payload) + "\x0bMSH|ne");
  REQUIRE(events.size() == 1);
  CHECK(events[0].payload.size() == payload.size());
  CHECK(framer.inFrame());
  CHECK(describe(feedAll(framer, "xt\x1c\r")) == Strings{"F:MSH|next"});
  CHECK(framer.capacity() < kMiB);
}

TEST_CASE("an oversize frame's buffer is given back after its end", "[hl7v2][mllp]") {
  MllpFramer framer(kMiB);
  const auto events = feedInReads(framer, mllpFrame("MSH|big\r" + std::string(3 * kMiB, 'x')));
  CHECK(describe(events) == Strings{"O:MSH|big"});
  CHECK(framer.capacity() < kMiB);
  CHECK(describe(feedAll(framer, mllpFrame("MSH|small"))) == Strings{"F:MSH|small"});
}

TEST_CASE("the buffer of ordinary frames is kept for the next ones", "[hl7v2][mllp]") {
  MllpFramer framer;
  const std::string payload(100 * 1024, 'p');
  CHECK(feedAll(framer, mllpFrame(payload)).size() == 1);
  CHECK(framer.capacity() >= payload.size());  // no allocation per message
}
