#include "harness/scenario_file/scenario_check.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "harness/scenario_file/expectations.hpp"

namespace cdc {

namespace {

using Body = StepForm::Body;
using BodyKind = StepForm::BodyKind;

std::string listed(const std::vector<std::string>& items, const std::string& last = "or") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " " + last + " " : ", ";
    out += items[i];
  }
  return out;
}

template <typename Map>
std::vector<std::string> keys_of(const Map& map) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : map) keys.push_back(key);
  return keys;
}

const std::regex& reference() {
  static const std::regex r(R"(\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\})");
  return r;
}

bool has_reference(const std::string& text) {
  for (std::sregex_iterator it(text.begin(), text.end(), reference()), end; it != end; ++it) {
    if ((*it)[1].length() == 0) return true;
  }
  return false;
}

bool is_duration(const std::string& text) {
  static const std::regex form(R"(\d+(ms|s|m))");
  return std::regex_match(text, form);
}

class Checker {
 public:
  Checker(const ScenarioText& text, const ScenarioVocabulary& vocabulary)
      : text_(text), vocabulary_(vocabulary) {
    for (const auto& v : vocabulary.variables) known_.insert(v);
  }

  std::vector<std::string> check() {
    for (const auto& step : text_.steps) check_step(step);
    return std::move(errors_);
  }

 private:
  void error(int line, const std::string& what) { errors_.push_back(text_.at(line, what)); }

  void check_references(int line, const std::string& text) {
    for (std::sregex_iterator it(text.begin(), text.end(), reference()), end; it != end; ++it) {
      if ((*it)[1].length() > 0) continue;
      const std::string name = (*it)[2];
      if (known_.count(name)) continue;
      const bool later =
          std::count(connector_variables().begin(), connector_variables().end(), name) > 0;
      error(line,
            "unknown variable ${" + name + "}" +
                (later ? ": it is set by `connector register`, which comes later"
                       : ": set it with `set " + name + " = …` before this line, or write $${" +
                             name + "} for a literal") +
                " (known here: " + listed({known_.begin(), known_.end()}, "and") + ")");
    }
  }

  void check_step(const ScenarioStep& step) {
    const std::string d = step.directive();
    const auto found = std::find_if(vocabulary_.steps.begin(), vocabulary_.steps.end(),
                                    [&](const StepKind& kind) { return kind.directive == d; });
    if (found == vocabulary_.steps.end()) {
      std::vector<std::string> directives;
      for (const auto& kind : vocabulary_.steps) directives.push_back(kind.directive);
      error(step.line, "`" + d + "` is not a step: use " + listed(directives) +
                           " (README \"Scenario files\")");
      return;
    }
    // The connector's own names are set before its settings are read.
    if (d == "connector" && step.action() == "register") {
      for (const auto& v : connector_variables()) known_.insert(v);
    }
    check_references(step.line, step.header);
    for (size_t i = 0; i < step.body.size(); ++i)
      check_references(step.body_line_numbers[i], step.body[i]);
    if (d == "set") return check_set(step);

    const auto& actions = found->forms;
    const StepForm* form = nullptr;
    if (const auto a = actions.find(step.action()); a != actions.end() && !step.action().empty()) {
      form = &a->second;
    } else if (const auto any = actions.find("*"); any != actions.end()) {
      form = &any->second;
      if (step.action().empty()) {
        error(step.line, d == "fault" ? "name the fault: fault NAME, fault start NAME or fault "
                                        "heal NAME (faults: " +
                                            listed(vocabulary_.faults) + ")"
                                      : "name the signal: signal execute-snapshot");
        return;
      }
    } else if (const auto none = actions.find(""); none != actions.end()) {
      form = &none->second;
    } else {
      std::vector<std::string> names = keys_of(actions);
      error(step.line, (step.action().empty()
                            ? "`" + d + "` needs an action"
                            : "`" + d + " " + step.action() + "` is not an action of `" + d + "`") +
                           ": use " + listed(names));
      return;
    }
    const std::string name =
        "`" + d + (actions.count("") || actions.count("*") ? "" : " " + step.action()) + "`";
    if (d == "fault") check_fault(step);
    check_options(step, *form, name);
    check_body(step, *form, name);
  }

  void check_set(const ScenarioStep& step) {
    static const std::regex form(R"(^set\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$)");
    std::smatch m;
    if (!std::regex_match(step.header, m, form)) {
      error(step.line, "write `set NAME = VALUE` (letters, digits and _ in NAME)");
      return;
    }
    known_.insert(m[1]);
    if (!step.body.empty()) {
      error(step.body_line_numbers.front(),
            "`set` takes no body: end the step before this line, or make it a step");
    }
  }

  void check_fault(const ScenarioStep& step) {
    const bool phased = step.action() == "start" || step.action() == "heal";
    const std::string fault = phased ? (step.words.size() > 2 ? step.words[2] : "") : step.action();
    if (fault.empty()) {
      error(step.line, "name the fault: fault " + step.action() +
                           " NAME (faults: " + listed(vocabulary_.faults) + ")");
      return;
    }
    if (!vocabulary_.faults.empty() && !has_reference(fault) &&
        std::count(vocabulary_.faults.begin(), vocabulary_.faults.end(), fault) == 0) {
      error(step.line,
            "`" + fault + "` is not a fault of the catalogue: use " + listed(vocabulary_.faults));
    }
  }

  void check_options(const ScenarioStep& step, const StepForm& form, const std::string& name) {
    std::vector<std::string> declared = keys_of(form.options);
    const std::string choices =
        declared.empty() ? "it takes none"
                         : "its options are " + listed(declared, "and") +
                               (form.flags.empty() ? "" : ", its flags " + listed(form.flags));
    for (const auto& [key, value] : step.options) {
      const auto option = form.options.find(key);
      if (option == form.options.end()) {
        error(step.line, "`" + key + "=` is not an option of " + name + ": " + choices);
        continue;
      }
      const auto& allowed = option->second;
      if (!allowed.empty() && !has_reference(value) &&
          std::count(allowed.begin(), allowed.end(), value) == 0) {
        error(step.line,
              key + "=" + value + " is not one of " + key + "'s choices: use " + listed(allowed));
      }
      if (key == "timeout" && !has_reference(value) && !is_duration(value)) {
        error(step.line, "timeout=" + value + " is not a duration: write 500ms, 30s or 2m");
      }
    }
    const bool flags_are_words = step.directive() == "fault";  // fault start NAME
    for (const auto& flag : step.flags) {
      if (flags_are_words) continue;
      if (std::count(form.flags.begin(), form.flags.end(), flag) == 0) {
        error(step.line,
              "`" + flag + "` is not a flag of " + name + ": " +
                  (form.flags.empty() ? "it takes none" : "its flags are " + listed(form.flags)) +
                  (declared.empty() ? "" : ", its options " + listed(declared, "and")));
      }
    }
  }

  void check_body(const ScenarioStep& step, const StepForm& form, const std::string& name) {
    if (form.body == Body::None && !step.body.empty()) {
      error(step.body_line_numbers.front(),
            name +
                " takes no body, but this line follows it: end the step with a blank line, "
                "or start the line with a step");
      return;
    }
    const bool filled_by_record = vocabulary_.recording && step.directive() == "expect";
    if (form.body == Body::Required && step.body.empty() && !filled_by_record) {
      error(step.line,
            name + " needs a body on the lines after it (" +
                (form.body_kind == BodyKind::Sql ? "SQL statements" : "one item a line") + ")");
      return;
    }
    if (form.body_kind == BodyKind::Json && !step.body.empty()) {
      const std::string body = step.body_text();
      if (!has_reference(body) && !nlohmann::json::accept(body)) {
        error(step.body_line_numbers.front(),
              name + "'s body is not JSON: " +
                  (step.directive() == "connector" ? "write a JSON object of settings"
                                                   : "write the signal's data as JSON"));
      }
    }
    if (form.body_kind == BodyKind::Events || form.body_kind == BodyKind::Records) {
      for (size_t i = 0; i < step.body.size(); ++i) {
        if (has_reference(step.body[i])) continue;
        try {
          if (form.body_kind == BodyKind::Events) {
            parse_event_line(step.body[i], step.body_line_numbers[i]);
          } else {
            parse_record_line(step.body[i], step.body_line_numbers[i]);
          }
        } catch (const std::exception& e) {
          error(step.body_line_numbers[i], e.what());
        }
      }
    }
  }

  const ScenarioText& text_;
  const ScenarioVocabulary& vocabulary_;
  std::set<std::string> known_;
  std::vector<std::string> errors_;
};

}  // namespace

const std::vector<std::string>& connector_variables() {
  static const std::vector<std::string> names = {"connector", "slot", "topic_prefix"};
  return names;
}

std::vector<std::string> check_scenario(const ScenarioText& text,
                                        const ScenarioVocabulary& vocabulary) {
  return Checker(text, vocabulary).check();
}

}  // namespace cdc
