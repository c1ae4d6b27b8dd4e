#pragma once
#include <map>
#include <string>
#include <vector>

namespace cdc {

// What a step may say, for one of its actions: its options (with their choices where they
// are few), flags and body.
struct StepForm {
  enum class Body { None, Required, Optional };
  enum class BodyKind { Text, Json, Events, Records, Sql };
  std::map<std::string, std::vector<std::string>> options{};  // name -> choices ({} = any)
  std::vector<std::string> flags{};
  Body body = Body::None;
  BodyKind body_kind = BodyKind::Text;
};

// One directive of the scenario-file language as the check, `run --help` and the README see
// it. Its forms are keyed by action: "" for a step without one (`sql`), "*" for an action
// that is a name (`fault NAME`, `signal TYPE`).
struct StepKind {
  std::string directive{};
  std::vector<std::string> usages{};  // as the README's step table writes them, one row each
  std::string summary{};              // one line, for `run --help`
  std::map<std::string, StepForm> forms{};
};

}  // namespace cdc
