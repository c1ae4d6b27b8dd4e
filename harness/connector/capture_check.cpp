#include "harness/connector/capture_check.hpp"

#include <algorithm>
#include <regex>
#include <sstream>

#include <pqxx/pqxx>

namespace cdc {

namespace {

std::vector<std::string> entries_of(const std::string& list) {
  std::vector<std::string> entries;
  std::istringstream in(list);
  for (std::string entry; std::getline(in, entry, ',');) {
    entry.erase(0, entry.find_first_not_of(" \t"));
    entry.erase(entry.find_last_not_of(" \t") + 1);
    if (!entry.empty()) entries.push_back(entry);
  }
  return entries;
}

// As Debezium matches them: the whole "schema.table", case aside.
bool matches(const std::string& pattern, const std::string& table) {
  try {
    return std::regex_match(table, std::regex(pattern, std::regex::icase));
  } catch (const std::regex_error&) {
    return pattern == table;
  }
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The (up to 3) tables closest in name to what the entry says.
std::string nearest(const std::string& entry, std::vector<std::string> tables) {
  std::stable_sort(tables.begin(), tables.end(), [&](const auto& a, const auto& b) {
    return edit_distance(entry, a) < edit_distance(entry, b);
  });
  if (tables.size() > 3) tables.resize(3);
  std::string list;
  for (const auto& t : tables) list += (list.empty() ? "" : ", ") + t;
  return list;
}

}  // namespace

std::vector<std::string> capture_warnings(const ConnectorConfig& connector,
                                          const CaptureFacts& facts) {
  std::vector<std::string> warnings;
  const auto entries = entries_of(connector.setting("table.include.list", ""));
  std::vector<std::string> included;
  for (const auto& table : facts.tables) {
    if (entries.empty() || std::any_of(entries.begin(), entries.end(),
                                       [&](const auto& e) { return matches(e, table); }))
      included.push_back(table);
  }
  for (const auto& entry : entries) {
    const bool any = std::any_of(facts.tables.begin(), facts.tables.end(),
                                 [&](const auto& t) { return matches(entry, t); });
    if (any) continue;
    warnings.push_back("table.include.list entry '" + entry + "' of connector " + connector.name +
                       " matches no table, so nothing of it is captured" +
                       (facts.tables.empty()
                            ? " (the database has no tables)"
                            : "; did you mean " + nearest(entry, facts.tables) + "?"));
  }
  // With publication.autocreate.mode=disabled Debezium streams what the publication holds.
  const std::string mode = connector.setting("publication.autocreate.mode", "all_tables");
  if (mode == "disabled" && facts.publication_exists) {
    const std::string publication = connector.setting("publication.name", "dbz_publication");
    for (const auto& table : included) {
      if (std::find(facts.publication_tables.begin(), facts.publication_tables.end(), table) ==
          facts.publication_tables.end())
        warnings.push_back("table " + table + " is in connector " + connector.name +
                           "'s include list but not in publication " + publication +
                           ", so its changes are not captured: ALTER PUBLICATION " + publication +
                           " ADD TABLE " + table);
    }
  }
  // Postgres refuses UPDATE and DELETE on a published table without a replica identity.
  const std::string skipped = connector.setting("skipped.operations", "t");
  const bool wants_changes =
      skipped.find('u') == std::string::npos || skipped.find('d') == std::string::npos;
  for (const auto& table : included) {
    const auto it = facts.without_identity.find(table);
    if (!wants_changes || it == facts.without_identity.end()) continue;
    warnings.push_back("table " + table + " (in connector " + connector.name +
                       "'s include list) has " + it->second +
                       ": once published, Postgres refuses its UPDATEs and DELETEs; add a "
                       "primary key or ALTER TABLE " +
                       table + " REPLICA IDENTITY FULL");
  }
  return warnings;
}

CaptureFacts read_capture_facts(const PostgresEndpoint& admin, const ConnectorConfig& connector) {
  CaptureFacts facts;
  pqxx::connection conn(admin.conninfo());
  pqxx::nontransaction tx(conn);
  for (const auto& row :
       tx.exec("SELECT schemaname || '.' || tablename FROM pg_tables "
               "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"))
    facts.tables.push_back(row[0].c_str());
  const std::string publication = connector.setting("publication.name", "dbz_publication");
  facts.publication_exists =
      tx.exec_params1("SELECT count(*) FROM pg_publication WHERE pubname = $1", publication)[0]
          .as<int>() > 0;
  for (const auto& row : tx.exec_params(
           "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = $1",
           publication))
    facts.publication_tables.push_back(row[0].c_str());
  for (const auto& row : tx.exec(
           "SELECT n.nspname || '.' || c.relname, c.relreplident, EXISTS (SELECT 1 FROM pg_index "
           "i WHERE i.indrelid = c.oid AND i.indisprimary) FROM pg_class c JOIN pg_namespace n ON "
           "n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN "
           "('pg_catalog', 'information_schema')")) {
    const std::string identity = row[1].c_str();
    if (identity == "n") {
      facts.without_identity[row[0].c_str()] = "REPLICA IDENTITY NOTHING";
    } else if (identity == "d" && !row[2].as<bool>()) {
      facts.without_identity[row[0].c_str()] = "no primary key and REPLICA IDENTITY DEFAULT";
    }
  }
  return facts;
}

}  // namespace cdc
