import HeapModule

/// A message on the wire, from send to delivery (or loss).
public struct Envelope<Message: Sendable>: Sendable {
    public var id: Int
    public var from: NodeID
    public var to: NodeID
    public var sentAt: SimTime
    public var arrivesAt: SimTime
    public var message: Message
    /// Set when the network will lose it; it then vanishes at `arrivesAt` instead of arriving.
    public var lostBecause: String?
}

/// The simulated world: nodes, network, virtual clock, event queue, one RNG and the journal.
/// A value type, so a snapshot is a copy and going back is an assignment.
public struct Cluster<Node: NodeModel>: Sendable {
    enum Event: Sendable {
        case arrive(Envelope<Node.Message>)
        case timer(NodeID, Node.Timer, UInt64)
    }
    /// The queue orders small plain keys; the events they stand for wait in `pending`. Moving
    /// whole messages around inside a heap on every insert and pop was the simulator's main cost.
    struct Key: Comparable, Sendable {
        var time: SimTime
        var seq: UInt64
        static func < (a: Key, b: Key) -> Bool { a.time < b.time || (a.time == b.time && a.seq < b.seq) }
    }
    struct TimerSlot: Sendable { var seq: UInt64; var deadline: SimTime; var armedAt: SimTime }

    public private(set) var now: SimTime = 0
    public private(set) var nodes: [Node]
    public private(set) var isUp: [Bool]
    public var network: Network
    public var clocks: [NodeClock]
    public var journal: Journal<Node.Message>
    public private(set) var eventsProcessed = 0
    public var rng: SplitMix64
    var queue = Heap<Key>()
    var pending: [UInt64: Event] = [:]
    var seq: UInt64 = 0
    var timers: [[Node.Timer: TimerSlot]]
    var messageCount = 0
    /// Handler calls so far; gives every call a place in one global order.
    public private(set) var stamps = 0

    public var size: Int { nodes.count }

    public init(size: Int, config: Node.Config, seed: UInt64, network: Network = Network(),
                journal: Journal<Node.Message> = Journal()) {
        nodes = (0..<size).map { Node(id: $0, clusterSize: size, config: config) }
        isUp = Array(repeating: true, count: size)
        clocks = Array(repeating: NodeClock(), count: size)
        timers = Array(repeating: [:], count: size)
        rng = SplitMix64(seed: seed)
        self.network = network
        self.journal = journal
        for i in 0..<size { run(i) { node, io in node.boot(&io) } }
    }

    // MARK: Time

    public var nextEventTime: SimTime? { queue.min?.time }

    private mutating func take(_ key: Key) -> Event { pending.removeValue(forKey: key.seq)! }

    /// Processes the earliest event, moving the clock to it. False when nothing is scheduled.
    @discardableResult
    public mutating func step() -> Bool {
        guard let next = queue.popMin() else { return false }
        now = max(now, next.time)
        eventsProcessed += 1
        switch take(next) {
        case .arrive(let env): arrive(env)
        case let .timer(id, t, s): fire(id, t, s)
        }
        dropStaleHead()
        return true
    }

    /// A timer that was re-armed, cancelled or lost in a crash leaves its old event in the queue.
    /// Popping such events as soon as they reach the head keeps `nextEventTime` honest, so
    /// "one event forward" always shows something happen.
    mutating func dropStaleHead() {
        while let head = queue.min, case let .timer(id, t, s)? = pending[head.seq],
              !(isUp[id] && timers[id][t]?.seq == s) {
            queue.removeMin()
            pending[head.seq] = nil
        }
    }

    /// Processes every event up to and including `t`, then leaves the clock at `t`.
    public mutating func advance(to t: SimTime) {
        while let nt = nextEventTime, nt <= t { step() }
        now = max(now, t)
    }

    // MARK: Faults

    public mutating func crash(_ id: NodeID) {
        guard isUp[id] else { return }
        isUp[id] = false
        nodes[id].crash()
        timers[id].removeAll()
        dropStaleHead()
        log(.fault, id, nil, "crashed")
    }

    public mutating func restart(_ id: NodeID) {
        guard !isUp[id] else { return }
        isUp[id] = true
        log(.fault, id, nil, "restarted")
        run(id) { node, io in node.boot(&io) }
    }

    // MARK: Outside stimulus

    /// Runs `body` on a live node as if something outside the cluster (a client, an operator)
    /// poked it; what it sends and arms is carried out like any handler's. Nothing happens to a
    /// crashed node, and the result says so.
    @discardableResult
    public mutating func poke(_ id: NodeID, _ body: (inout Node, inout NodeIO<Node>) -> Void) -> Bool {
        guard isUp[id] else { return false }
        run(id, body)
        return true
    }

    /// Changes a node's state directly, with no messages or timers: for settings changed
    /// mid-lesson (a new timeout range), never for protocol behaviour.
    public mutating func reconfigure(_ id: NodeID, _ body: (inout Node) -> Void) {
        body(&nodes[id])
    }

    public mutating func log(_ kind: JournalEntry.Kind, _ node: NodeID?, _ peer: NodeID?, _ text: String) {
        journal.append(time: now, kind: kind, node: node, peer: peer, text: text)
    }

    mutating func log(_ kind: JournalEntry.Kind, _ env: Envelope<Node.Message>, _ note: JournalRecord<Node.Message>.Note) {
        journal.append(JournalRecord(time: now, kind: kind, node: env.from, peer: env.to, detail: .message(env.message, note)))
    }

    // MARK: What views and conditions read

    /// Messages on the wire, oldest first.
    public var inFlight: [Envelope<Node.Message>] {
        pending.values.compactMap { e -> Envelope<Node.Message>? in
            if case .arrive(let env) = e { return env } else { return nil }
        }.sorted { $0.id < $1.id }
    }

    /// When an armed timer will fire, and when it was armed (for drawing a countdown).
    public func timer(_ t: Node.Timer, of id: NodeID) -> (armedAt: SimTime, deadline: SimTime)? {
        timers[id][t].map { ($0.armedAt, $0.deadline) }
    }

    /// Fires a node's timer now, as if it had run out.
    public mutating func expire(_ t: Node.Timer, of id: NodeID) -> Bool {
        guard isUp[id], timers[id][t] != nil else { return false }
        timers[id][t] = nil
        log(.timer, id, nil, "\(t) (forced)")
        run(id) { node, io in node.fire(t, &io) }
        return true
    }

    // MARK: Internals

    /// Queues an event; returns its sequence number.
    @discardableResult
    private mutating func schedule(_ time: SimTime, _ event: (UInt64) -> Event) -> UInt64 {
        seq += 1
        queue.insert(Key(time: time, seq: seq))
        pending[seq] = event(seq)
        return seq
    }

    private mutating func run(_ id: NodeID, _ body: (inout Node, inout NodeIO<Node>) -> Void) {
        var io = NodeIO<Node>(id: id, clusterSize: size, localNow: clocks[id].local(now), rng: rng)
        stamps += 1
        io.stamp = stamps
        io.monotonicNow = clocks[id].monotonic(now)
        io.trueNow = now
        body(&nodes[id], &io)
        rng = io.rng
        for effect in io.effects { apply(effect, from: id) }
        dropStaleHead()
    }

    private mutating func apply(_ effect: NodeIO<Node>.Effect, from id: NodeID) {
        switch effect {
        case let .send(to, m): transmit(m, from: id, to: to)
        case let .setTimer(t, d):
            let deadline = now + max(0, clocks[id].trueDuration(ofLocal: d))
            // The slot remembers which queued event is the live one; older ones become stale.
            let s = schedule(deadline) { .timer(id, t, $0) }
            timers[id][t] = TimerSlot(seq: s, deadline: deadline, armedAt: now)
        case let .cancelTimer(t):
            timers[id][t] = nil
        case let .note(s):
            log(.state, id, nil, s)
        }
    }

    private mutating func transmit(_ m: Node.Message, from: NodeID, to: NodeID) {
        let link = Link(from, to)
        let fault = network.fault(link)
        let copies = rng.chance(ppm: max(network.duplicatePPM, fault.duplicatePPM)) ? 2 : 1
        for copy in 0..<copies {
            messageCount += 1
            let delay = (fault.latency ?? network.latency).draw(&rng) + fault.extraDelay
            var env = Envelope(id: messageCount, from: from, to: to, sentAt: now,
                               arrivesAt: now + max(1, delay), message: m, lostBecause: nil)
            if network.isCut(link) {
                env.lostBecause = "partition"
            } else if rng.chance(ppm: max(network.lossPPM, fault.lossPPM)) {
                env.lostBecause = "lost"
            }
            if env.lostBecause != nil {
                // A lost message is drawn travelling half way, then vanishing: students see it die.
                env.arrivesAt = now + max(1, delay / 2)
            }
            log(.send, env, copy == 0 ? .none : .duplicate)
            schedule(env.arrivesAt) { _ in .arrive(env) }
        }
    }

    private mutating func arrive(_ env: Envelope<Node.Message>) {
        if let why = env.lostBecause {
            log(.drop, env, why == "partition" ? .partition : .lost)
            return
        }
        if network.isCut(Link(env.from, env.to)) {
            log(.drop, env, .partition)
            return
        }
        guard isUp[env.to] else {
            log(.drop, env, .down)
            return
        }
        log(.deliver, env, .none)
        run(env.to) { node, io in node.receive(env.message, from: env.from, &io) }
    }

    private mutating func fire(_ id: NodeID, _ t: Node.Timer, _ s: UInt64) {
        // A timer that was re-armed or cancelled after this event was queued is stale.
        guard isUp[id], let slot = timers[id][t], slot.seq == s else { return }
        timers[id][t] = nil
        log(.timer, id, nil, "\(t)")
        run(id) { node, io in node.fire(t, &io) }
    }
}
