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

// The same at least once (after a crash part of a transaction is sent again): the first
// delivery of each event and marker is judged as above, and each re-delivery must repeat what
// its first delivery said (an event its total_order and data_collection_order, a marker its
// counts); orders that restart after a recovery are the upstream bug debezium/dbz#633.
Verdict check_transaction_metadata(const std::vector<ChangeEvent>& events,
                                   const std::vector<TransactionMarker>& markers, int64_t tx_id,
                                   Delivery delivery);

}  // namespace cdc
