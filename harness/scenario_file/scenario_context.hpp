#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/common/progress.hpp"
#include "harness/common/sql_names.hpp"
#include "harness/connector/connector_config.hpp"
#include "harness/faults/fault.hpp"
#include "harness/observer/topic_observer.hpp"
#include "harness/observer/topic_reader.hpp"
#include "harness/scenario_file/expectations.hpp"
#include "harness/scenario_file/scenario_stack.hpp"
#include "harness/scenario_file/scenario_text.hpp"

namespace cdc {

// A topic read from its start; what each step has consumed of it.
struct EventTopic {
  std::unique_ptr<TopicObserver> observer;
  size_t cursor = 0;
};
struct RecordTopic {
  std::unique_ptr<TopicReader> reader;
  std::vector<RawRecord> records;
  size_t cursor = 0;
};

// A `fault start` not healed yet, and its record so far.
struct StartedFault {
  Fault fault;
  FaultRecord record;
};

// What one run of a scenario file holds between its steps (variables, sessions, its
// connector and fence, the topics read, faults started, `cleanup` steps), and what steps
// share: failing at a line, expanding ${variables}, options, reading topics up to a fence.
// Whatever the run started is undone when it ends, however it ends.
class ScenarioContext {
 public:
  ScenarioContext(const ScenarioText& text, ScenarioStack& stack, bool record,
                  const Progress& progress);
  ~ScenarioContext();
  ScenarioContext(const ScenarioContext&) = delete;
  ScenarioContext& operator=(const ScenarioContext&) = delete;

  const ScenarioText& text;
  ScenarioStack& stack;
  const bool record;  // --record: expectations are filled with what arrived
  const Progress& progress;

  std::map<std::string, std::string> vars{};
  std::optional<ConnectorConfig> connector{};
  std::string fence_table{};   // "public.cdc_harness_fence_<run>"
  std::string include_list{};  // table.include.list as the file has it, the fence table aside
  std::unique_ptr<TopicObserver> fence_topic{};
  std::string signal_group{};                    // the Kafka signal consumer group the runner named
  std::map<std::string, StartedFault> faults{};  // started, not healed yet
  // Healed, as the experiment engine records; caught_up_us 0 while another fault, still in
  // effect, keeps the pipeline from settling.
  std::vector<FaultRecord> fault_records{};
  std::vector<size_t> cleanups{};  // indexes of `cleanup` steps, run at the end
  // Why events may still arrive after a fence (a snapshot in progress); empty when nothing
  // does, and an expectation is judged at the fence.
  std::string events_may_follow_fence{};
  std::map<size_t, std::vector<std::string>> recorded{};  // step index -> body, with --record

  [[noreturn]] void fail(const ScenarioStep& step, const std::string& what,
                         std::set<std::string> kinds = {}) const;
  // ${name} replaced by the variable's value; an unknown name is the file's mistake.
  std::string expand(const std::string& line, const ScenarioStep& step) const;
  std::string option(const ScenarioStep& step, const std::string& key,
                     const std::string& fallback = "") const;
  std::chrono::milliseconds timeout_of(const ScenarioStep& step,
                                       std::chrono::milliseconds base) const;
  void no_body(const ScenarioStep& step) const;
  void need_connector(const ScenarioStep& step, const std::string& why) const;

  // Runs SQL as one batch on the named session's connection (opened at first use, as the app
  // role), throwing what libpqxx throws.
  void exec_in_session(const std::string& session, const std::string& statements);
  RecordTopic& record_topic(const std::string& topic);
  EventTopic& event_topic(const std::string& topic);
  // The topic a step names (topic=, or table= under the connector's prefix), else the one
  // table the connector includes.
  std::string topic_of(const ScenarioStep& step) const;
  // table=, as SQL reads it: public."Orders" keeps its case, Public.Orders is public.orders.
  TableName table_of(const ScenarioStep& step) const;
  ExpectRules rules_of(const ScenarioStep& step) const;

  // Everything committed before now has reached `topics` (see the definition for how).
  void settle(const ScenarioStep& step, const std::vector<std::string>& topics);
  // What arrived on the topic since the previous step took its share, as expectations see it.
  std::vector<Observed> arrived(const std::string& topic, bool records);
  void take(const std::string& topic, bool records);
  void receive_some(const std::string& topic, bool records);

 private:
  void wait_until_written_before_fence(int64_t fence_lsn);
  void undo();
  void drop_fence_table();

  struct Sessions;  // the connections of `sql session=…`, by name
  std::unique_ptr<Sessions> sessions_;
  std::map<std::string, EventTopic> event_topics_;
  std::map<std::string, RecordTopic> record_topics_;
};

// JSON where the bytes parse as JSON, else the bytes as a string; null when empty.
nlohmann::json parsed_or_string(const std::string& bytes);

}  // namespace cdc
