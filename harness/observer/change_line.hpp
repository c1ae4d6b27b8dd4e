#pragma once
#include <string>

#include "harness/observer/change_event.hpp"

namespace cdc {

// One readable line for a change, as `cdc-harness tail` prints it:
//   12:00:01.234  u  public.customers  id=1001  email: "a@x.org" -> "b@x.org"
// Inserts and snapshot reads list the row; updates only the columns that changed (when
// the before image is there); deletes say so; tombstones are marked.
std::string change_line(const ChangeEvent& event);

}  // namespace cdc
