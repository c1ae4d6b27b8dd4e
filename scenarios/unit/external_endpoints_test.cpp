// How a team names an external stack: five CDC_EXTERNAL_* settings, from the environment or
// a file, and the file `cdc-harness up` writes so another run can point at its stack.
#include "harness/stack/external/external_endpoints.hpp"
#include "harness/stack/backend.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/stack/stack_choice.hpp"

namespace cdc::unit {
namespace {
namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

const char* const kSettings[] = {"CDC_EXTERNAL_PG_ADMIN",    "CDC_EXTERNAL_PG_APP",
                                 "CDC_EXTERNAL_PG_DEBEZIUM", "CDC_EXTERNAL_KAFKA_BOOTSTRAP",
                                 "CDC_EXTERNAL_CONNECT_URL", "CDC_STACK"};

class ExternalEndpoints : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kSettings) ::unsetenv(name);
    file_ = fs::temp_directory_path() / ("cdc-external-" + std::to_string(::getpid()) + ".env");
  }
  void TearDown() override {
    for (const char* name : kSettings) ::unsetenv(name);
    fs::remove(file_);
  }
  fs::path file_;
};

StackEndpoints sample() {
  return StackEndpoints{{"127.0.0.1", 5433, "postgres", "cdc_admin", "pa ss:w@rd/%"},
                        {"127.0.0.1", 5433, "cdctest", "cdc_app", "app-secret"},
                        {"127.0.0.1", 5433, "cdctest", "debezium", "dbz-secret"},
                        "127.0.0.1:9092",
                        "http://127.0.0.1:8083"};
}

TEST_F(ExternalEndpoints, TheFileUpWritesReadsBackToTheSameEndpoints) {
  write_file(file_, external::external_settings_text(sample()));
  const StackEndpoints read = external::read_external_endpoints(file_);
  EXPECT_EQ(read.admin.password, "pa ss:w@rd/%");  // percent-encoded in the URL, decoded back
  EXPECT_EQ(read.admin.dbname, "postgres");
  EXPECT_EQ(read.app.describe(), "cdc_app@127.0.0.1:5433/cdctest");
  EXPECT_EQ(read.debezium.password, "dbz-secret");
  EXPECT_EQ(read.kafka_bootstrap, "127.0.0.1:9092");
  EXPECT_EQ(read.connect_url, "http://127.0.0.1:8083");
}

TEST_F(ExternalEndpoints, TheEnvironmentWinsOverTheFile) {
  write_file(file_, external::external_settings_text(sample()));
  ::setenv("CDC_EXTERNAL_KAFKA_BOOTSTRAP", "b1.example:9092,b2.example:9092", 1);
  ::setenv("CDC_EXTERNAL_PG_APP", "host=db.example port=6432 dbname=shop user=writer", 1);
  const StackEndpoints read = external::read_external_endpoints(file_);
  EXPECT_EQ(read.kafka_bootstrap, "b1.example:9092,b2.example:9092");
  EXPECT_EQ(read.app.describe(), "writer@db.example:6432/shop");
}

TEST_F(ExternalEndpoints, AMissingSettingIsNamedWithAnExample) {
  write_file(file_, "CDC_EXTERNAL_PG_ADMIN=postgresql://a:b@h/db\n");
  try {
    external::read_external_endpoints(file_);
    FAIL() << "read without CDC_EXTERNAL_PG_APP";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("CDC_EXTERNAL_PG_APP is not set"),
                                HasSubstr(file_.string()), HasSubstr("postgresql://")));
  }
}

TEST_F(ExternalEndpoints, AMalformedConnectionStringIsNamedWithoutEchoingIt) {
  try {
    external::parse_postgres_connection("CDC_EXTERNAL_PG_APP",
                                        "postgresql://u:s3cret@h:5432/d?x=1");
    FAIL() << "accepted an unknown URI parameter";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("CDC_EXTERNAL_PG_APP is not a Postgres connection"),
                                Not(HasSubstr("s3cret"))));
  }
  EXPECT_THROW(external::parse_postgres_connection("X", "postgresql://h:5432/d"), HarnessError);
  EXPECT_EQ(external::parse_postgres_connection("X", "postgresql://u@h/d").port, 5432);
}

TEST_F(ExternalEndpoints, ConnectUrlMustBeHttp) {
  write_file(file_, external::external_settings_text(sample()));
  ::setenv("CDC_EXTERNAL_CONNECT_URL", "connect.example:8083", 1);
  EXPECT_THROW(external::read_external_endpoints(file_), HarnessError);
}

TEST_F(ExternalEndpoints, ComponentsAreNotTheHarnesssToStopKillOrPause) {
  const auto stack = make_stack_backend(StackChoice{StackKind::External, "rtest", {}},
                                        fs::temp_directory_path() / "cdc-external-components");
  try {
    stack->act_on(Component::Kafka, ComponentAction::Kill, Progress(true));
    ADD_FAILURE() << "an external stack's broker was killed";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot kill kafka of an external stack"));
  }
}

TEST_F(ExternalEndpoints, StackChoiceComesFromTheFlagThenCdcStackAndRejectsOtherNames) {
  EXPECT_EQ(choose_stack("", "").kind, StackKind::Native);
  ::setenv("CDC_STACK", "compose", 1);
  EXPECT_EQ(choose_stack("", "").kind, StackKind::Compose);
  EXPECT_EQ(choose_stack("native", "").kind, StackKind::Native);
  ::setenv("CDC_STACK", "kubernetes", 1);
  try {
    choose_stack("", "");
    FAIL() << "accepted CDC_STACK=kubernetes";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("unknown stack 'kubernetes' (from CDC_STACK)"),
                                HasSubstr("native, compose and external")));
  }
  EXPECT_NE(new_run_id(), new_run_id());
  EXPECT_EQ(new_run_id().size(), 8u);
}

}  // namespace
}  // namespace cdc::unit
