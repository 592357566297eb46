#pragma once
/// @file
/// The plugin ABI: the first thing the host reads from a plugin library.
/// Only plain types cross here, so a host can read the info of a plugin
/// built against any SDK version and refuse it with a clear message.

#include <cstdint>

#include <boost/config.hpp>

namespace rtw::sdk {

/// Bumped whenever a type in plugins/sdk changes layout or meaning.
/// 2: TranslationContext::applyMapping/documentCount/document and
/// DocumentBuilder::get/kind (the host runs the partner's mappings).
/// 3: Hl7View::get/getAll read one primitive (a field with components read
/// its whole repetition before); Hl7View::getEncoded reads it whole.
/// 4 (SDK 3): a view per format behind MessageView (HL7 v2, FHIR, XML, a CSV
/// record) and the raw payload; every host call noexcept (newDocument and
/// document return pointers, DocumentBuilder::set a Status); the partner's
/// plugin settings, declared with SettingSpecs.
/// plugins/sdk/abi.lock pins this number to the headers: changing a header
/// without bumping it fails the build (plugins/sdk/CMakeLists.txt).
inline constexpr std::uint32_t kAbiVersion = 4;

/// The SDK release the plugin was compiled against (informational).
inline constexpr const char* kSdkVersion = "3.0.0";

/// Identifies the compiler and standard library, since the SDK passes C++
/// types (std::string, virtual interfaces) across the boundary.
#if defined(__GLIBCXX__)
inline constexpr const char* kCompilerId = "gcc-libstdc++-cxx11abi";
#else
inline constexpr const char* kCompilerId = "unknown";
#endif

/// What a plugin says about itself. A POD so that any host can read it.
struct PluginInfo {
  std::uint32_t abi_version;  ///< must equal the host's kAbiVersion
  const char* sdk_version;    ///< kSdkVersion at the plugin's build
  const char* compiler;       ///< kCompilerId at the plugin's build
  const char* name;           ///< e.g. "generic"
  const char* description;    ///< one line for operators
};

/// Export names (BOOST_DLL_ALIAS) every plugin defines in its plugin.cpp.
inline constexpr const char* kInfoAlias = "rtw_plugin_info";
inline constexpr const char* kFactoryAlias = "rtw_plugin_create";

}  // namespace rtw::sdk
