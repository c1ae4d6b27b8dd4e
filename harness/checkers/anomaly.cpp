#include "harness/checkers/anomaly.hpp"

#include <algorithm>

#include "harness/common/enum_names.hpp"

namespace cdc {

namespace {
// Each kind with its name: the vocabulary, in one table.
const EnumName<AnomalyKind> kNames[] = {{AnomalyKind::Lost, "lost"},
                                        {AnomalyKind::Phantom, "phantom"},
                                        {AnomalyKind::Duplicate, "duplicate"},
                                        {AnomalyKind::Order, "order"},
                                        {AnomalyKind::Image, "image"},
                                        {AnomalyKind::Transaction, "transaction"},
                                        {AnomalyKind::Metadata, "metadata"},
                                        {AnomalyKind::Stall, "stall"},
                                        {AnomalyKind::Partition, "partition"},
                                        {AnomalyKind::Key, "key"},
                                        {AnomalyKind::LostByDatabase, "lost_by_database"}};
}  // namespace

std::string to_string(AnomalyKind kind) {
  return name_in(kNames, kind);
}

const std::vector<AnomalyKind>& all_anomaly_kinds() {
  static const std::vector<AnomalyKind> kinds = values_in(kNames);
  return kinds;
}

bool Verdict::ok() const {
  return std::all_of(anomalies.begin(), anomalies.end(), [&](const Anomaly& a) {
    return delivery == Delivery::AtLeastOnce && a.kind == AnomalyKind::Duplicate;
  });
}

size_t Verdict::count(AnomalyKind kind) const {
  return static_cast<size_t>(std::count_if(anomalies.begin(), anomalies.end(),
                                           [&](const Anomaly& a) { return a.kind == kind; }));
}

std::vector<AnomalyKind> Verdict::kinds() const {
  std::vector<AnomalyKind> out;
  for (const auto& a : anomalies) out.push_back(a.kind);
  return out;
}

void Verdict::add(AnomalyKind kind, nlohmann::json key, std::optional<Op> op,
                  std::optional<int64_t> tx_id, std::string evidence) {
  anomalies.push_back(Anomaly{kind, std::move(key), op, tx_id, std::move(evidence)});
}

void Verdict::merge(const Verdict& other) {
  anomalies.insert(anomalies.end(), other.anomalies.begin(), other.anomalies.end());
  matched += other.matched;
}

std::string Verdict::summary() const {
  if (anomalies.empty()) return "ok (" + std::to_string(matched) + " changes matched)";
  std::string text = std::to_string(anomalies.size()) + " anomalies" +
                     (ok() ? " (duplicates, legal at least once)" : "") + ":";
  for (const auto& a : anomalies) text += "\n  - " + to_string(a.kind) + ": " + a.evidence;
  return text;
}

}  // namespace cdc
