#pragma once
#include <chrono>
#include <filesystem>
#include <memory>

#include "harness/stack/backend.hpp"
#include "harness/stack/stack_choice.hpp"

namespace cdc::compose {

// The stack of compose/docker-compose.yml, run by `docker compose` as a project of its own
// (cdc-harness-<run id>) on ports the harness picks, so parallel runs do not collide. `up`
// waits until every service is healthy; `down` saves the services' logs to <run dir>/logs
// and removes the project with its volumes.
// `health_timeout` bounds the wait for healthy services once `compose up` has returned
// (images are pulled before that, under a deadline of their own).
std::unique_ptr<StackBackend> make_compose_backend(const std::filesystem::path& run_dir,
                                                   const StackChoice& choice,
                                                   std::chrono::milliseconds health_timeout);
std::unique_ptr<StackBackend> make_compose_backend(const std::filesystem::path& run_dir,
                                                   const StackChoice& choice);

}  // namespace cdc::compose
