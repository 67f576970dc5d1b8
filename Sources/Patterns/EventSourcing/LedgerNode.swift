import Simulation

/// An event-sourced account and the read model projected from it. The `account` node keeps no
/// balance of its own: its state is the fold of its append-only log of events, optionally
/// started from a snapshot. A projector on the account pushes new events to the `reader`,
/// which keeps the read model (the balance queries see) and acknowledges how far it got; the
/// read model lags the log by whatever is still on its way.
public struct LedgerNode: NodeModel {
    public enum Event: Sendable, Equatable, CustomStringConvertible {
        case deposited(Int)
        case withdrew(Int)
        public var description: String {
            switch self {
            case .deposited(let a): "+\(a)"
            case .withdrew(let a): "-\(a)"
            }
        }
    }

    /// What the events fold into.
    public struct Account: Sendable, Equatable {
        public var balance = 0
        public var version = 0
        public var deposits = 0
        public var withdrawals = 0

        public func applying(_ e: Event) -> Account {
            var a = self
            a.version += 1
            switch e {
            case .deposited(let x): a.balance += x; a.deposits += 1
            case .withdrew(let x): a.balance -= x; a.withdrawals += 1
            }
            return a
        }
    }

    public struct Snapshot: Sendable, Equatable {
        public var state: Account
    }

    public enum Message: Sendable, CustomStringConvertible {
        /// Events `from`… of the log, for the read model.
        case events(from: Int, [Event])
        /// The read model holds every event up to `position`.
        case ack(Int)
        /// The read model starts over: send from the first event.
        case replay
        public var description: String {
            switch self {
            case let .events(from, es): es.count == 1 ? "event \(from)" : "events \(from)-\(from + es.count - 1)"
            case .ack(let p): "ack \(p)"
            case .replay: "replay from 1"
            }
        }
    }

    public enum Timer: Int, TimerKind {
        case project
        public static let slotCount = 1
        public var description: String { "project" }
    }

    public struct Config: Sendable {
        public var snapshotEvery: Int? = nil
        public var projectionDelay: SimTime = 500_000
        public var batch = 10
    }

    public let id: NodeID
    public let config: Config
    public var isAccount: Bool { id == 0 }

    // The account (durable: the event store and its snapshots).
    public internal(set) var log: [Event] = []
    public internal(set) var snapshots: [Snapshot] = []
    /// The state kept in memory, folded as events are appended.
    public internal(set) var current = Account()
    /// Where the student looks on the tape (nil: the end).
    public internal(set) var cursor: Int?
    /// How far the read model has acknowledged.
    public internal(set) var projected = 0
    var projecting = false
    public internal(set) var refused = 0

    // The reader (its read model is kept in memory: a crash loses it).
    public internal(set) var readModel = Account()
    public internal(set) var reads = 0
    public internal(set) var staleReads = 0
    public internal(set) var lastRead: (value: Int, stale: Bool)?
    var awaitingReplay = false

    public init(id: NodeID, clusterSize: Int, config: Config) {
        self.id = id; self.config = config
    }

    public mutating func boot(_ io: inout NodeIO<LedgerNode>) {
        if isAccount {
            // The state in memory is rebuilt from the newest snapshot and the events after it.
            current = Self.replay(log, from: snapshots.last)
            if projected < log.count { arm(&io) }
        } else {
            askForReplay(&io)
        }
    }

    /// The reader starts empty and asks for every event; it asks again until events come
    /// (the request, or the answer, may be lost).
    mutating func askForReplay(_ io: inout NodeIO<LedgerNode>) {
        awaitingReplay = true
        io.send(.replay, to: 0)
        io.setTimer(.project, after: config.projectionDelay * 2)
    }

    public mutating func crash() {
        if isAccount { projecting = false; current = Account() } else { readModel = Account(); awaitingReplay = false }
    }

    /// State from `snapshot` (or empty) and the events after it.
    public static func replay(_ log: [Event], from snapshot: Snapshot?, upTo version: Int? = nil) -> Account {
        let end = min(version ?? log.count, log.count)
        var a = snapshot.flatMap { $0.state.version <= end ? $0.state : nil } ?? Account()
        guard a.version < end else { return a }
        for e in log[a.version..<end] { a = a.applying(e) }
        return a
    }

    /// The state at `version`, from the newest snapshot at or before it.
    public func state(at version: Int) -> Account {
        Self.replay(log, from: snapshots.last { $0.state.version <= version }, upTo: version)
    }

    mutating func append(_ e: Event, _ io: inout NodeIO<LedgerNode>) {
        log.append(e)
        current = current.applying(e)
        if let k = config.snapshotEvery, log.count % k == 0 {
            snapshots.append(Snapshot(state: current))
            io.note("snapshot at version \(log.count)")
        }
        arm(&io)
    }

    mutating func arm(_ io: inout NodeIO<LedgerNode>) {
        guard !projecting else { return }
        projecting = true
        io.setTimer(.project, after: config.projectionDelay)
    }

    public mutating func receive(_ m: Message, from: NodeID, _ io: inout NodeIO<LedgerNode>) {
        switch m {
        case let .events(start, es):
            // Only what continues the read model; a gap or a copy is left for the next push.
            // Only what continues the read model is applied; a copy or a gap is answered with
            // where the model is, and the projector goes on from there.
            awaitingReplay = false
            for (k, e) in es.enumerated() where start + k == readModel.version + 1 { readModel = readModel.applying(e) }
            io.send(.ack(readModel.version), to: from)
        case .ack(let p):
            // Where the reader says it is (lower after it lost its model): push from there.
            projected = min(p, log.count)
            if projected < log.count { arm(&io) }
        case .replay:
            projected = 0
            io.note("projection starts over from event 1")
            if log.isEmpty { io.send(.events(from: 1, []), to: from) } else { arm(&io) }
        }
    }

    public mutating func fire(_ t: Timer, _ io: inout NodeIO<LedgerNode>) {
        if !isAccount {
            if awaitingReplay { askForReplay(&io) }
            return
        }
        projecting = false
        guard projected < log.count else { return }
        let end = min(log.count, projected + config.batch)
        io.send(.events(from: projected + 1, Array(log[projected..<end])), to: 1)
        arm(&io)
    }
}
