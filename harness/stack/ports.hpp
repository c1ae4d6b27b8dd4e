#pragma once

namespace cdc {

// A TCP port on 127.0.0.1 that nothing listens on right now, chosen by the kernel, so two
// runs (or a system Postgres on 5432) never collide on a fixed number.
int pick_free_port();

}  // namespace cdc
