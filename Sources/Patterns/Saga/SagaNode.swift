import Simulation

/// A node of the saga pattern: the orchestrator, the broker, or a service with its own
/// database. What a real process keeps on disk (rows, the saga log, the outbox, the broker's
/// queues) survives a crash; what it keeps in memory (messages it has sent and not yet seen
/// stored, retries it meant to make) does not.
public struct SagaNode: NodeModel {
    public typealias Message = SagaMessage
    public typealias Config = SagaConfig

    public enum Timer: Int, TimerKind {
        /// The earliest deadline of the node's agenda (a redelivery, a retry).
        case wake
        /// A relay's round: publish what the broker has not stored yet.
        case relay
        /// A change-data-capture poll.
        case cdc
        public static let slotCount = 3
        public var description: String { ["wake", "relay", "cdc poll"][rawValue] }
    }

    public enum Role: Sendable, Equatable { case orchestrator, broker, service(SagaService) }

    /// A point in handling a message where a lesson can make a node die.
    public enum CrashPoint: String, Sendable, CaseIterable {
        case beforeCommit = "before commit", afterCommit = "after commit", afterPublish = "after publish"
    }

    public let id: NodeID
    public internal(set) var config: SagaConfig
    public let role: Role

    // Durable.
    public internal(set) var db: Database
    public internal(set) var log = SagaLog()
    public internal(set) var queue = BrokerQueue()
    /// Sagas this node has started (the orchestrator, or the first service in a choreography).
    var started = 0

    // Volatile.
    var agenda = MinHeap<Due>()
    var armedAt: SimTime?
    /// Messages handed to the broker that it has not said it stored (without an outbox, all
    /// that remembers them).
    public internal(set) var unstored: [Int: Post] = [:]
    var relayArmed = false
    /// The orchestrator's next deadline for each unfinished saga.
    var due: [Int: SimTime] = [:]

    // Set by a lesson.
    public internal(set) var crashPoint: CrashPoint?
    public internal(set) var faults: [Int: Fault] = [:]
    public internal(set) var counts = SagaCounts()

    /// A redelivery or retry and when it is due. Two the same come out one after the other,
    /// so the order does not depend on the heap's.
    struct Due: HeapOrdered {
        var time: SimTime
        var key: Int
        @inline(__always) static func precedes(_ a: Due, _ b: Due) -> Bool { (a.time, a.key) < (b.time, b.key) }
    }

    public init(id: NodeID, clusterSize: Int, config: SagaConfig) {
        self.id = id
        self.config = config
        role = id == config.broker ? .broker : id == config.orchestrator ? .orchestrator : .service(config.serviceOf[id]!)
        db = Database(balances: config.balances, stock: config.stock)
    }

    public var service: SagaService? { if case .service(let s) = role { s } else { nil } }

    public mutating func boot(_ io: inout NodeIO<SagaNode>) {
        switch role {
        case .broker: queue.reschedule(now: io.localNow, into: &agenda)
        case .orchestrator: recover(&io)
        case .service: relayRound(&io)
        }
        arm(&io)
        if case .poll(let every) = config.cdc, service != nil { io.setTimer(.cdc, after: every) }
    }

    public mutating func receive(_ message: SagaMessage, from: NodeID, _ io: inout NodeIO<SagaNode>) {
        switch message {
        case .publish(let p): store(p, from: from, &io)
        case .ack(let tag): queue.acknowledge(tag, counts: &counts)
        case .published(let id):
            unstored.removeValue(forKey: id)
            db.markSent(id)
        case .deliver(let p, _):
            counts.received += 1
            switch role {
            case .orchestrator: handleReply(p, &io)
            case .service: handle(p, &io)
            case .broker: break
            }
        }
        arm(&io)
    }

    public mutating func fire(_ timer: Timer, _ io: inout NodeIO<SagaNode>) {
        switch timer {
        case .wake:
            armedAt = nil
            while let d = agenda.min, d.time <= io.localNow {
                _ = agenda.popMin()
                switch role {
                case .broker: deliverDue(d.key, &io)
                case .orchestrator: retry(saga: d.key, at: d.time, &io)
                case .service: break
                }
            }
        case .relay: relayArmed = false; relayRound(&io)
        case .cdc:
            captureByPolling(&io)
            if case .poll(let every) = config.cdc { io.setTimer(.cdc, after: every) }
        }
        arm(&io)
    }

    public mutating func crash() {
        agenda = MinHeap(); armedAt = nil
        unstored.removeAll()
        due.removeAll()
        relayArmed = false
        crashPoint = nil
    }

    mutating func arm(_ io: inout NodeIO<SagaNode>) {
        guard let d = agenda.min else {
            if armedAt != nil { io.cancelTimer(.wake); armedAt = nil }
            return
        }
        if armedAt != d.time {
            io.setTimer(.wake, after: max(0, d.time - io.localNow))
            armedAt = d.time
        }
    }

    /// Hands `p` to the broker, and remembers it until the broker says it has it.
    mutating func publish(_ p: Post, _ io: inout NodeIO<SagaNode>) {
        unstored[p.id] = p
        counts.published += 1
        io.send(.publish(p), to: config.broker)
        ensureRelay(&io)
    }

    var relayEvery: SimTime {
        if case .poll(let t) = config.relay, config.outbox { return t }
        return config.redelivery
    }

    /// Publishes again whatever the broker has not stored: the outbox's unsent rows (which
    /// survive a crash) and, without an outbox, what this run of the process still remembers.
    mutating func relayRound(_ io: inout NodeIO<SagaNode>) {
        for p in db.outbox where !p.sent {
            if unstored[p.post.id] == nil { counts.published += 1 }
            unstored[p.post.id] = p.post
            io.send(.publish(p.post), to: config.broker)
        }
        for (_, p) in unstored.sorted(by: { $0.key < $1.key }) where !db.outbox.contains(where: { $0.post.id == p.id }) {
            io.send(.publish(p), to: config.broker)
        }
        if !unstored.isEmpty || db.outbox.contains(where: { !$0.sent }) { ensureRelay(&io) }
    }

    /// Dies here if a lesson asked for a crash at this point. Returns true when it did: the
    /// handler must stop.
    mutating func dies(at point: CrashPoint, _ io: inout NodeIO<SagaNode>) -> Bool {
        guard crashPoint == point else { return false }
        crashPoint = nil
        io.note("crashed \(point.rawValue)")
        io.crashHere()
        return true
    }
}

/// What a lesson injected into one action of a service.
public struct Fault: Sendable, Equatable {
    /// Refuse for good this many more times (Int.max: always).
    public var refusals = 0
    /// Fail transiently this many more times.
    public var transient = 0
    public init(refusals: Int = 0, transient: Int = 0) { self.refusals = refusals; self.transient = transient }
}

public struct SagaCounts: Sendable, Equatable {
    public var published = 0
    public var delivered = 0
    public var redeliveries = 0
    public var duplicated = 0
    public var acked = 0
    /// Broker: publications it stored (each a copy of its own).
    public var stored = 0
    /// Deliveries that reached this consumer (copies included).
    public var received = 0
    /// Deliveries a consumer recognised as already handled, and did not act on again.
    public var duplicatesIgnored = 0
    /// Actions and compensations applied (a duplicate applied again counts twice).
    public var applied = 0
    public var compensated = 0
    public var refused = 0
    public var transient = 0
    /// Refusals for out of stock while the last units were held by a saga that later gave them
    /// back: a decision made on a dirty read.
    public var dirtyReads = 0
}
