import Simulation

/// One service's local database: its rows, the accounts or stock it owns, what it has done for
/// each saga step (so a repeated command is answered, not redone), the outbox, and the
/// transaction log that change data capture reads. Every change to it happens in one handler
/// call, which is one local transaction: all of it or none.
public struct Database: Sendable {
    /// This service's row for each saga.
    public internal(set) var rows: [Int: RowState] = [:]
    public internal(set) var balances: [Int]
    public internal(set) var stock: [Int]
    /// What came of each step here, keyed by `key(saga, step, undo)`.
    public internal(set) var records: [Int: Record] = [:]
    public internal(set) var outbox: [OutboxRow] = []
    /// The transaction log (newest last), trimmed to the last `keptChanges`.
    public internal(set) var changes: [Change] = []
    public internal(set) var lsn = 0
    /// Change data capture: what the consumer of the change stream believes the rows are,
    /// and how far it has read.
    public internal(set) var replica: [Int: RowState] = [:]
    public internal(set) var captured = 0
    var readTo = 0
    /// Out-of-stock refusals, by the saga whose hold caused them (for dirty reads).
    var refusedBecauseOf: [Int: Int] = [:]
    /// Reservations not yet confirmed or released: saga → item.
    var holds: [Int: Int] = [:]

    static let keptChanges = 200
    static let keptSentOutbox = 20

    public struct Record: Sendable, Equatable {
        public var outcome: Post.Outcome
        /// How many times the step was applied here (more than 1 only without deduplication).
        public var applied: Int
    }
    public struct OutboxRow: Sendable, Equatable {
        public var post: Post
        public var sent: Bool
    }
    public struct Change: Sendable, Equatable {
        public var lsn: Int
        public var saga: Int
        public var from: RowState?
        public var to: RowState
    }

    public static func key(_ saga: Int, _ step: Int, undo: Bool) -> Int { (saga * 64 + step) * 2 + (undo ? 1 : 0) }

    public func record(_ saga: Int, _ step: Int, undo: Bool) -> Record? { records[Self.key(saga, step, undo: undo)] }

    mutating func write(_ saga: Int, _ state: RowState) {
        let old = rows[saga]
        if state == .deleted { rows.removeValue(forKey: saga) } else { rows[saga] = state }
        lsn += 1
        changes.append(Change(lsn: lsn, saga: saga, from: old, to: state))
        if changes.count > Self.keptChanges + 50 { changes.removeFirst(changes.count - Self.keptChanges) }
    }

    mutating func markSent(_ id: Int) {
        guard let k = outbox.firstIndex(where: { $0.post.id == id && !$0.sent }) else { return }
        outbox[k].sent = true
        let sent = outbox.filter(\.sent).count
        if sent > Self.keptSentOutbox, let first = outbox.firstIndex(where: \.sent) { outbox.remove(at: first) }
    }

    /// Log tailing: every change since the last one read, in order, deletes included.
    mutating func tail() -> Int {
        var n = 0
        for c in changes where c.lsn > readTo {
            if c.to == .deleted { replica.removeValue(forKey: c.saga) } else { replica[c.saga] = c.to }
            readTo = c.lsn; n += 1
        }
        captured += n
        return n
    }

    /// Polling: the rows as they are now, where they differ from what was read last. A row
    /// that changed twice between polls is seen once, in its last state; a deleted row is not
    /// seen at all. (A poller has no place in the log: tailing, begun later, starts from the
    /// log's beginning.)
    mutating func poll() -> Int {
        var n = 0
        for (saga, state) in rows where replica[saga] != state {
            replica[saga] = state; n += 1
        }
        captured += n
        return n
    }

    /// Rows the change stream's consumer has wrong: missing, stale, or kept after a delete.
    public var staleInReplica: Int {
        var n = 0
        for (saga, state) in rows where replica[saga] != state { n += 1 }
        for saga in replica.keys where rows[saga] == nil { n += 1 }
        return n
    }
}

/// The orchestrator's saga log: for each saga, where it stands, and the lines it wrote. It is
/// written before the orchestrator acts on a reply, and read back after a crash.
public struct SagaLog: Sendable {
    public enum State: String, Sendable {
        case running = "RUNNING", compensating = "COMPENSATING", completed = "COMPLETED", compensated = "COMPENSATED"
    }
    public enum StepStatus: String, Sendable { case waiting, running, done, failed, undoing, undone }

    public struct Entry: Sendable {
        public var order: SagaOrder
        public var state: State
        /// The step being done (or undone).
        public var step: Int
        public var attempt: Int
        public var statuses: [StepStatus]
        /// Why it is compensating.
        public var why: String?
    }

    public internal(set) var sagas: [Entry] = []
    /// The newest lines of the log, for the screen.
    public internal(set) var lines: [String] = []

    public func entry(_ saga: Int) -> Entry? { saga >= 1 && saga <= sagas.count ? sagas[saga - 1] : nil }

    mutating func write(_ line: String) {
        lines.append(line)
        if lines.count > 60 { lines.removeFirst(lines.count - 40) }
    }
}
