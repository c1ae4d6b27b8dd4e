#pragma once
// Tables whose REPLICA IDENTITY and TOAST storage the row-image scenarios vary.
#include <string>
#include <vector>

#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
using nlohmann::json;

// Debezium's stand-in for a TOASTed value that Postgres did not send
// (unavailable.value.placeholder).
inline constexpr const char* kUnavailable = "__debezium_unavailable_value";

inline OwnTableSpec identity_table(const std::string& identity) {
  OwnTableSpec spec;
  // EXTERNAL: stored out of line and uncompressed, so a long value is always TOASTed.
  spec.columns = "a text, big text";
  spec.before_connector =
      "ALTER TABLE {t} ALTER COLUMN big SET STORAGE EXTERNAL; ALTER TABLE {t} REPLICA IDENTITY " +
      identity;
  return spec;
}

struct RowChanges {
  json inserted, updated;
  int id = 0;

  // What the pipeline owes for them: the old rows are there; which of them Debezium sends is
  // the rules' business (replica identity).
  std::vector<ExpectedChange> expected() const {
    const json key = {{"id", id}};
    return {expect::create(key).with_after(inserted),
            expect::update(key).with_before(inserted).with_after(updated),
            expect::remove(key).with_before(updated)};
  }
};

// Insert, update the small column, delete: the sequence every identity test reads.
inline RowChanges insert_update_delete(OwnTable& table, const std::string& big) {
  RowChanges changes;
  changes.id = table.insert("a, big", "'one', '" + big + "'");
  changes.inserted = table.row(changes.id);
  table.exec("UPDATE {t} SET a = 'two' WHERE id = " + std::to_string(changes.id));
  changes.updated = table.row(changes.id);
  table.exec("DELETE FROM {t} WHERE id = " + std::to_string(changes.id));
  return changes;
}

}  // namespace cdc::scenarios
