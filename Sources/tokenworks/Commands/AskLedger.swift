// `ask` records its one model call in the ledger like every other call, so `tokenworks log` and the cost
// figures include one-off questions too.
import Agents
import Foundation
import Ledger

/// Why not fatal: the answer was already printed; a ledger that cannot be opened or written (read-only data
/// folder, full disk) is reported on stderr and the command still succeeds.
enum AskLedger {
    /// Prices `record` (a remote model at its own list price when the sheet knows it) and writes it.
    static func write(_ record: CallRecord, remoteModel: String? = nil) async {
        var priced = record
        let (prices, _) = ProjectFiles.priceSheet()
        if let prices {
            let against = remoteModel.flatMap { prices.models[$0] != nil ? $0 : nil }
            if let exact = try? prices.priced(record, against: against) {
                priced = exact
            } else {
                priced.localCost = prices.localCost(computeSeconds: record.computeSeconds)
            }
        }
        do {
            try await LedgerStore().record(priced)
        } catch {
            FileHandle.standardError.write(Data("tokenworks: warning: the call was not recorded in the ledger: \(error)\n".utf8))
        }
    }
}
