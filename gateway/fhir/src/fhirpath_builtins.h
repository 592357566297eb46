#pragma once
// The functions of the table in fhirpath_functions.cpp that live in their
// own files: text (fhirpath_strings.cpp) and FHIR's own (fhirpath_resolve.cpp).

#include "fhirpath_eval.h"

namespace rtw::fhir::detail::builtins {

// Text functions: the input is one string (empty gives empty).
Collection startsWith(Evaluator& e, const Expr& call, Collection input, const Collection& focus);
Collection endsWith(Evaluator& e, const Expr& call, Collection input, const Collection& focus);
Collection containsText(Evaluator& e, const Expr& call, Collection input, const Collection& focus);
Collection matches(Evaluator& e, const Expr& call, Collection input, const Collection& focus);
Collection indexOf(Evaluator& e, const Expr& call, Collection input, const Collection& focus);
Collection substring(Evaluator& e, const Expr& call, Collection input, const Collection& focus);
Collection length(Evaluator& e, const Expr& call, Collection input, const Collection& focus);
Collection upper(Evaluator& e, const Expr& call, Collection input, const Collection& focus);
Collection lower(Evaluator& e, const Expr& call, Collection input, const Collection& focus);
Collection toString(Evaluator& e, const Expr& call, Collection input, const Collection& focus);

// FHIR: references within the Bundle and contained resources; extensions by URL.
Collection resolve(Evaluator& e, const Expr& call, Collection input, const Collection& focus);
Collection extension(Evaluator& e, const Expr& call, Collection input, const Collection& focus);

/// The one integer argument `n` of a call (skip(2), substring(0, 3)).
long long integerArgument(Evaluator& e, const Expr& call, std::size_t n, const Collection& focus);
/// The one string argument `n` of a call; nothing when it is empty.
std::optional<std::string> stringArgument(Evaluator& e, const Expr& call, std::size_t n,
                                          const Collection& focus);

}  // namespace rtw::fhir::detail::builtins
