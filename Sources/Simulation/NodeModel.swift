/// What a pattern implements for one node: a pure state machine driven by messages and timers.
/// Handlers never touch the network or the clock directly; they ask through `NodeIO`, and the
/// cluster carries the requests out in order. That keeps nodes testable one at a time.
public protocol NodeModel: Sendable {
    associatedtype Message: Sendable & CustomStringConvertible
    associatedtype Timer: TimerKind
    associatedtype Config: Sendable

    init(id: NodeID, clusterSize: Int, config: Config)

    /// First start, and every restart after a crash (volatile state is already gone then).
    mutating func boot(_ io: inout NodeIO<Self>)
    mutating func receive(_ message: Message, from: NodeID, _ io: inout NodeIO<Self>)
    mutating func fire(_ timer: Timer, _ io: inout NodeIO<Self>)
    /// Forget volatile state; what a real node keeps on disk survives.
    mutating func crash()

    /// Trims state that grows with time (a recorded history), so memory stays flat however long
    /// a run goes. The cluster calls it every `compactionInterval` events, so it happens at the
    /// same events in every run of a seed. The default keeps everything.
    static func compact(_ nodes: inout [Self])

    /// What this node adds to the cluster's running totals (gossip: informed, spreading). The
    /// cluster keeps the sums up to date after every handler call, so a condition such as "all
    /// 100,000 nodes informed" is answered without scanning them after every event.
    var tally: Tally { get }
}

extension NodeModel {
    public static func compact(_ nodes: inout [Self]) {}
    public var tally: Tally { Tally() }
}

/// Two counts a node contributes to, summed over the cluster.
public struct Tally: Sendable, Equatable {
    public var first = 0
    public var second = 0
    public init(first: Int = 0, second: Int = 0) { self.first = first; self.second = second }
    @inline(__always) static func += (a: inout Tally, b: Tally) { a.first += b.first; a.second += b.second }
    @inline(__always) static func -= (a: inout Tally, b: Tally) { a.first -= b.first; a.second -= b.second }
}

/// Events between two calls of `NodeModel.compact`.
public let compactionInterval = 4_096

/// A node's timers are a small fixed set (an election timeout, a heartbeat), so the cluster
/// keeps them in a flat array indexed by `slot` rather than in a dictionary per node.
public protocol TimerKind: Hashable, Sendable, CustomStringConvertible {
    /// How many distinct timers a node can have armed at once.
    static var slotCount: Int { get }
    /// This timer's place, in `0..<slotCount`.
    var slot: Int { get }
    init(slot: Int)
}

/// Timers numbered from 0 (`enum Timer: Int, TimerKind`) need only say how many there are.
extension TimerKind where Self: RawRepresentable, RawValue == Int {
    public var slot: Int { rawValue }
    public init(slot: Int) { self.init(rawValue: slot)! }
}

/// Every node but one, without building an array: a handler that broadcasts to 1,000 peers
/// should not allocate 1,000 integers first.
public struct Peers: RandomAccessCollection, Sendable {
    public let count: Int
    let skipping: NodeID
    public init(of id: NodeID, in size: Int) { count = Swift.max(0, size - 1); skipping = id }
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(k: Int) -> NodeID { k < skipping ? k : k + 1 }
}

/// The requests one handler call makes, in the order it made them.
public struct NodeIO<Node: NodeModel>: Sendable {
    /// Plain data whatever the pattern's messages are: a message sent is `outbox`'s next one.
    /// (With the message in the enum, every effect's copy and destruction went through an
    /// outlined, partly generic value witness: a tenth of a 101-node Raft run.)
    public enum Effect: Sendable {
        case send(NodeID)
        case setTimer(Node.Timer, after: SimTime)
        case cancelTimer(Node.Timer)
        /// A journal line: its text is `notes[k]`. Kept apart so that an effect is plain data
        /// when the pattern's messages are (a string in the enum made every effect's copy and
        /// destruction an outlined call, a tenth of the resilience benchmark).
        case note(Int)
        /// The node works for this long on what it just handled: messages that arrive meanwhile
        /// wait in its inbox (a single worker with a queue).
        case busy(SimTime)
        /// The process dies here: what the handler asked for before it is carried out, nothing
        /// after (a lesson's "crash after commit, before publish").
        case crash
    }

    public internal(set) var id: NodeID
    public let clusterSize: Int
    /// The node's own clock reading (true time plus its skew): its wall clock.
    public internal(set) var localNow: SimTime
    /// The node's monotonic clock: runs at the node's rate, never stepped.
    public var monotonicNow: SimTime = 0
    /// True simulated time. For recording history (a time-space diagram, a test) only: a
    /// protocol must act on `localNow`, the only time a real node has.
    public var trueNow: SimTime = 0
    /// This handler call's place in the cluster's one global order of handler calls.
    public var stamp = 0
    /// The node's own random stream: draws here never shift another node's or the network's.
    var rng: SplitMix64
    /// The requests made so far, in order.
    public var effects: ArraySlice<Effect> { effectBuffer[..<effectCount] }
    /// The cluster's one `NodeIO` keeps this list's elements from call to call: emptying it is
    /// setting `effectCount` to 0. (Emptying the array itself went through a generic
    /// `replaceSubrange` on every handler call: 3-4 % of a run's instructions.)
    var effectBuffer: [Effect] = []
    var effectCount = 0
    /// The messages of the `.send` effects, in the same order.
    public internal(set) var outbox: [Node.Message] = []
    public internal(set) var notes: [String] = []

    public init(id: NodeID, clusterSize: Int, localNow: SimTime, rng: SplitMix64) {
        self.id = id; self.clusterSize = clusterSize; self.localNow = localNow; self.rng = rng
    }

    /// Makes this the record of a new handler call (the cluster keeps one and reuses it). Its
    /// lists are empty: the cluster emptied them after the last call.
    mutating func begin(id: NodeID, localNow: SimTime, monotonicNow: SimTime, trueNow: SimTime, stamp: Int, rng: SplitMix64) {
        self.id = id; self.localNow = localNow; self.monotonicNow = monotonicNow; self.trueNow = trueNow
        self.stamp = stamp; self.rng = rng
    }

    public var peers: Peers { Peers(of: id, in: clusterSize) }

    /// Taken, not copied, into the outbox (a copy was an outlined call per message).
    @inline(__always)
    public mutating func send(_ message: consuming Node.Message, to peer: NodeID) { add(.send(peer)); outbox.append(message) }
    /// What this call has sent so far, in order, each with its destination.
    public var sends: [(to: NodeID, message: Node.Message)] {
        zip(effects.compactMap { if case .send(let to) = $0 { to } else { nil } }, outbox).map { (to: $0, message: $1) }
    }
    public mutating func broadcast(_ message: Node.Message) { for p in peers { send(message, to: p) } }
    /// (Re)arms a timer; a timer that was already armed is replaced.
    public mutating func setTimer(_ t: Node.Timer, after d: SimTime) { add(.setTimer(t, after: d)) }
    public mutating func cancelTimer(_ t: Node.Timer) { add(.cancelTimer(t)) }
    /// A state change worth a journal line ("became leader").
    /// Not even made when nothing reads it (an experiment's trial): "became candidate (term
    /// 12)" is a string built and freed, a tenth of a lockstep election's cost.
    public mutating func note(_ s: @autoclosure () -> String) {
        guard notesRead else { return }
        add(.note(notes.count)); notes.append(s())
    }
    /// Whether the journal reads notes (set by the cluster before each call).
    public internal(set) var notesRead = true
    /// Keeps the node busy for `d` after this handler: later arrivals queue until then.
    public mutating func busy(for d: SimTime) { if d > 0 { add(.busy(d)) } }
    /// Crashes the node at this point of the handler (see `Effect.crash`).
    public mutating func crashHere() { add(.crash) }

    @inline(__always) mutating func add(_ e: Effect) {
        if effectCount < effectBuffer.count { effectBuffer[effectCount] = e } else { effectBuffer.append(e) }
        effectCount += 1
    }
    public mutating func random(in range: ClosedRange<SimTime>) -> SimTime { rng.next(in: range) }
    /// A uniform draw in [0, 1): for continuous distributions (exponential service times).
    public mutating func unit() -> Double { rng.nextUnit() }
    /// A uniform draw in `0..<bound`.
    public mutating func random(below bound: Int) -> Int { bound <= 1 ? 0 : Int(rng.next(below: UInt64(bound))) }
    /// A peer chosen uniformly at random, or nil in a cluster of one. One draw, no list built.
    public mutating func randomPeer() -> NodeID? {
        let p = peers
        return p.isEmpty ? nil : p[random(below: p.count)]
    }
}
