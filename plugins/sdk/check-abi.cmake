# Pins the plugin ABI version to the SDK headers (plugins/sdk/abi.lock):
#   cmake -DSDK_DIR=plugins/sdk [-DSTAMP=file] -P plugins/sdk/check-abi.cmake
# fails when the headers' declarations changed but kAbiVersion did not (a
# plugin built against the old headers would load, pass the version check
# and misbehave), or when kAbiVersion changed without the new headers being
# recorded. After a deliberate change, bump kAbiVersion in abi.h and record:
#   cmake -DSDK_DIR=plugins/sdk -DUPDATE=ON -P plugins/sdk/check-abi.cmake
# Comments and white space are not part of the ABI: editing them needs no bump.
cmake_minimum_required(VERSION 3.25)
get_filename_component(SDK_DIR "${SDK_DIR}" ABSOLUTE)

file(GLOB headers RELATIVE "${SDK_DIR}/include" "${SDK_DIR}/include/rtw/sdk/*.h")
list(SORT headers)
set(declarations "")
foreach(header IN LISTS headers)
  file(READ "${SDK_DIR}/include/${header}" text)
  string(REGEX REPLACE "//[^\n]*" "" text "${text}")
  # The version numbers themselves are what the check compares, not part of the hash.
  string(REGEX REPLACE "kAbiVersion = [0-9]+" "kAbiVersion" text "${text}")
  string(REGEX REPLACE "kSdkVersion = \"[^\"]*\"" "kSdkVersion" text "${text}")
  string(REGEX REPLACE "[ \t\r\n]+" " " text "${text}")
  string(APPEND declarations "${header}: ${text}\n")
endforeach()
if(NOT headers)
  message(FATAL_ERROR "no SDK headers in ${SDK_DIR}/include/rtw/sdk")
endif()
string(SHA256 hash "${declarations}")

file(READ "${SDK_DIR}/include/rtw/sdk/abi.h" abi)
if(NOT abi MATCHES "kAbiVersion = ([0-9]+)")
  message(FATAL_ERROR "${SDK_DIR}/include/rtw/sdk/abi.h has no kAbiVersion")
endif()
set(version "${CMAKE_MATCH_1}")

set(lock "${SDK_DIR}/abi.lock")
if(UPDATE)
  file(WRITE "${lock}" "abi ${version} sha256 ${hash}\n")
  message(STATUS "abi.lock: ABI ${version} is the headers as they are now")
  return()
endif()
file(READ "${lock}" recorded)
if(NOT recorded MATCHES "abi ([0-9]+) sha256 ([0-9a-f]+)")
  message(FATAL_ERROR "${lock} is not 'abi N sha256 HASH'")
endif()
set(locked_version "${CMAKE_MATCH_1}")
set(locked_hash "${CMAKE_MATCH_2}")
set(update "cmake -DSDK_DIR=plugins/sdk -DUPDATE=ON -P plugins/sdk/check-abi.cmake")
if(version STREQUAL locked_version AND NOT hash STREQUAL locked_hash)
  message(FATAL_ERROR
    "The plugin SDK headers changed but kAbiVersion is still ${version}: plugins built against "
    "the old headers would load and misbehave. Bump kAbiVersion in plugins/sdk/include/rtw/sdk/abi.h "
    "(saying what changed), then record the headers: ${update}")
endif()
if(NOT version STREQUAL locked_version)
  message(FATAL_ERROR
    "kAbiVersion is ${version} but plugins/sdk/abi.lock records ABI ${locked_version}: once the "
    "headers are final, record them: ${update}")
endif()
if(STAMP)
  file(TOUCH "${STAMP}")
endif()
