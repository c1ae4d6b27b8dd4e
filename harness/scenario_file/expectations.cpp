#include "harness/scenario_file/expectations.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "harness/common/text.hpp"

namespace cdc {
using nlohmann::json;

namespace {

// The end of the JSON value starting at `at`: a balanced {…} or […], a "string", or a
// bare word (number, true, false, null).
size_t value_end(const std::string& text, size_t at) {
  if (text[at] != '{' && text[at] != '[' && text[at] != '"') {
    const auto end = text.find_first_of(" \t", at);
    return end == std::string::npos ? text.size() : end;
  }
  int depth = 0;
  bool in_string = false;
  for (size_t i = at; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"') {
        in_string = false;
        if (depth == 0) return i + 1;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  throw std::invalid_argument("a JSON value is not closed: `" + text.substr(at) + "`");
}

// The line's items: positional JSON values, and name=JSON ones.
struct Items {
  std::vector<json> positional;
  std::map<std::string, json> named;
};

Items items_of(const std::string& text, size_t from) {
  Items items;
  size_t at = from;
  for (;;) {
    at = text.find_first_not_of(" \t\r", at);
    if (at == std::string::npos) break;
    std::string name;
    const auto eq = text.find('=', at);
    if (std::isalpha(static_cast<unsigned char>(text[at])) && eq != std::string::npos &&
        text.find_first_of(" \t{[\"", at) > eq) {
      name = text.substr(at, eq - at);
      at = eq + 1;
      if (at >= text.size()) throw std::invalid_argument(name + "= has no value");
    }
    const size_t end = value_end(text, at);
    json value;
    try {
      value = json::parse(text.substr(at, end - at));
    } catch (const json::parse_error&) {
      throw std::invalid_argument("`" + text.substr(at, end - at) +
                                  "` is not JSON (strings need double quotes)");
    }
    if (name.empty()) {
      items.positional.push_back(std::move(value));
    } else {
      items.named[name] = std::move(value);
    }
    at = end;
  }
  return items;
}

std::string op_code(const std::string& word) {
  static const std::map<std::string, std::string> codes = {{"r", "r"},
                                                           {"read", "r"},
                                                           {"c", "c"},
                                                           {"create", "c"},
                                                           {"u", "u"},
                                                           {"update", "u"},
                                                           {"d", "d"},
                                                           {"delete", "d"},
                                                           {"t", "t"},
                                                           {"truncate", "t"},
                                                           {"m", "m"},
                                                           {"message", "m"},
                                                           {"tombstone", "tombstone"}};
  const auto it = codes.find(word);
  if (it == codes.end()) {
    throw std::invalid_argument("`" + word + "` is not an op: use r, c, u, d, t, m or tombstone");
  }
  return it->second;
}

json unwrapped(json value) {
  if (value.is_object() && value.size() == 2 && value.contains("schema") &&
      value.contains("payload")) {
    return value["payload"];
  }
  return value;
}

std::vector<JsonMismatch> mismatches(const Expected& e, const Observed& o,
                                     const ExpectRules& rules) {
  std::vector<JsonMismatch> out;
  for (const auto& [field, value] : e.view.items()) {
    const json& seen = o.view.contains(field) ? o.view[field] : json();
    // The key and the op are what an item is; images, values and headers follow the mode
    // (source and headers name only what matters: always a subset).
    const MatchMode mode = (field == "key" || field == "op")           ? MatchMode::Exact
                           : (field == "source" || field == "headers") ? MatchMode::Subset
                                                                       : rules.match;
    auto found = json_mismatches(value, seen, mode, rules.ignore, field);
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

bool matches(const Expected& e, const Observed& o, const ExpectRules& rules) {
  return mismatches(e, o, rules).empty();
}

// A value as a failure message shows it: its long texts shortened, so one event (a TOASTed
// column) does not fill the screen.
json abbreviated(const json& value) {
  if (value.is_string()) return shortened(value.get_ref<const std::string&>());
  if (!value.is_structured()) return value;
  json out = value;
  for (auto& [name, member] : out.items()) member = abbreviated(member);
  return out;
}

std::string item_text(const Observed& o) {
  Observed shown = o;
  shown.view = abbreviated(o.view);
  return shown.view.contains("op") ? event_line(shown) : record_line(shown);
}

}  // namespace

Observed observed_event(const ChangeEvent& event) {
  Observed o;
  o.view = {{"op", to_string(event.op)},
            {"key", event.key},
            {"before", event.before ? *event.before : json()},
            {"after", event.after ? *event.after : json()},
            {"source",
             {{"schema", event.source.schema},
              {"table", event.source.table},
              {"snapshot", event.source.snapshot},
              {"lsn", event.source.lsn ? json(*event.source.lsn) : json()},
              {"txId", event.source.tx_id ? json(*event.source.tx_id) : json()}}}};
  o.key_text = event.key.dump();
  o.where = "partition " + std::to_string(event.kafka.partition) + ", offset " +
            std::to_string(event.kafka.offset);
  return o;
}

Observed observed_record(const json& key, const json& value, const json& headers,
                         const KafkaPosition& position) {
  Observed o;
  o.view = {{"key", unwrapped(key)}, {"value", unwrapped(value)}, {"headers", headers}};
  o.key_text = o.view["key"].dump();
  o.where = "partition " + std::to_string(position.partition) + ", offset " +
            std::to_string(position.offset);
  return o;
}

Expected parse_event_line(const std::string& text, int line) {
  Expected e;
  e.line = line;
  const size_t start = text.find_first_not_of(" \t");
  const size_t op_end = text.find_first_of(" \t", start);
  const std::string op = op_code(text.substr(start, op_end - start));
  const Items items = items_of(text, op_end == std::string::npos ? text.size() : op_end);
  e.view["op"] = op;
  if (items.positional.empty() && op != "t") {
    throw std::invalid_argument("an event needs its key after the op: " + op + " {\"id\": 1}");
  }
  if (items.positional.size() > 2) {
    throw std::invalid_argument(
        "an event has at most a key and an image; name others "
        "(before=…, after=…, source=…)");
  }
  e.view["key"] = items.positional.empty() ? json() : items.positional[0];
  if (items.positional.size() == 2) {
    e.view[op == "d" ? "before" : "after"] = items.positional[1];
  }
  for (const auto& [name, value] : items.named) {
    if (name != "before" && name != "after" && name != "source") {
      throw std::invalid_argument("`" + name +
                                  "=` is not an event's part: use before=, after= "
                                  "or source=");
    }
    e.view[name] = value;
  }
  e.key_text = e.view["key"].dump();
  return e;
}

Expected parse_record_line(const std::string& text, int line) {
  Expected e;
  e.line = line;
  const Items items = items_of(text, 0);
  if (items.positional.empty() || items.positional.size() > 2) {
    throw std::invalid_argument("a record is its key, then its value: {\"id\": 1} {\"a\": 2}");
  }
  e.view["key"] = items.positional[0];
  if (items.positional.size() == 2) e.view["value"] = items.positional[1];
  for (const auto& [name, value] : items.named) {
    if (name != "headers") {
      throw std::invalid_argument("`" + name + "=` is not a record's part: use headers=");
    }
    e.view[name] = value;
  }
  e.key_text = e.view["key"].dump();
  return e;
}

std::string event_line(const Observed& o) {
  const std::string op = o.view.value("op", "?");
  std::string line = op + " " + o.view["key"].dump();
  if (op == "d") {
    if (!o.view["before"].is_null()) line += " " + o.view["before"].dump();
  } else if (op != "tombstone" && op != "t") {
    line += " " + o.view["after"].dump();
    if (!o.view["before"].is_null()) line += " before=" + o.view["before"].dump();
  }
  return line;
}

std::string record_line(const Observed& o) {
  std::string line = o.view["key"].dump() + " " + o.view["value"].dump();
  if (o.view.contains("headers") && !o.view["headers"].empty())
    line += " headers=" + o.view["headers"].dump();
  return line;
}

ExpectOutcome match_expected(const std::vector<Expected>& expected,
                             const std::vector<Observed>& observed, const ExpectRules& rules) {
  ExpectOutcome outcome;
  std::vector<bool> done(expected.size(), false);
  // The expected items still owed, by key (one queue for all in Total order).
  std::map<std::string, std::vector<size_t>> owed;
  std::map<std::string, size_t> next;
  std::map<std::string, std::vector<size_t>> matched;
  const auto queue_of = [&](const std::string& key) {
    return rules.order == OrderMode::Total ? std::string() : key;
  };
  for (size_t i = 0; i < expected.size(); ++i) owed[queue_of(expected[i].key_text)].push_back(i);

  for (size_t at = 0; at < observed.size(); ++at) {
    const Observed& o = observed[at];
    const std::string q = queue_of(o.key_text);
    auto& queue = owed[q];
    size_t& pos = next[q];
    bool taken = false;
    if (rules.order == OrderMode::Unordered) {
      for (const size_t i : queue) {
        if (!done[i] && matches(expected[i], o, rules)) {
          done[i] = taken = true;
          matched[q].push_back(i);
          break;
        }
      }
    } else if (pos < queue.size() && matches(expected[queue[pos]], o, rules)) {
      done[queue[pos]] = taken = true;
      matched[q].push_back(queue[pos]);
      ++pos;
    }
    if (taken) continue;
    const auto& before = matched[q];
    if (rules.allow_duplicates && std::any_of(before.begin(), before.end(), [&](size_t i) {
          return matches(expected[i], o, rules);
        })) {
      ++outcome.duplicates;
      continue;
    }
    outcome.unexpected.push_back(at);
  }
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!done[i]) outcome.missing.push_back(i);
  }
  return outcome;
}

std::string explain(const ExpectOutcome& outcome, const std::vector<Expected>& expected,
                    const std::vector<Observed>& observed, const ExpectRules& rules,
                    const std::string& file) {
  std::string out;
  for (const size_t i : outcome.missing) {
    const Expected& e = expected[i];
    out += "  " + file + ":" + std::to_string(e.line) + ": expected, not observed:\n";
    // The closest: an unexplained arrival of the same key, else any of that key.
    const Observed* closest = nullptr;
    for (const size_t at : outcome.unexpected) {
      if (observed[at].key_text == e.key_text) {
        closest = &observed[at];
        break;
      }
    }
    for (size_t at = 0; closest == nullptr && at < observed.size(); ++at) {
      if (observed[at].key_text == e.key_text) closest = &observed[at];
    }
    if (closest == nullptr) {
      out += "      nothing arrived with key " + e.key_text + "\n";
      continue;
    }
    out += "      closest: " + item_text(*closest) + "  (" + closest->where + ")\n";
    for (const auto& m : mismatches(e, *closest, rules)) out += "        " + describe(m) + "\n";
  }
  for (const size_t at : outcome.unexpected) {
    out += "  unexpected: " + item_text(observed[at]) + "  (" + observed[at].where + ")";
    const auto again = std::find_if(expected.begin(), expected.end(), [&](const Expected& e) {
      return matches(e, observed[at], rules);
    });
    const bool out_of_place =
        again != expected.end() &&
        std::find(outcome.missing.begin(), outcome.missing.end(),
                  static_cast<size_t>(again - expected.begin())) != outcome.missing.end();
    if (out_of_place) {  // its line is missing: this is that event, not a second delivery of it
      out += " - line " + std::to_string(again->line) +
             ", arrived out of the order the expectation states";
    } else if (again != expected.end()) {
      out += " - line " + std::to_string(again->line) +
             " again (allow-duplicates accepts re-deliveries, legal after a crash)";
    }
    out += "\n";
  }
  return out;
}

std::map<AnomalyKind, size_t> classify(const ExpectOutcome& outcome,
                                       const std::vector<Expected>& expected,
                                       const std::vector<Observed>& observed,
                                       const ExpectRules& rules) {
  std::map<AnomalyKind, size_t> found;
  std::vector<bool> missing(expected.size(), false);
  for (const size_t i : outcome.missing) missing[i] = true;
  for (const size_t i : outcome.missing) {
    const bool arrived = std::any_of(observed.begin(), observed.end(), [&](const Observed& o) {
      return matches(expected[i], o, rules);
    });
    const bool key_arrived = std::any_of(observed.begin(), observed.end(), [&](const Observed& o) {
      return o.key_text == expected[i].key_text;
    });
    ++found[arrived ? AnomalyKind::Order : key_arrived ? AnomalyKind::Image : AnomalyKind::Lost];
  }
  for (const size_t at : outcome.unexpected) {
    const Observed& o = observed[at];
    bool counted = false, again = false;
    for (size_t i = 0; i < expected.size(); ++i) {
      if (matches(expected[i], o, rules)) {
        (missing[i] ? counted : again) = true;
      } else if (missing[i] && expected[i].key_text == o.key_text) {
        counted = true;  // the wrong image of a missing item, counted with it
      }
    }
    if (!counted) ++found[again ? AnomalyKind::Duplicate : AnomalyKind::Phantom];
  }
  return found;
}

std::string anomaly_summary(const std::map<AnomalyKind, size_t>& anomalies) {
  std::string out;
  for (const auto& [kind, count] : anomalies)
    out += (out.empty() ? "" : ", ") + std::to_string(count) + " " + to_string(kind);
  return out.empty() ? "no anomaly" : out;
}

}  // namespace cdc
