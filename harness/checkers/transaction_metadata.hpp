#pragma once
#include <vector>

#include "harness/checkers/anomaly.hpp"
#include "harness/observer/change_event.hpp"
#include "harness/observer/envelope_decoder.hpp"

namespace cdc {

// With provide.transaction.metadata=true, one transaction's change events and its BEGIN/END
// markers must agree (anomalies of kind metadata): every event names the transaction, total_order
// runs 1..n without a gap, data_collection_order runs 1..n per table, and END counts n events per
// table.
Verdict check_transaction_metadata(const std::vector<ChangeEvent>& events,
                                   const std::vector<TransactionMarker>& markers, int64_t tx_id);

}  // namespace cdc
