#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cdc::explore {

// A generated case: tables, the connector settings they are captured with, and transactions
// on them. Everything explore runs, shrinks and writes as a scenario file is this value.

enum class ColumnType {
  Int,
  BigInt,
  Text,
  Boolean,
  Numeric,      // numeric(10,2): predicted unless decimal.handling.mode=precise
  Timestamptz,  // rendering depends on time settings: not predicted
  Jsonb,        // a JSON text as Postgres normalises it: not predicted
  Bytea,        // base64 or hex by binary.handling.mode: not predicted
  TextArray,
  LargeText,  // > 8 kB, stored out of line (TOAST)
  Enum,       // the case's own enum type (kEnumType): its label, as text
  // Rendered per time.precision.mode (days, milli- or microseconds as numbers); drawn only
  // by their own draw (time_column), not among the types any column may have
  Date,
  Time,       // time(6)
  Timestamp,  // timestamp(6), without a zone
  // numeric(20,6): a Numeric column widened by a draw of its own (wide_numeric), its values
  // the same, held (and sent as text) with six decimals
  WideNumeric,
};
// The enum type an Enum column has, created before the case's tables and dropped after.
inline constexpr const char* kEnumType = "explore_${run}_mood";
const std::vector<ColumnType>& all_column_types();   // those any column may have
const std::vector<ColumnType>& time_column_types();  // date, time, timestamp
std::string sql_type(ColumnType type);
std::string type_name(ColumnType type);  // "int", "large-text", …: for the coverage table

// A value as SQL writes it and as the oracle expects it in an event. `predicted` false: the
// oracle does not say how Debezium renders it (declared, not guessed): the event line says
// {"$any": true} there, and `expect final-state` compares it with SELECT instead.
struct Value {
  std::string sql{};
  nlohmann::json json{};
  bool predicted = true;
};

struct Column {
  std::string name{};
  ColumnType type = ColumnType::Int;  // as CREATE TABLE (or the ADD COLUMN) makes it
  // Not in CREATE TABLE: a schema change adds it. Rows written before hold an unused value
  // at its place.
  bool added = false;
};

struct Table {
  std::string name{};             // unqualified, carries ${run}
  std::vector<Column> columns{};  // the key's first
  size_t key_columns = 1;
  bool full_identity = false;  // REPLICA IDENTITY FULL, else DEFAULT
  // No primary key (its key columns stay, unique by construction, for statements to name
  // rows by): REPLICA IDENTITY FULL, events keyed by nothing (a null Kafka key), a key update
  // an update, no final state owed (the harness compares rows by their primary key).
  bool keyless = false;
  // Whether its events carry whole old rows: REPLICA IDENTITY FULL, which a table without a
  // primary key has too.
  bool identity_full() const { return full_identity || keyless; }
};

enum class StatementKind { Insert, Update, Delete, KeyUpdate, Truncate };
std::string statement_name(StatementKind kind);

// One statement on one row (an insert may carry several rows: a multi-row INSERT).
struct Statement {
  StatementKind kind = StatementKind::Insert;
  size_t table = 0;
  std::vector<std::vector<Value>> rows{};       // insert: whole rows; update: the key, then
                                                // (column, value) pairs as a row of changes
  std::vector<Value> key{};                     // update, delete, key update: the row's key
  std::vector<std::pair<size_t, Value>> set{};  // update: columns set; key update: new key
  bool rolled_back_to_savepoint = false;        // inside SAVEPOINT … ROLLBACK TO SAVEPOINT
};

// A schema change mid-stream: ALTER TABLE … ADD COLUMN (with a DEFAULT, which the rows there
// take, or none), DROP COLUMN, or ALTER COLUMN … TYPE … USING (to a type every value of the
// old one converts to, as `converted` says).
enum class SchemaChangeKind { AddColumn, DropColumn, AlterType };
std::string schema_change_name(SchemaChangeKind kind);  // "add-column", …: for the coverage table
struct SchemaChange {
  SchemaChangeKind kind = SchemaChangeKind::AddColumn;
  size_t table = 0;
  size_t column = 0;                     // in Table::columns
  ColumnType type = ColumnType::Int;     // alter type: the new one
  std::optional<Value> default_value{};  // add column: its DEFAULT, else NULL
};

// A snapshot asked for by a signal mid-stream (`signal execute-snapshot` through the case's
// signal table), of every table with a primary key, waited for until Debezium notifies
// COMPLETED: with nothing written meanwhile, each row there arrives as a read of what it holds.
enum class SnapshotKind { Incremental, Blocking };
std::string snapshot_name(SnapshotKind kind);  // "incremental", "blocking"

struct Transaction {
  std::vector<Statement> statements{};
  bool rollback = false;
  // A bulk load: its one statement, an insert, goes in by COPY (a `copy` step, a transaction
  // of its own), which Postgres writes as multi-insert WAL records: many rows to one LSN.
  bool copy = false;
  // A schema change is a transaction of its own, with no statements.
  std::optional<SchemaChange> schema_change{};
  // Two sessions at once: the first `started_early` statements run in a session of their own
  // (BEGIN there) before the transaction listed before this one, which then commits first;
  // the rest, and the COMMIT, after it. The list stays in commit order, so the oracle is
  // unchanged; Postgres's row locks decide which keys may overlap (see starts_early).
  size_t started_early = 0;
  // Runs before the connector is registered (the case's first transactions): its rows are
  // there for the initial snapshot to read, or not, per snapshot.mode.
  bool before_connector = false;
  // A snapshot signal is an entry of its own, with no statements.
  std::optional<SnapshotKind> snapshot{};
  // An incremental one beside writes: the transactions after it run while it reads, and
  // COMPLETED is waited for only before the expectations. Which reads come, and with what,
  // is not predicted: its tables' expectations leave reads out (reads=any) and their final
  // state judges them.
  bool beside_writes = false;
};

// Connector settings from a declared space, each with the rule it implies for the oracle.
struct Settings {
  bool tombstones = true;                   // tombstones.on.delete
  std::string skipped_operations = "none";  // none, u, d
  std::string decimal_mode = "precise";     // precise (not predicted), string, double
  // column.exclude.list: one column ("<table>.<column>", unqualified), left out of every image
  std::string excluded_column{};
  // provide.transaction.metadata: BEGIN/END on <prefix>.transaction and a transaction block in
  // each event, judged by `expect transactions` (their agreement; the oracle owes no orders)
  bool transaction_metadata = false;
  // heartbeat.interval.ms=1000: records on Debezium's heartbeat topic and offsets that move
  // while the tables idle; nothing owed on the tables' topics
  bool heartbeats = false;
  // value.converter.replace.null.with.default (Kafka's JsonConverter, true by default): a NULL
  // in a column with a DEFAULT arrives as the DEFAULT, which Debezium puts in the field's
  // schema; false (the converter set on the connector) sends the NULL
  bool replace_null_with_default = true;
  // time.precision.mode: adaptive (the default: date as days, time and timestamp as
  // microseconds), adaptive_time_microseconds (the same for these types) or connect (Kafka
  // Connect's Date, Time and Timestamp: days and milliseconds, the microseconds cut)
  std::string time_precision_mode = "adaptive";
  // message.key.columns: one column ("<table>.<column>", unqualified) that alone keys its
  // table's events. Debezium compares the old and the new row's keys: under REPLICA IDENTITY
  // DEFAULT an update carries no old row (a plain update, keyed by the new value) and a
  // delete or key update only the old key's columns (the old message key is null there);
  // under FULL a changed value is a delete and a create. Keys then repeat: no final state.
  std::string message_key_column{};
  // topic.creation.default.partitions: the topics Connect creates for the connector get this
  // many partitions. Kafka then orders only each key's events (those keyed by nothing land on
  // any partition): `expect events` is per key, or unordered where two events have no key.
  int partitions = 1;
  // snapshot.mode: initial (the harness's: rows there before the connector arrive as reads)
  // or no_data (they do not; their later changes do)
  std::string snapshot_mode = "initial";
  // read.only: an incremental snapshot's chunk windows open and close by xid
  // (pg_current_snapshot) instead of watermark rows written to the signal table
  bool read_only = false;
  // incremental.snapshot.chunk.size (0: Debezium's 1024): 2 reads a table in many chunks
  int chunk_size = 0;
  nlohmann::json as_json() const;            // the `connector register` body's settings
  std::vector<std::string> changed() const;  // those not at the harness's default
};

struct Case {
  uint64_t seed = 0;
  int index = 0;
  std::vector<Table> tables{};
  std::vector<Transaction> transactions{};
  Settings settings{};
  std::vector<std::string> faults{};  // catalogue faults, one after each of the first transactions
  // Fault i starts inside transaction i + 1 instead (after the first half of its statements,
  // the transaction open in a session of its own) and heals after its COMMIT: a crash with a
  // transaction in flight (see fault_inside).
  bool faults_inside = false;
  // A fault while a COPY streams comes with Connect's acks late (connect-kafka-latency started
  // before it, healed before it heals): Kafka's tail then lags what the worker sent, so the
  // fault finds a WAL record's rows half in Kafka (see acks_late_around).
  bool acks_late = false;
  bool final_state = true;  // `expect final-state` per table
  std::string header{};     // comment lines on top (seed, version set, size)

  size_t statement_count() const;
};

// The tables' columns as they stand after some of a case's transactions: which are there,
// of which type, and what a row written without them holds.
struct Schema {
  std::vector<std::vector<bool>> present;
  std::vector<std::vector<ColumnType>> types;
  std::vector<std::vector<Value>> defaults;
  explicit Schema(const Case& c);  // as CREATE TABLE makes them
  void apply(const SchemaChange& change);
};
// A value of type `from` as the column holds it after ALTER COLUMN … TYPE `to` USING it::to.
Value converted(const Value& v, ColumnType from, ColumnType to);
// What a column of `type` may be altered to: types every value of it converts to, rendered
// as the oracle predicts (int to bigint; int, bigint, boolean and the enum to text).
std::vector<ColumnType> alter_targets(ColumnType type);
// Whether every value a statement writes fits its column's type at that point (a case cut
// by the shrinker may have lost the ALTER TYPE its later values were converted for).
bool well_typed(const Case& c);
// The columns of table `table` some schema change of the case touches.
std::vector<size_t> changed_columns(const Case& c, size_t table);

// The rows a statement takes a lock on (its table, then the key as SQL writes it): an
// insert's new keys, an update's or delete's row, a key update's row and its new key.
std::vector<std::pair<size_t, std::string>> rows_locked(const Table& t, const Statement& st);
// How many of transaction i's first statements run before transaction i - 1 (0: none): its
// started_early, when both are ordinary transactions in a case without faults, both after
// the connector is registered, transaction i - 1 did not begin early itself, neither truncates, and
// none of those statements locks a row transaction i - 1 touches (it would wait for a transaction
// that waits for it). Checked where the file is written: shrinking may take transaction i - 1 away.
size_t starts_early(const Case& c, size_t i);
// Whether transaction i begins early and its later statements write a row transaction i - 1
// wrote (overlapping keys: they wait for nothing, as that one has committed by then).
bool writes_rows_of_the_one_before(const Case& c, size_t i);

// Whether the case asks for a snapshot by signal (it then has a signal table and Debezium
// sends notifications to <prefix>.notifications).
bool has_signals(const Case& c);
// Whether an incremental snapshot of the case reads beside writes (see beside_writes).
bool beside_writes(const Case& c);
// The tables a snapshot signal names: those with a primary key (an incremental snapshot
// reads by it).
std::vector<size_t> snapshot_tables(const Case& c);

// Whether `fault` may start inside an open transaction: not when it takes Postgres down (the
// transaction's session with it) or stops it (the rest of the transaction would wait on it).
bool fault_fits_inside_a_transaction(const std::string& fault);
// Whether fault i starts inside transaction i + 1: faults_inside, the fault fits, that
// transaction is not a COPY, and the oracle owes an event before it (a restart with no offset
// committed takes a new snapshot, which would read that transaction's rows as op=r).
// Otherwise it goes after transaction i.
bool fault_inside(const Case& c, size_t i);
// A bulk load: a COPY, or a committed transaction that inserts kBulkRows rows or more (it
// streams for a while, across Connect's offset commits).
inline constexpr size_t kBulkRows = 1000;
bool is_bulk(const Transaction& tx);
// Whether fault i, after transaction i, waits for Connect's next offset commit first: after a
// bulk load, so that it falls while the load streams, with an offset inside it committed (a
// COPY's WAL record half sent is where debezium/dbz#1554 skips rows; a task restarted inside
// a transaction is where debezium/dbz#633 numbers its metadata afresh).
bool fault_while_streaming(const Case& c, size_t i);
// The fault that makes Connect's acks late, and whether fault i comes inside it: while a COPY
// streams, acks_late, and the fault is not itself on that path.
inline constexpr const char* kLateAcksFault = "connect-kafka-latency";
bool acks_late_around(const Case& c, size_t i);
// Where fault i falls, as the header and the coverage table say it: "inside an open
// transaction", "while a COPY streams, Connect's acks late", …; "" between transactions.
std::string fault_placement(const Case& c, size_t i);

// The case as a scenario file: set-up, cleanup, connector, one `sql` step per transaction
// (a fault step after the first ones when it has faults, or `fault start` inside them and
// `fault heal` after), then per table `expect events` with the events the oracle derives from
// the transactions and the settings, and `expect final-state`.
std::string scenario_file_text(const Case& c);
// How many steps that file has.
size_t scenario_steps(const Case& c);
// How many events its expectations name (tombstones included).
size_t expected_event_count(const Case& c);

}  // namespace cdc::explore
