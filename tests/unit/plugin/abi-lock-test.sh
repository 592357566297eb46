#!/usr/bin/env bash
# The ABI pin (plugins/sdk/check-abi.cmake) on a copy of the SDK: the headers
# as committed pass; a comment edit passes; a new virtual function without a
# bump fails, naming kAbiVersion; a bump without recording the headers fails,
# saying how to record them; recorded, it passes.
set -euo pipefail
source_dir="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$source_dir/plugins/sdk" "$work/sdk"
check() { cmake -DSDK_DIR="$work/sdk" -P "$source_dir/plugins/sdk/check-abi.cmake" >"$work/out" 2>&1; }
expect_pass() { check || { cat "$work/out"; echo "FAIL: $1 was refused"; exit 1; }; }
expect_fail() {
  if check; then echo "FAIL: $1 passed"; exit 1; fi
  grep -q "$2" "$work/out" || { cat "$work/out"; echo "FAIL: $1: no '$2' in the message"; exit 1; }
}
header="$work/sdk/include/rtw/sdk/message.h"
abi="$work/sdk/include/rtw/sdk/abi.h"

expect_pass "the committed headers"
sed -i 's|/// The bytes as the partner sent them|/// The bytes exactly as the partner sent them|' "$header"
expect_pass "a comment edit"
sed -i 's|  virtual int line() const noexcept = 0;|  virtual int line() const noexcept = 0;\n  virtual int column() const noexcept = 0;|' "$header"
expect_fail "a new virtual function without a bump" "Bump kAbiVersion"
version="$(sed -n 's/.*kAbiVersion = \([0-9]*\);.*/\1/p' "$abi")"
sed -i "s/kAbiVersion = $version;/kAbiVersion = $((version + 1));/" "$abi"
expect_fail "a bump without recording the headers" "record them"
cmake -DSDK_DIR="$work/sdk" -DUPDATE=ON -P "$source_dir/plugins/sdk/check-abi.cmake" >/dev/null
expect_pass "the bump, recorded"
echo "abi pin: 5 cases as expected"
