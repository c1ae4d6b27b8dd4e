#include "harness/checkers/content_check.hpp"

namespace cdc {
using nlohmann::json;

namespace {

std::string show(const json& row, const std::string& column) {
  return row.contains(column) ? row[column].dump() : "absent";
}

std::string where(const ExpectedChange& want, const json& key, const ChangeEvent& e) {
  return describe_change(want.ops, key, want.tx_id) + " (offset " + std::to_string(e.kafka.offset) +
         ")";
}

void compare_columns(Verdict& verdict, const ExpectedChange& want, const json& key,
                     const ChangeEvent& e, const char* which, const json& columns,
                     const std::optional<json>& got) {
  if (!got) {
    verdict.add(AnomalyKind::Image, e.key, e.op, e.source.tx_id,
                where(want, key, e) + " has no " + which + " image; expected " + columns.dump());
    return;
  }
  for (const auto& [column, value] : columns.items()) {
    if (!got->contains(column) || (*got)[column] != value) {
      verdict.add(AnomalyKind::Image, e.key, e.op, e.source.tx_id,
                  where(want, key, e) + " " + which + "." + column + " is " + show(*got, column) +
                      ", expected " + value.dump());
    }
  }
}

void must_lack(Verdict& verdict, const ExpectedChange& want, const json& key, const ChangeEvent& e,
               const char* which, const std::optional<json>& got) {
  if (!got) return;
  verdict.add(
      AnomalyKind::Image, e.key, e.op, e.source.tx_id,
      where(want, key, e) + " carries " + which + " image " + got->dump() + " where none is due");
}

}  // namespace

void compare_content(Verdict& verdict, const ExpectedChange& want, const json& key,
                     const ChangeEvent& e, const MatchRules& rules) {
  if (want.after) compare_columns(verdict, want, key, e, "after", *want.after, e.after);
  switch (e.op) {
    case Op::Read:
    case Op::Create:
      must_lack(verdict, want, key, e, "a before", e.before);
      break;
    case Op::Update:
      if (rules.identity == ReplicaIdentity::Default) {
        must_lack(verdict, want, key, e, "a before", e.before);
      } else if (want.before) {
        compare_columns(verdict, want, key, e, "before", *want.before, e.before);
      }
      break;
    case Op::Delete:
      must_lack(verdict, want, key, e, "an after", e.after);
      if (rules.identity == ReplicaIdentity::Default) {
        compare_columns(verdict, want, key, e, "before", key, e.before);
      } else if (want.before) {
        compare_columns(verdict, want, key, e, "before", *want.before, e.before);
      }
      break;
    default:
      break;
  }
}

bool content_matches(const ExpectedChange& want, const json& key, const ChangeEvent& e,
                     const MatchRules& rules) {
  Verdict scratch;
  compare_content(scratch, want, key, e, rules);
  return scratch.anomalies.empty();
}

std::string partition_evidence(const nlohmann::json& key, const ChangeEvent& e, int32_t first) {
  return "key " + key.dump() + ": " + brief(e) + " came in partition " +
         std::to_string(e.kafka.partition) + ", its first event in partition " +
         std::to_string(first) + " (Kafka orders a key's events only within one partition)";
}

}  // namespace cdc
