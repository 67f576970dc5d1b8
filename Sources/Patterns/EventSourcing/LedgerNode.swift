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
        /// Events `from`… of the log, for the read model, in its `epoch`-th life.
        case events(from: Int, [Event], epoch: Int)
        /// The read model holds every event up to `position`; `epoch` says which life of the
        /// read model (each start over is a new one), so an ack from before it is ignored.
        case ack(Int, epoch: Int)
        /// The read model starts over (its `epoch`-th time): send from the first event.
        case replay(epoch: Int)
        public var description: String {
            switch self {
            case let .events(from, es, _): es.count == 1 ? "event \(from)" : "events \(from)-\(from + es.count - 1)"
            case .ack(let p, _): "ack \(p)"
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
    /// The fold of the whole log, kept by the observer (the screen and conditions ask for it
    /// after every event; folding the log each time would cost its length).
    public internal(set) var logFold = Account()
    /// The state at the cursor, folded when the cursor moves.
    public internal(set) var atCursor = Account()
    /// Where the student looks on the tape (nil: the end).
    public internal(set) var cursor: Int?
    /// How far the read model has acknowledged.
    public internal(set) var projected = 0
    /// The read model's life the projector is feeding.
    var readerEpoch = 0
    var projecting = false
    public internal(set) var refused = 0

    // The reader (its read model is kept in memory: a crash loses it).
    public internal(set) var readModel = Account()
    public internal(set) var reads = 0
    public internal(set) var staleReads = 0
    public internal(set) var lastRead: (value: Int, stale: Bool)?
    var awaitingReplay = false
    /// How many times the read model has started over (kept across a crash: it is a count).
    public internal(set) var epoch = 0

    public init(id: NodeID, clusterSize: Int, config: Config) {
        self.id = id; self.config = config
    }

    public mutating func boot(_ io: inout NodeIO<LedgerNode>) {
        if isAccount {
            // The state in memory is rebuilt from the newest snapshot and the events after it.
            current = Self.replay(log, from: snapshots.last)
            if projected < log.count { arm(&io) }
        } else {
            epoch += 1
            askForReplay(&io)
        }
    }

    /// The reader starts empty and asks for every event; it asks again until events come
    /// (the request, or the answer, may be lost).
    mutating func askForReplay(_ io: inout NodeIO<LedgerNode>) {
        awaitingReplay = true
        io.send(.replay(epoch: epoch), to: 0)
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

    mutating func moveCursor(to v: Int?) {
        cursor = v
        atCursor = v.map { state(at: $0) } ?? logFold
    }

    /// Whether folding from empty and from every snapshot gives one state: one pass over the
    /// log, comparing each snapshot with the fold up to its version (a snapshot that matches
    /// there folds the rest into the same state, since folding is deterministic).
    public var snapshotsMatch: (ok: Bool, bad: Snapshot?) {
        var a = Account(), k = 0
        let snaps = snapshots.sorted { $0.state.version < $1.state.version }
        for s in snaps where s.state.version == 0 && s.state != a { return (false, s) }
        for e in log {
            a = a.applying(e)
            while k < snaps.count, snaps[k].state.version < a.version { k += 1 }
            while k < snaps.count, snaps[k].state.version == a.version {
                if snaps[k].state != a { return (false, snaps[k]) }
                k += 1
            }
        }
        return (true, nil)
    }

    /// The state at `version`, from the newest snapshot at or before it.
    public func state(at version: Int) -> Account {
        Self.replay(log, from: snapshots.last { $0.state.version <= version }, upTo: version)
    }

    mutating func append(_ e: Event, _ io: inout NodeIO<LedgerNode>) {
        log.append(e)
        current = current.applying(e)
        logFold = logFold.applying(e)
        if cursor == nil { atCursor = logFold }
        io.note("event \(log.count): \(e)")
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
        case let .events(start, es, e):
            // Only what continues the read model; a gap or a copy is left for the next push.
            // Only what continues the read model is applied; a copy or a gap is answered with
            // where the model is, and the projector goes on from there.
            // The account has heard this life's request once its pushes say so.
            if e == epoch { awaitingReplay = false }
            for (k, event) in es.enumerated() where start + k == readModel.version + 1 { readModel = readModel.applying(event) }
            io.send(.ack(readModel.version, epoch: epoch), to: from)
        case let .ack(p, e):
            // Where the reader says it is: push from there. An ack from an earlier life of the
            // read model (on the wire when it started over) says nothing about this one.
            guard e == readerEpoch else { return }
            projected = min(p, log.count)
            if projected < log.count { arm(&io) }
        case .replay(let e):
            guard e >= readerEpoch else { return }
            if e > readerEpoch { io.note("projection starts over from event 1") }
            readerEpoch = e
            projected = 0
            if log.isEmpty { io.send(.events(from: 1, [], epoch: readerEpoch), to: from) } else { arm(&io) }
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
        io.send(.events(from: projected + 1, Array(log[projected..<end]), epoch: readerEpoch), to: 1)
        arm(&io)
    }
}
