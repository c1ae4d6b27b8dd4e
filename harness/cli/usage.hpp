#pragma once

// What `cdc-harness --help` and `cdc-harness <command> --help` print.
namespace cdc::cli {

inline constexpr const char* kUsage =
    R"(cdc-harness - end-to-end harness for a PostgreSQL -> Debezium -> Kafka pipeline

usage: cdc-harness <command> [options]

commands:
)";
inline constexpr const char* kUsageEnd = R"(
`cdc-harness <command> --help` shows a command's options.
)";

inline constexpr const char* kUpUsage =
    R"(usage: cdc-harness up [--run-dir DIR] [--stack native|compose|external] [--stack-config FILE]
                      [--brokers N] [--workers N] [--versions NAME] [--connect-defaults]
                      [--converter json|avro]
                      [--connector FILE | --no-connector] [--tail] [--detach [--guard-pid PID]]

Brings up Postgres, Kafka (KRaft) and Kafka Connect, registers the connector and waits
until it streams. Then stays until Ctrl-C, which stops everything.

  --stack NAME      where the stack comes from (default: $CDC_STACK, else native):
                      native    local processes on 127.0.0.1 (Debian packages + Maven jars)
                      compose   docker compose -f compose/docker-compose.yml, a project per run
                      external  a stack someone else runs, named by CDC_EXTERNAL_* settings;
                                the run touches and removes only what it creates there
  --stack-config FILE  compose: the compose file ($CDC_COMPOSE_FILE); external: a file of
                    CDC_EXTERNAL_* lines ($CDC_EXTERNAL_CONFIG)
  --brokers N       Kafka nodes, each broker and KRaft controller (default: $CDC_BROKERS,
                    else 1); with 3, topics (Connect's too) have 3 replicas, 2 in sync
  --workers N       Connect workers in one group (default: $CDC_WORKERS, else 1);
                    compose runs 1 + 1 or 3 + 2 (compose/cluster.env)
  --versions NAME   native or compose (its images' tags): the Debezium + Kafka version set
                    (default: $CDC_VERSIONS, else debezium-3.4): debezium-3.4 (3.4.1.Final,
                    Kafka 4.1.1), debezium-3.6 (3.6.1.Final, Kafka 4.3.0) or debezium-3.7
                    (3.7.1.Final, Kafka 4.3.1); ci/jars/versions/ names them
  --connect-defaults  native: workers with Kafka Connect's defaults, as users run them
                    (offset.flush.interval.ms 60 s, as in the debezium/connect image), not
                    the test tuning of debezium/worker.properties ($CDC_CONNECT_DEFAULTS=1)
  --converter NAME  json (default) or avro: the connector writes Avro through a schema
                    registry (native: Apicurio Registry, started and stopped with the
                    stack; external: CDC_EXTERNAL_SCHEMA_REGISTRY_URL) ($CDC_CONVERTER)

  --run-dir DIR     data and logs go here (default: $CDC_HARNESS_RUN_DIR or <build>/run/cli)
  --connector FILE  connector config (default: debezium/customer-cdc.json)
  --no-connector    register none: for runs that register their own (the fault suites, a
                    connector of yours), so no second connector decodes every change beside
                    them; scenarios and scenario files still derive theirs from --connector
  --tail            print changes as they arrive (like `cdc-harness tail`)
  --detach          return once streaming and leave the stack running; `down` stops it
  --guard-pid PID   with --detach: stop the stack when process PID ("parent": the
                    caller) exits; ctest uses this, so a Ctrl-C'd run leaves nothing behind
)";

inline constexpr const char* kRunUsage =
    R"(usage: cdc-harness run [--run-dir DIR] [--stack native|compose|external] [--stack-config FILE]
                       [--brokers N] [--workers N] [--versions NAME|NAME,NAME|all] [--record]
                       [--keep-topics] FILE...

Runs each scenario file (README "Scenario files"; examples in scenarios/files/) on the
stack running in DIR, or on one brought up for the run and stopped afterwards. Each file
registers a connector of its own (name, slot and topic prefix carry the run id), so files
can run side by side. A failing expectation prints file:line and how the events differ.
Exit code 0 when every file passes.

  --versions NAME,NAME or all   run the files on each version set in turn, each on a
                    stack of its own (run directories under DIR/versions/), then print the
                    matrix set x file: pass, or the first anomaly. Which versions have it?
  --record          write what arrived into each `expect events`/`expect records` body
                    (like sqllogictest's --override); review the diff, then run again
  --keep-topics     leave each file's topics (<topic prefix>.*) for a look with `tail`
                    or kcat; connectors and slots are removed as always

Steps (a step is a header line and its body, up to a blank line):
{steps})";

inline constexpr const char* kGuardUsage = R"(usage: cdc-harness guard --run-dir DIR --guard-pid PID

Waits in the background until process PID exits, then stops the stack in DIR (as `down`
would). Ends by itself when the stack is stopped some other way. Started by
`up --detach --guard-pid`; logs to DIR/logs/guard.log.
)";

inline constexpr const char* kDownUsage =
    R"(usage: cdc-harness down [--run-dir DIR] [--guard-pid PID]

Deletes the connectors (and their replication slots), stops Connect, Kafka and Postgres,
and removes their data. Logs stay in DIR/logs. Safe to run when nothing runs. On an
external stack it stops nothing: it removes only what the run created there (connectors,
slots, topics, tables, rows carrying the run id).

  --guard-pid PID   only stop a stack brought up for process PID ("parent": the caller);
                    leave one that a live guard keeps for another test run (ctest uses this)
)";

inline constexpr const char* kStatusUsage = R"(usage: cdc-harness status [--run-dir DIR]

Shows each component of the stack in DIR and whether it runs. Exit code 0 when all run.
)";

inline constexpr const char* kCheckUsage = R"(usage: cdc-harness check [--run-dir DIR]

Sends one change to public.customers through the connector `up` registered in DIR and reads
it back as every scenario reads changes: on the connector's topic, keyed by the table's
primary key, in a Debezium envelope the harness decodes. Prints one line: ok, or the first
cause (`key:` events keyed by other columns, `topic:` events sent to another topic, a record
that does not decode, with its first bytes). Its row is deleted afterwards. Exit code 0 when
the change came through; ctest runs it as `stack.check` before the e2e scenarios.
)";

inline constexpr const char* kExploreUsage =
    R"(usage: cdc-harness explore [--seed N] [--budget 5m] [--shrink-budget 2m] [--cases N]
                           [--faults LIST] [--focus NAME] [--versions SET]
                           [--connector FILE]
                           [--out DIR] [--generate-only] [--run-dir DIR] [--stack …]

Generates cases from the seed (tables of random columns and keys, transactions of inserts,
updates, deletes, key updates, multi-row inserts, savepoints and rollbacks, bulk loads by
COPY or one large INSERT, schema changes mid-stream, two sessions at once, connector
settings) and runs each as a scenario file whose expectations the oracle derives from the
transactions and the settings, on the stack in DIR (or one brought up for the run). A failing
case is shrunk, by re-running smaller ones, to the smallest that still fails with the same
anomaly kinds, and written as a scenario file that fails on its own. The same seed gives the
same cases.

  --seed N          the cases' seed (default 1)
  --budget D        explore until D has passed (90, 90s, 5m; default 5m)
  --shrink-budget D each failure's shrinking (default 2m)
  --cases N         N cases, whatever the budget
  --faults LIST     catalogue faults a case may carry, after its first transaction or inside
                    its second, held open across it, or while a bulk load streams (default
                    none): {faults}
{focuses}
  --connector FILE  the base connector the cases' connectors derive from (a broken one is a
                    planted defect)
  --out DIR         cases/, findings/, explore.json, explore.md, index.html (default
                    <build>/explore/seed-N)
  --generate-only   write the cases, run nothing (no stack)
)";

inline constexpr const char* kInventoryUsage = R"(usage: cdc-harness inventory [--run-dir DIR]

Prints, as JSON, what the stack in DIR holds that a run could create or change: connectors,
replication slots, topics, consumer groups, tables and publications in public, and a digest
of public.customers. Equal output before and after a run on a shared stack shows that the
run left nothing behind.
)";

inline constexpr const char* kTailUsage =
    R"(usage: cdc-harness tail [--run-dir DIR] [--topic TOPIC] [--bootstrap HOST:PORT] [--from earliest|latest]

Prints each change on the change topic as one line: time, op, table, key, columns.
The topic and brokers come from --topic/--bootstrap, else $KAFKA_CDC_TOPIC and
$KAFKA_CDC_BOOTSTRAP_SERVERS, else the stack in the run directory. Ctrl-C stops.
)";

inline constexpr const char* kReportUsage =
    R"(usage: cdc-harness report [--run-dir DIR] [--connector FILE] [--duration S] [--rate R[,R...]]
                          [--mix I/U/D] [--sessions N] [--tx-size N] [--profiles P[,P...]] [--out DIR]
                          [--stack native|compose|external] [--stack-config FILE]
                          [--brokers N] [--workers N] [--versions NAME]

Runs an open-loop load of customers changes through the pipeline (the stack in DIR if one
runs, else one brought up and stopped for the report), once per connector profile and
offered rate, judges every event against the recorded history and measures latency stage by
stage. Writes report.json, report.md and index.html. Exits 1 when a correctness checker
finds an anomaly. Defaults finish in about a minute.

  --duration S     seconds of load per rate (default 10)
  --rate R,...     offered transactions per second, one step each (default 50,200); the
                   report names the first rate a profile could not hold (saturation)
  --mix I/U/D      percent inserts/updates/deletes (default 60/30/10)
  --sessions N     concurrent database sessions (default 2)
  --tx-size N      changes per transaction (default 1)
  --profiles P,... connector profiles: debezium-defaults, low-latency (default both)
  --out DIR        report directory (default reports/out/<time>)
  --stack, --stack-config, --brokers, --workers, --versions  which stack to bring up when
                   none runs in DIR (see `up --help`)
)";

inline constexpr const char* kBenchUsage =
    R"(usage: cdc-harness bench [--run-dir DIR] [--connector FILE] [--events N] [--duration S]
                         [--sessions N[,N...]] [--out DIR]

Measures whether the harness keeps up with what it measures, each time against the tool a
user would reach for instead, on one native stack in the same few minutes:
  - bring-up to streaming and tear-down, three times (the third stack serves the rest);
  - the load generator against pgbench: the same INSERT and server, each at 4, 16 and 64
    sessions, the best of each compared;
  - the pipeline: many small transactions, and one transaction of N rows (commit -> topic);
  - the observer against kcat: the whole change topic, every envelope decoded, then judged;
  - the harness's CPU seconds per 100k events and its peak RSS.
Prints a table and writes bench.json and bench.md. Numbers are reported, never asserted:
on a shared machine the ratios are what to compare. Takes about 9 minutes on 2 cores.

  --events N       rows of the large transaction (default 300000)
  --duration S     seconds of each load comparison (default 10)
  --sessions N,... session counts pgbench and the generator each run at, best compared
                   with best (default 4,16,64)
  --out DIR        where bench.json and bench.md go (default reports/out/<time>)
  --run-dir DIR    where its stacks run; none may run there yet (default: <build>/run/cli)
  --connector FILE connector config (default: debezium/customer-cdc.json)
)";

inline constexpr const char* kChaosUsage =
    R"(usage: cdc-harness chaos [--faults LIST|all] [--seed N] [--duration S] [--interval S]
                         [--liveness S] [--rate R] [--sessions N] [--tx-size N] [--mix I/U/D] [--out DIR]
                         [--run-dir DIR] [--connector FILE] [--stack native|compose] [--stack-config FILE]
                         [--brokers N] [--workers N] [--versions NAME]

Runs an open-loop load through a connector of its own while faults drawn from the seed are
injected and healed (one per interval, at a random point of its first half, held 1-4 s),
then judges every committed change at least once: lost, phantom, order, stall (duplicates
are counted). Writes report.json, report.md and index.html with a table per fault
(injected, healed, recovery, worst latency, anomalies) and the faults as bands on the
latency chart. Prints the seed and the command that replays the run. Exits 1 on any lost,
phantom, out-of-order or stalled change, or a connector that never streams again. Uses the
stack in DIR if one runs, else brings one up and stops it.

  --faults LIST    comma-separated fault names, or all (default): {faults}
                   (the network faults need the native stack's Toxiproxy)
  --seed N         draws the schedule (default 1): the same seed, the same schedule
  --duration S     seconds of load (default 60)
  --interval S     seconds between faults (default 10, at least 2)
  --liveness S     a change reaching Kafka later than S after its commit, or after the heal
                   of the fault it was committed in, is a stall (default 30, scaled)
  --rate R         offered transactions per second (default 40)
)";

}  // namespace cdc::cli
