import CPrefetch
import DequeModule

/// A message on the wire, from send to delivery (or loss).
public struct Envelope<Message: Sendable>: Sendable {
    public var id: Int
    public var from: NodeID
    public var to: NodeID
    public var sentAt: SimTime
    public var arrivesAt: SimTime
    public var message: Message
    /// Set when the network will lose it; it then vanishes at `arrivesAt` instead of arriving.
    public var lostBecause: LossReason?
}

/// An envelope's travel data without its message (see `Cluster.wire`).
struct WireSlot: Sendable {
    var id: Int
    var from: NodeID
    var to: NodeID
    var sentAt: SimTime
    var arrivesAt: SimTime
    var lostBecause: LossReason?
}

/// Whether a node runs. A paused node (a long GC pause, a stopped VM) is not crashed: it keeps
/// its state, messages queue for it and its timers fall due, and it handles all of that when it
/// resumes.
public enum NodeState: String, Sendable, Equatable { case up, paused, crashed }

/// The simulated world: nodes, network, virtual clock, event queue, random streams and the
/// journal. A value type, so a checkpoint is a copy and going back is an assignment.
///
/// The hot path is one heap pop per event. Queue keys are small plain values: a message's key
/// names its slot on the wire and the node it goes to, a timer's key names the node and timer slot directly
/// (a timer re-armed or cancelled leaves its old key behind, told stale by its sequence number;
/// one re-armed for later keeps its old key, which carries it forward when it comes up).
public struct Cluster<Node: NodeModel>: Sendable {
    /// A key's `what`: ≥ 0 is a message (see `messageCode`); < 0 is `-1 - code`, see `timerCode`.
    typealias Key = EventKey
    /// A node's timer: the arming that counts (`seq`, 0 when not armed) and the key standing
    /// for this slot in the queue (`queuedSeq`, 0 when none), which may be an earlier arming's.
    struct TimerSlot: Sendable {
        var seq: UInt64 = 0; var deadline: SimTime = 0; var armedAt: SimTime = 0
        var queuedSeq: UInt64 = 0; var queuedAt: SimTime = 0
    }
    /// What waits for a paused or busy node.
    enum Waiting: Sendable {
        case message(Envelope<Node.Message>)
        case timer(slot: Int, seq: UInt64)
    }

    public private(set) var now: SimTime = 0
    public private(set) var nodes: [Node]
    /// Not crashed (up or paused).
    public private(set) var isUp: [Bool]
    public private(set) var isPaused: [Bool]
    public var network: Network
    public var clocks: [NodeClock] { didSet { clocksAdjusted = true } }
    /// False until anything sets a clock: until then every clock reads true time, and a handler
    /// call need not read its node's clock (at 100,000 nodes, a cache miss on every event).
    private var clocksAdjusted = false
    /// A node's clock as handlers read it.
    @inline(__always) private func clock(_ id: NodeID) -> NodeClock { clocksAdjusted ? clocks[id] : NodeClock() }
    public var journal: Journal<Node.Message>
    public private(set) var eventsProcessed = 0
    /// Events this cluster may process at most (`EventBudget`: an experiment in a lesson).
    private let eventCap = EventBudget.current
    /// Asked every `stopCheckEvery` events, when a budget gave one (`EventBudget.limit`).
    private let stopSignal = EventBudget.currentStop
    /// Events this cluster may process before it looks again (the cap, or the next time it
    /// asks whether it was told to stop): one comparison an event either way.
    private var eventLimit = 0
    private static var stopCheckEvery: Int { 4_096 }
    /// Commands handed to nodes directly (`poke`), for compaction.
    private var pokes = 0
    /// Handler calls so far; gives every call a place in one global order.
    public private(set) var stamps = 0
    /// Nodes that are not crashed, kept as a count so conditions need not scan.
    public private(set) var upCount: Int
    /// Messages on the wire (including those the network will lose).
    public private(set) var inFlightCount = 0
    /// The sum of every node's `tally`, kept up to date after each handler call.
    public private(set) var tally = Tally()
    /// When each node was crashed (the last 32 times): the truth a pattern's statistics compare
    /// beliefs with. A suspicion of a node that was running (even paused) is a false one.
    public private(set) var outages: [[Outage]]
    public struct Outage: Sendable, Equatable {
        public var from: SimTime
        public var to: SimTime?
    }
    public func wasDown(_ id: NodeID, at t: SimTime) -> Bool {
        outages[id].contains { $0.from <= t && ($0.to.map { t < $0 } ?? true) }
    }

    /// One random stream per node and one for the network: a pattern that adds a draw in one
    /// node's handler does not reshuffle every later delay and every other node's choices.
    var nodeRNG: [SplitMix64]
    var networkRNG: SplitMix64
    var realismRNG: SplitMix64

    var queue = EventQueue()
    var seq: UInt64 = 0
    /// Messages on the wire, by slot: where and when each travels (plain data), and the message
    /// itself apart. As one array of optional generic envelopes, storing and freeing a slot went
    /// through the envelope's generic value witnesses, with a metadata lookup each time.
    var wire: [WireSlot] = []
    var payloads: [Node.Message?] = []
    var freeSlots: [Int] = []
    var timers: [TimerSlot]
    var inbox: [Deque<Waiting>]
    var busyUntil: [SimTime]
    /// False until some node has been busy: until then `blocked` need not read `busyUntil`.
    private var anyBusy = false
    var drainQueued: [Bool]
    /// The sequence number of the queued end of a timed pause (0: none); a later pause or a
    /// resume by hand makes an older end stale.
    var pauseEnds: [UInt64]
    var messageCount = 0
    /// One for every handler call: its lists keep their capacity, so a call that sends does
    /// not allocate, and no call builds or destroys one. (Built per call, its destruction went
    /// through an outlined generic value witness: 3 % of the resilience benchmark.)
    var io: NodeIO<Node>

    public var size: Int { nodes.count }
    /// Names, kinds and edges of the nodes (n1…nN unless the pattern names them).
    public let topology: Topology
    public func name(_ id: NodeID) -> String { topology.name(id) }

    /// `topology`, when given, must have `size` nodes.
    public init(size: Int, config: Node.Config, seed: UInt64, network: Network = Network(),
                journal: Journal<Node.Message> = Journal(), topology: Topology? = nil) {
        precondition(topology == nil || topology!.count == size, "a topology of \(topology!.count) nodes for a cluster of \(size)")
        self.topology = topology ?? .numbered(size)
        nodes = (0..<size).map { Node(id: $0, clusterSize: size, config: config) }
        isUp = Array(repeating: true, count: size)
        isPaused = Array(repeating: false, count: size)
        upCount = size
        clocks = Array(repeating: NodeClock(), count: size)
        timers = Array(repeating: TimerSlot(), count: size * Node.Timer.slotCount)
        inbox = Array(repeating: [], count: size)
        busyUntil = Array(repeating: 0, count: size)
        drainQueued = Array(repeating: false, count: size)
        pauseEnds = Array(repeating: 0, count: size)
        outages = Array(repeating: [], count: size)
        networkRNG = SplitMix64.stream(seed, 0)
        // Its own stream: turning realism on does not reshuffle the network's or a node's draws.
        realismRNG = SplitMix64.stream(seed, 0x5EED_0000_0000)
        nodeRNG = (0..<size).map { SplitMix64.stream(seed, UInt64($0) + 1) }
        self.network = network
        self.journal = journal
        if let t = topology, !t.numbered { self.journal.names = t.names }
        for n in nodes { tally += n.tally }
        io = NodeIO(id: 0, clusterSize: size, localNow: 0, rng: SplitMix64(seed: 0))
        // Booting is outside any event, as in `runOutsideEvent`, with one drop for all nodes.
        for i in 0..<size { run(i) { node, io in node.boot(&io) } }
        dropStaleHead()
    }

    // MARK: Time

    public var nextEventTime: SimTime? { queue.min?.time }

    /// Processes the earliest event, moving the clock to it. False when nothing is scheduled.
    @discardableResult
    public mutating func step() -> Bool {
        guard let next = queue.popMin() else { return false }
        if nodes.count >= Self.prefetchFrom, let ahead = queue.upcoming(Self.prefetchAhead) ?? queue.min { prefetch(ahead) }
        now = max(now, next.time)
        eventsProcessed += 1
        if eventsProcessed % compactionInterval == 0 { Node.compact(&nodes) }
        if next.what >= 0 {
            let slot = Self.wireSlot(next.what)
            let env = envelope(wire[slot], payloads[slot].take()!)
            freeSlots.append(slot)
            inFlightCount -= 1
            arrive(env)
        } else {
            let (id, slot) = Self.decode(next.what)
            switch slot - Node.Timer.slotCount {
            case 0: drain(id)
            case 1: if pauseEnds[id] == next.seq { resume(id) }
            default: timerDue(id, slot, next)
            }
        }
        dropStaleHead()
        return true
    }

    /// Where message slot `slot` travels and what it carries (16 bytes, 16-aligned: one line).
    @inline(__always) private func prefetchSlot(_ slot: Int) {
        prefetchWhole(wire, slot)
        payloads.withUnsafeBufferPointer { if slot < $0.count { ct_prefetch($0.baseAddress! + slot) } }
    }

    /// Every cache line of element `k`, its last byte's included: an array's elements are only
    /// 16-aligned, so an element may span one line more than its size needs.
    /// - A node: a handler reads the node's tally at its end as well as its first fields. (With
    ///   only the first line loaded, the 320-byte gossip node's tally was the costliest miss of
    ///   a 100,000-node run; loading all of them took that run from 960-980 to 750-870 ms.)
    /// - A 40-byte timer slot or a 48-byte wire slot: loading only its first line left the
    ///   second a miss (the timer slot's `queuedSeq`, read when the timer is armed again, was
    ///   40 % of arming's time in a 100,000-node gossip experiment).
    @inline(__always) private func prefetchWhole<T>(_ array: [T], _ k: Int) {
        array.withUnsafeBufferPointer { b in
            guard k < b.count else { return }
            let start = UnsafeRawPointer(b.baseAddress! + k)
            for offset in stride(from: 0, to: MemoryLayout<T>.stride, by: 64) { ct_prefetch(start + offset) }
            ct_prefetch(start + (MemoryLayout<T>.stride - 1))
        }
    }

    /// Below this many nodes a run's state sits in the cache and prefetching only costs (3 % on
    /// 101-node Raft).
    static var prefetchFrom: Int { 4_096 }
    /// Which upcoming event to load for: the one after next (the next was loaded for while
    /// the previous event was handled). Loading for the very next one left too little time
    /// for the load; further ahead measured no better (100,000-node push gossip: 186-188
    /// ns/event for the next, 156-164 for the one after, 188-212 for four ahead).
    static var prefetchAhead: Int { 1 }

    /// Starts loading what a coming event will read (its node, whether the node is up, its
    /// random stream and timer slot, or the message's slot), so those cache misses overlap the
    /// handling of this event instead of following it: at 100,000 nodes an event is mostly such
    /// misses. Only a hint: if an event queues something earlier, nothing is wrong, only unused.
    @inline(__always) private func prefetch(_ key: Key) {
        if key.what >= 0 {
            let slot = Self.wireSlot(key.what), to = key.what >> 32
            prefetchSlot(slot)
            if to < nodes.count {
                prefetchWhole(nodes, to)
                nodeRNG.withUnsafeBufferPointer { ct_prefetch($0.baseAddress! + to) }
            }
            return
        }
        let (id, slot) = Self.decode(key.what)
        guard id < nodes.count else { return }
        prefetchWhole(nodes, id)
        nodeRNG.withUnsafeBufferPointer { ct_prefetch($0.baseAddress! + id) }
        if slot < Node.Timer.slotCount { prefetchWhole(timers, timerIndex(id, slot)) }
        isUp.withUnsafeBufferPointer { ct_prefetch($0.baseAddress! + id) }
    }

    /// Processes every event up to and including `t`, then leaves the clock at `t`.
    public mutating func advance(to t: SimTime) {
        while let nt = nextEventTime, nt <= t {
            guard mayStep() else { return }
            step()
        }
        now = max(now, t)
    }

    /// Whether one more event may be processed: false (and the budget told) at the cap, or once
    /// the budget's stop signal was raised.
    @inline(__always) private mutating func mayStep() -> Bool { eventsProcessed < eventLimit || extendLimit() }

    private mutating func extendLimit() -> Bool {
        if eventsProcessed >= eventCap || stopSignal?.isRaised == true {
            eventLimit = eventsProcessed
            EventBudget.markExceeded()
            return false
        }
        eventLimit = stopSignal == nil ? eventCap : min(eventCap, eventsProcessed + Self.stopCheckEvery)
        return true
    }

    public enum RunOutcome: Sendable, Equatable {
        /// The condition held (possibly before any event).
        case met
        /// Simulated time ran out first; the clock stands at the deadline.
        case timedOut
        /// The event budget ran out first; the clock stands at the last event.
        case eventLimit
    }

    /// Processes events due no later than `time`, at most `maxEvents`, stopping right after an
    /// event that makes `stop` true or, with `untilSaturated`, after one that met the limit of
    /// messages on the wire. Returns how many ran and whether it stopped for either. The clock
    /// is left at the last event.
    public mutating func stepEvents(through time: SimTime, maxEvents: Int = .max, untilSaturated: Bool = false,
                                    stop: ((Cluster) -> Bool)? = nil) -> (events: Int, stopped: Bool) {
        guard let stop else { return stepEvents(through: time, maxEvents: maxEvents, untilSaturated: untilSaturated, until: { _ in false }) }
        return stepEvents(through: time, maxEvents: maxEvents, untilSaturated: untilSaturated, until: stop)
    }

    /// The loop itself, with a condition that is always there: unwrapping an optional one on
    /// every event retained and released its context each time. Inlined, so that a condition
    /// written at the call (an experiment's "leader exists") is inlined too and reads the
    /// cluster in place: called through a closure, the cluster was copied for every event
    /// (a memcpy of the whole struct, 6 % of a lockstep election).
    @inline(__always)
    mutating func stepEvents(through time: SimTime, maxEvents: Int, untilSaturated: Bool,
                             until stop: (Cluster) -> Bool) -> (events: Int, stopped: Bool) {
        var events = 0
        while events < maxEvents, let nt = nextEventTime, nt <= time {
            guard mayStep() else { break }
            step()
            events += 1
            if untilSaturated && saturated > 0 { return (events, true) }
            if stop(self) { return (events, true) }
        }
        return (events, false)
    }

    /// Runs until `condition` holds (checked before the first event and after each one), for at
    /// most `within` of simulated time and `maxEvents` events. For experiments and tests that
    /// drive a cluster without a lesson.
    @inline(__always)
    public mutating func run(until condition: (Cluster) -> Bool, within: SimTime, maxEvents: Int = .max) -> RunOutcome {
        if condition(self) { return .met }
        let deadline = now + within
        let ran = stepEvents(through: deadline, maxEvents: maxEvents, untilSaturated: false, until: condition)
        if ran.stopped { return .met }
        if let nt = nextEventTime, nt <= deadline { return .eventLimit }
        now = max(now, deadline)
        return .timedOut
    }

    // MARK: Faults

    public func state(of id: NodeID) -> NodeState { !isUp[id] ? .crashed : isPaused[id] ? .paused : .up }

    public mutating func crash(_ id: NodeID) {
        guard isUp[id] else { return }
        isUp[id] = false
        isPaused[id] = false
        pauseEnds[id] = 0
        upCount -= 1
        outages[id].append(Outage(from: now, to: nil))
        if outages[id].count > 32 { outages[id].removeFirst() }
        tally -= nodes[id].tally
        nodes[id].crash()
        tally += nodes[id].tally
        for s in 0..<Node.Timer.slotCount { timers[timerIndex(id, s)] = TimerSlot() }
        inbox[id].removeAll()
        busyUntil[id] = 0
        dropStaleHead()
        log(.fault, id, nil, "crashed")
    }

    public mutating func restart(_ id: NodeID) {
        guard !isUp[id] else { return }
        isUp[id] = true
        upCount += 1
        if let last = outages[id].indices.last { outages[id][last].to = now }
        log(.fault, id, nil, "restarted")
        runOutsideEvent(id) { node, io in node.boot(&io) }
    }

    /// Stops a node without crashing it: nothing it has is lost, it just does nothing until
    /// `resume`. What arrives meanwhile waits in its inbox; timers that fall due wait too.
    /// With `duration`, the node resumes by itself that much later (a GC pause of known length).
    public mutating func pause(_ id: NodeID, for duration: SimTime? = nil) {
        guard isUp[id] else { return }
        if !isPaused[id] {
            isPaused[id] = true
            log(.fault, id, nil, "paused" + (duration.map { " for \(SimDuration.format($0))" } ?? ""))
        }
        if let d = duration {
            let s = nextSeq()
            pauseEnds[id] = s
            queue.insert(Key(time: now + max(0, d), seq: s, what: pauseEndCode(id)))
        } else {
            pauseEnds[id] = 0
        }
    }

    /// Ends a pause: the node handles what waited for it, oldest first, at once.
    public mutating func resume(_ id: NodeID) {
        guard isUp[id], isPaused[id] else { return }
        isPaused[id] = false
        pauseEnds[id] = 0
        log(.fault, id, nil, "resumed with \(inbox[id].count) waiting")
        queueDrain(id, at: max(now, busyUntil[id]))
    }

    /// Messages and due timers waiting for a paused or busy node.
    public func waiting(at id: NodeID) -> Int { inbox[id].count }

    /// Messages a node's inbox holds while it is paused or busy; past this, new ones are lost, as
    /// a real process's socket buffers fill. (Without a bound, a long pause under load kept
    /// gigabytes.)
    public static var inboxCapacity: Int { 1_000 }

    /// Why a node cannot act now ("n2 is paused"), or nil when it runs.
    public func unavailable(_ id: NodeID) -> String? {
        !isUp[id] ? "\(name(id)) is crashed" : isPaused[id] ? "\(name(id)) is paused" : nil
    }

    /// Cuts a node off from every other node, both ways.
    public mutating func isolate(_ id: NodeID, by who: String = "") {
        network.isolate(id, size: size)
        log(.command, id, nil, "isolated from every other node" + who)
    }

    /// Removes every partition and link fault.
    public mutating func heal(by who: String = "") {
        network.heal()
        log(.command, nil, nil, "heal: every partition and link fault removed" + who)
    }

    // MARK: Outside stimulus

    /// Runs `body` on a running node as if something outside the cluster (a client, an
    /// operator) poked it; what it sends and arms is carried out like any handler's. Nothing
    /// happens to a crashed or paused node, and the result says so.
    @discardableResult
    public mutating func poke(_ id: NodeID, _ body: (inout Node, inout NodeIO<Node>) -> Void) -> Bool {
        guard isUp[id], !isPaused[id] else { return false }
        runOutsideEvent(id, body)
        // Commands make state too (a lesson of 25,000 `event` lines processes no events): they
        // count toward compaction as events do.
        pokes += 1
        if pokes % compactionInterval == 0 { Node.compact(&nodes) }
        return true
    }

    /// Changes a node's state directly, with no messages or timers: for settings changed
    /// mid-lesson (a new timeout range), never for protocol behaviour.
    public mutating func reconfigure(_ id: NodeID, _ body: (inout Node) -> Void) {
        tally -= nodes[id].tally
        body(&nodes[id])
        tally += nodes[id].tally
    }

    public mutating func log(_ kind: JournalEntry.Kind, _ node: NodeID?, _ peer: NodeID?, _ text: String) {
        journal.append(time: now, kind: kind, node: node, peer: peer, text: text)
    }

    /// A journal record built only if the journal keeps it; the digest sees it either way.
    @inline(__always)
    mutating func record(_ kind: JournalEntry.Kind, _ node: NodeID?, _ peer: NodeID?,
                         _ detail: @autoclosure () -> JournalRecord<Node.Message>.Detail) {
        if journal.keeps {
            journal.append(JournalRecord(time: now, kind: kind, node: node, peer: peer, detail: detail()))
        } else {
            journal.tally(time: now, kind: kind, node: node, peer: peer)
        }
    }

    // MARK: What views and conditions read

    /// Messages on the wire, oldest first. Builds a list: for drawing, not for every event.
    public var inFlight: [Envelope<Node.Message>] {
        payloads.indices.compactMap { k in payloads[k].map { envelope(wire[k], $0) } }.sorted { $0.id < $1.id }
    }

    /// When an armed timer will fire, and when it was armed (for drawing a countdown).
    public func timer(_ t: Node.Timer, of id: NodeID) -> (armedAt: SimTime, deadline: SimTime)? {
        let s = timers[timerIndex(id, t.slot)]
        return s.seq == 0 ? nil : (s.armedAt, s.deadline)
    }

    /// Fires a node's timer now, as if it had run out.
    public mutating func expire(_ t: Node.Timer, of id: NodeID) -> Bool {
        let k = timerIndex(id, t.slot)
        guard isUp[id], !isPaused[id], timers[k].seq != 0 else { return false }
        timers[k].seq = 0   // its key stays queued, and known as such
        record(.timer, id, nil, .timer(t, forced: true))
        runOutsideEvent(id) { node, io in node.fire(t, &io) }
        return true
    }

    // MARK: Internals

    /// A message on the wire as views and handlers see it: its travel data and the message.
    @inline(__always) func envelope(_ w: WireSlot, _ m: Node.Message) -> Envelope<Node.Message> {
        Envelope(id: w.id, from: w.from, to: w.to, sentAt: w.sentAt, arrivesAt: w.arrivesAt, message: m, lostBecause: w.lostBecause)
    }

    /// Where a node's timer lives in `timers`.
    @inline(__always) func timerIndex(_ id: NodeID, _ slot: Int) -> Int { id * Node.Timer.slotCount + slot }
    /// Per node, the codes are its timer slots, then its drain, then the end of a timed pause.
    @inline(__always) func timerCode(_ id: NodeID, _ slot: Int) -> Int { -1 - (id * (Node.Timer.slotCount + 2) + slot) }
    @inline(__always) func drainCode(_ id: NodeID) -> Int { timerCode(id, Node.Timer.slotCount) }
    @inline(__always) func pauseEndCode(_ id: NodeID) -> Int { timerCode(id, Node.Timer.slotCount + 1) }
    /// A message's key: its slot on the wire, and (above bit 32) the node it goes to, so the
    /// node can be fetched ahead without reading the slot first.
    @inline(__always) static func messageCode(slot: Int, to: NodeID) -> Int { slot | to << 32 }
    @inline(__always) static func wireSlot(_ what: Int) -> Int { what & 0xFFFF_FFFF }
    @inline(__always) static func decode(_ what: Int) -> (NodeID, Int) {
        let code = -1 - what
        return (code / (Node.Timer.slotCount + 2), code % (Node.Timer.slotCount + 2))
    }

    /// A timer that was re-armed, cancelled or lost in a crash leaves its old key in the queue.
    /// Popping such keys as soon as they reach the head keeps `nextEventTime` honest, so "one
    /// event forward" always shows something happen. A key that stands for a later arming of
    /// its timer goes back in at that arming's deadline and number: exactly where the arming
    /// would have put it, so the order of events is as if every arming had queued a key.
    mutating func dropStaleHead() {
        while let head = queue.min, head.what < 0 {
            let (id, slot) = Self.decode(head.what)
            if slot >= Node.Timer.slotCount { return }
            let k = timerIndex(id, slot)
            if isUp[id] && timers[k].seq == head.seq { return }
            queue.removeMin()
            carryForward(k, head)
        }
    }

    /// `key` of timer slot `k` came up without being the live arming: if it is the slot's
    /// queued key and the timer is armed, queue the arming it stands for.
    private mutating func carryForward(_ k: Int, _ key: Key) {
        let t = timers[k]
        guard t.queuedSeq == key.seq else { return }
        guard t.seq != 0, isUp[k / Node.Timer.slotCount] else { timers[k].queuedSeq = 0; return }
        queue.insert(Key(time: t.deadline, seq: t.seq, what: key.what))
        timers[k].queuedSeq = t.seq
        timers[k].queuedAt = t.deadline
    }

    @inline(__always)
    private mutating func nextSeq() -> UInt64 { seq += 1; return seq }

    /// `run` for a handler called by a command rather than by an event (a restart, a poke, a
    /// timer expired by hand): the stale keys it leaves at the head are dropped at once, as
    /// `step` does after every event.
    private mutating func runOutsideEvent(_ id: NodeID, _ body: (inout Node, inout NodeIO<Node>) -> Void) {
        run(id, body)
        dropStaleHead()
    }

    /// Calls a handler of node `id` and carries out what it asked for. Stale timer keys it
    /// leaves at the head are dropped by the caller (`step`, once per event, or
    /// `runOutsideEvent`), so an event pays for that once.
    private mutating func run(_ id: NodeID, _ body: (inout Node, inout NodeIO<Node>) -> Void) {
        let clock = self.clock(id)
        stamps += 1
        io.begin(id: id, localNow: clock.local(now), monotonicNow: clock.monotonic(now), trueNow: now,
                 stamp: stamps, rng: nodeRNG[id])
        io.notesRead = journal.readsText
        tally -= nodes[id].tally
        body(&nodes[id], &io)
        tally += nodes[id].tally
        nodeRNG[id] = io.rng
        // Effects are plain data, so the list is read in place and emptied for nothing. The
        // messages sent are moved out one by one from the back of the reversed outbox, in the
        // order they were sent: each is moved onto the wire, never copied, and what a crash
        // leaves unsent is dropped with the rest.
        var dies = false
        io.outbox.reverse()
        for k in 0..<io.effectCount {
            switch io.effectBuffer[k] {
            case .crash: dies = true
            case .send(let to): transmit(io.outbox.removeLast(), from: id, to: to)
            case let effect: apply(effect, from: id)
            }
            if dies { break }
        }
        io.effectCount = 0
        if !io.outbox.isEmpty { io.outbox.removeAll(keepingCapacity: true) }
        if !io.notes.isEmpty { io.notes.removeAll() }
        if dies { crash(id) }
    }

    private mutating func apply(_ effect: NodeIO<Node>.Effect, from id: NodeID) {
        switch effect {
        case .send, .crash: break   // carried out by `run`
        case let .setTimer(t, d):
            var deadline = now + max(0, clock(id).trueDuration(ofLocal: d))
            if network.timerJitter > 0 { deadline += realismRNG.next(in: 0...network.timerJitter) }
            // The slot remembers which arming is live; keys of older ones become stale. A timer
            // re-armed for later than its queued key (an election timeout pushed back by every
            // heartbeat) queues nothing: that key, when it comes up, carries the arming forward.
            // A 101-node Raft cluster otherwise keeps several dead keys per follower in the heap.
            let s = nextSeq()
            let k = timerIndex(id, t.slot)
            var slot = timers[k]
            if slot.queuedSeq == 0 || slot.queuedAt > deadline {
                queue.insert(Key(time: deadline, seq: s, what: timerCode(id, t.slot)))
                slot.queuedSeq = s
                slot.queuedAt = deadline
            }
            slot.seq = s; slot.deadline = deadline; slot.armedAt = now
            timers[k] = slot
        case let .cancelTimer(t):
            // Its queued key stays queued (and known), to carry a later arming or be dropped.
            timers[timerIndex(id, t.slot)].seq = 0
        case let .note(k):
            log(.state, id, nil, io.notes[k])
        case let .busy(d):
            keepBusy(id, until: now + d)
        }
    }

    /// The most messages on the wire at once. Beyond it a message is not sent at all (and
    /// `saturated` counts it): a lesson with 10 s latency and 1 ms timeouts would otherwise
    /// queue messages until memory ran out, in the player and in `check` alike.
    public static var maxInFlight: Int { 50_000 }
    /// This cluster's limit: `maxInFlight` unless a headless run whose load is known raises it
    /// (an experiment's strict gossip round at 100,000 nodes puts 100,000 messages on the wire
    /// at one instant, and refusing half of them would measure the limit, not the protocol).
    public var inFlightLimit = Self.maxInFlight
    /// Messages refused because the wire was full.
    public private(set) var saturated = 0

    private mutating func transmit(_ m: consuming Node.Message, from: NodeID, to: NodeID) {
        guard inFlightCount < inFlightLimit else {
            if saturated == 0 { log(.fault, from, to, "network saturated: \(inFlightLimit) messages on the wire; messages beyond are not sent") }
            saturated += 1
            return
        }
        let link = Link(from, to)
        let fault = network.fault(link)
        // A duplicate needs room of its own: the limit is on messages, not on sends.
        let duplicated = networkRNG.chance(ppm: max(network.duplicatePPM, fault.duplicatePPM))
        if duplicated && inFlightCount + 1 < inFlightLimit {
            put(copy m, link, fault, duplicate: false)
            put(m, link, fault, duplicate: true)
        } else {
            put(m, link, fault, duplicate: false)
        }
    }

    /// One message onto the wire: its delay and fate drawn, then moved into a free slot (taken,
    /// not copied: a copy of a message that carries entries is a retain and, later, a release).
    @inline(__always)
    private mutating func put(_ m: consuming Node.Message, _ link: Link, _ fault: LinkFault, duplicate: Bool) {
        let (from, to) = (link.from, link.to)
        messageCount += 1
        let delay = (fault.latency ?? network.latency).draw(&networkRNG) + fault.extraDelay
        var w = WireSlot(id: messageCount, from: from, to: to, sentAt: now, arrivesAt: now + max(1, delay), lostBecause: nil)
        if network.isCut(link) {
            w.lostBecause = .partition
        } else if networkRNG.chance(ppm: max(network.lossPPM, fault.lossPPM)) {
            w.lostBecause = .lost
        }
        if w.lostBecause != nil {
            // A lost message is drawn travelling half way, then vanishing: students see it die.
            w.arrivesAt = now + max(1, delay / 2)
        }
        // (Written out, not through `record`: its autoclosure would capture `m`, which is then
        // moved onto the wire.)
        if journal.keeps {
            journal.append(JournalRecord(time: now, kind: .send, node: from, peer: to, detail: .message(copy m, duplicate ? .duplicate : .none)))
        } else {
            journal.tally(time: now, kind: .send, node: from, peer: to)
        }
        let slot: Int
        // (`removeLast`, not `popLast`: the generic `popLast` was left a call.)
        if !freeSlots.isEmpty {
            slot = freeSlots.removeLast(); wire[slot] = w; payloads[slot] = m
            // The slot the next send takes was freed long ago (when 100,000 nodes send at
            // one instant, a round ago): start loading it now.
            if nodes.count >= Self.prefetchFrom, let next = freeSlots.last { prefetchSlot(next) }
        } else {
            slot = wire.count; wire.append(w); payloads.append(m)
        }
        inFlightCount += 1
        queue.insert(Key(time: w.arrivesAt, seq: nextSeq(), what: Self.messageCode(slot: slot, to: to)))
    }

    private mutating func arrive(_ env: Envelope<Node.Message>) {
        if let why = env.lostBecause {
            record(.drop, env.from, env.to, .message(env.message, why == .partition ? .partition : .lost))
            return
        }
        if network.isCut(Link(env.from, env.to)) {
            record(.drop, env.from, env.to, .message(env.message, .partition))
            return
        }
        guard isUp[env.to] else {
            record(.drop, env.from, env.to, .message(env.message, .down))
            return
        }
        if blocked(env.to) {
            guard inbox[env.to].count < Self.inboxCapacity else {
                record(.drop, env.from, env.to, .message(env.message, .inboxFull))
                return
            }
            wait(.message(env), at: env.to)
            return
        }
        deliver(env)
    }

    private mutating func deliver(_ env: Envelope<Node.Message>) {
        record(.deliver, env.from, env.to, .message(env.message, .none))
        run(env.to) { node, io in node.receive(env.message, from: env.from, &io) }
        if let p = network.processing { keepBusy(env.to, until: now + realismRNG.next(in: p)) }
    }

    private mutating func keepBusy(_ id: NodeID, until t: SimTime) {
        busyUntil[id] = max(busyUntil[id], t)
        anyBusy = true
    }

    @inline(__always) private func blocked(_ id: NodeID) -> Bool { isPaused[id] || (anyBusy && busyUntil[id] > now) }

    private mutating func timerDue(_ id: NodeID, _ slot: Int, _ key: Key) {
        // A timer that was re-armed or cancelled after this key was queued is stale (and
        // `dropStaleHead` normally took the key away before it got here).
        let k = timerIndex(id, slot)
        let s = key.seq
        guard isUp[id], timers[k].seq == s else { carryForward(k, key); return }
        timers[k].queuedSeq = 0   // popped: a new arming must queue a key of its own
        if blocked(id) { wait(.timer(slot: slot, seq: s), at: id); return }
        fireTimer(id, slot)
    }

    private mutating func fireTimer(_ id: NodeID, _ slot: Int) {
        timers[timerIndex(id, slot)] = TimerSlot()
        let t = Node.Timer(slot: slot)
        record(.timer, id, nil, .timer(t, forced: false))
        run(id) { node, io in node.fire(t, &io) }
    }

    private mutating func wait(_ w: Waiting, at id: NodeID) {
        inbox[id].append(w)
        if !isPaused[id] { queueDrain(id, at: busyUntil[id]) }
    }

    private mutating func queueDrain(_ id: NodeID, at t: SimTime) {
        guard !drainQueued[id], !inbox[id].isEmpty else { return }
        drainQueued[id] = true
        queue.insert(Key(time: max(now, t), seq: nextSeq(), what: drainCode(id)))
    }

    /// Handles one thing that waited, then queues the next for when the node is free again.
    private mutating func drain(_ id: NodeID) {
        drainQueued[id] = false
        guard isUp[id], !isPaused[id], let first = inbox[id].first else { return }
        if busyUntil[id] > now { queueDrain(id, at: busyUntil[id]); return }
        inbox[id].removeFirst()
        switch first {
        case .message(let env):
            deliver(env)   // it reached the node before any later cut: the network is done with it
        case let .timer(slot, s):
            if timers[timerIndex(id, slot)].seq == s { fireTimer(id, slot) }
        }
        if isUp[id] && !isPaused[id] { queueDrain(id, at: busyUntil[id]) }
    }
}

extension SplitMix64 {
    /// Stream `k` of a run seeded with `seed`: streams of one seed are unrelated to each other,
    /// and stream `k` of a seed is always the same sequence.
    public static func stream(_ seed: UInt64, _ k: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (k &* 0xD1B5_4A32_D192_ED03))
        _ = mixer.next()
        return SplitMix64(seed: mixer.next())
    }
}
