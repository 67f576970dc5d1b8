/// What a pattern implements for one node: a pure state machine driven by messages and timers.
/// Handlers never touch the network or the clock directly; they ask through `NodeIO`, and the
/// cluster carries the requests out in order. That keeps nodes testable one at a time.
public protocol NodeModel: Sendable {
    associatedtype Message: Sendable & CustomStringConvertible
    associatedtype Timer: Hashable & Sendable & CustomStringConvertible
    associatedtype Config: Sendable

    init(id: NodeID, clusterSize: Int, config: Config)

    /// First start, and every restart after a crash (volatile state is already gone then).
    mutating func boot(_ io: inout NodeIO<Self>)
    mutating func receive(_ message: Message, from: NodeID, _ io: inout NodeIO<Self>)
    mutating func fire(_ timer: Timer, _ io: inout NodeIO<Self>)
    /// Forget volatile state; what a real node keeps on disk survives.
    mutating func crash()
}

/// The requests one handler call makes, in the order it made them.
public struct NodeIO<Node: NodeModel> {
    public enum Effect {
        case send(NodeID, Node.Message)
        case setTimer(Node.Timer, after: SimTime)
        case cancelTimer(Node.Timer)
        case note(String)
    }

    public let id: NodeID
    public let clusterSize: Int
    /// The node's own clock reading (true time plus its skew): its wall clock.
    public let localNow: SimTime
    /// The node's monotonic clock: runs at the node's rate, never stepped.
    public var monotonicNow: SimTime = 0
    /// True simulated time. For recording history (a time-space diagram, a test) only: a
    /// protocol must act on `localNow`, the only time a real node has.
    public var trueNow: SimTime = 0
    /// This handler call's place in the cluster's one global order of handler calls.
    public var stamp = 0
    var rng: SplitMix64
    public private(set) var effects: [Effect] = []

    public init(id: NodeID, clusterSize: Int, localNow: SimTime, rng: SplitMix64) {
        self.id = id; self.clusterSize = clusterSize; self.localNow = localNow; self.rng = rng
    }

    public var peers: [NodeID] { (0..<clusterSize).filter { $0 != id } }

    public mutating func send(_ message: Node.Message, to peer: NodeID) { effects.append(.send(peer, message)) }
    public mutating func broadcast(_ message: Node.Message) { for p in peers { send(message, to: p) } }
    /// (Re)arms a timer; a timer that was already armed is replaced.
    public mutating func setTimer(_ t: Node.Timer, after d: SimTime) { effects.append(.setTimer(t, after: d)) }
    public mutating func cancelTimer(_ t: Node.Timer) { effects.append(.cancelTimer(t)) }
    /// A state change worth a journal line ("became leader").
    public mutating func note(_ s: String) { effects.append(.note(s)) }
    public mutating func random(in range: ClosedRange<SimTime>) -> SimTime { rng.next(in: range) }
}
