import Simulation

/// How a gossip cluster spreads what it knows. Defaults follow memberlist's LAN profile where it
/// has one (a round every 200 ms) and Demers et al. 1987 elsewhere (push, fanout 1).
public struct GossipConfig: Sendable, Equatable {
    /// Who sends what in a round: `push` sends hot rumors to peers; `pull` asks peers for what
    /// they have that is newer; `push-pull` does both in one exchange.
    public enum Mode: String, Sendable, CaseIterable { case push, pull, pushPull = "push-pull" }

    /// When a spreading node loses interest in a rumor (Demers' rumor mongering). `forever`: it
    /// never does (every informed node keeps pushing, the simple epidemic). `counter(k)`: after k
    /// unnecessary contacts. `coin(k)`: with probability 1/k at each unnecessary contact.
    public enum Interest: Sendable, Equatable {
        case forever, counter(Int), coin(Int)
        public var text: String {
            switch self {
            case .forever: "forever"
            case .counter(let k): "counter \(k)"
            case .coin(let k): "coin \(k)"
            }
        }
    }

    /// Who may contact whom: anyone (`complete`, peers drawn uniformly), or a fixed graph.
    public enum Graph: Sendable, Equatable {
        case complete, ring, grid, random(degree: Int)
        public var text: String {
            switch self {
            case .complete: "complete"
            case .ring: "ring"
            case .grid: "grid"
            case .random(let d): "random \(d)"
            }
        }
    }

    /// The settings themselves, in one immutable box that every copy shares: each node keeps
    /// the cluster's configuration, and as a value it was 130 of a gossip node's 320 bytes, two
    /// of the five cache lines every event at 100,000 nodes loaded. A change makes a new box;
    /// `Gossip` makes it once and hands it to every node.
    struct Values: Sendable {
        var mode = Mode.push
        var fanout = 1
        var period: SimTime = 200_000
        var jitterPercent = 10
        var strictRounds = false
        var interest = Interest.forever
        var feedback = true
        var antiEntropy: SimTime?
        var graph = Graph.complete
        var neighbours: [[NodeID]] = []
        var watched: Watched?
        var keys: [String] = []
    }
    private final class Box: Sendable {
        let values: Values
        init(_ values: Values) { self.values = values }
    }
    private var box = Box(Values())
    @inline(__always) private var v: Values { box.values }
    private mutating func change(_ body: (inout Values) -> Void) {
        var values = box.values
        body(&values)
        box = Box(values)
    }

    public var mode: Mode { get { v.mode } set { change { $0.mode = newValue } } }
    public var fanout: Int { get { v.fanout } set { change { $0.fanout = newValue } } }
    public var period: SimTime { get { v.period } set { change { $0.period = newValue } } }
    /// Each round is `period` ± this share of it, so nodes drift apart as real timers do.
    public var jitterPercent: Int { get { v.jitterPercent } set { change { $0.jitterPercent = newValue } } }
    /// Every node acts at exactly k·period (no phase offsets, no jitter): rounds as in the papers.
    public var strictRounds: Bool { get { v.strictRounds } set { change { $0.strictRounds = newValue } } }
    public var interest: Interest { get { v.interest } set { change { $0.interest = newValue } } }
    /// With feedback a contact is unnecessary only when the peer already knew the rumor; blind,
    /// every contact counts.
    public var feedback: Bool { get { v.feedback } set { change { $0.feedback = newValue } } }
    /// How often each node exchanges digests with one random peer (anti-entropy), or nil.
    public var antiEntropy: SimTime? { get { v.antiEntropy } set { change { $0.antiEntropy = newValue } } }
    public var graph: Graph { get { v.graph } set { change { $0.graph = newValue } } }
    /// The neighbours of each node for a fixed graph (empty for `complete`).
    public var neighbours: [[NodeID]] { get { v.neighbours } set { change { $0.neighbours = newValue } } }

    /// The write the screen and the `informed` queries follow: the last one a lesson made.
    public var watched: Watched? { get { v.watched } set { change { $0.watched = newValue } } }
    /// Every key a lesson or the student has written, in order (for the limit on keys).
    public var keys: [String] { get { v.keys } set { change { $0.keys = newValue } } }
    public struct Watched: Sendable, Equatable {
        public var key: String
        public var version: GossipNode.Version
        public var since: SimTime
    }

    public init() {}

    public static func == (a: GossipConfig, b: GossipConfig) -> Bool {
        a.mode == b.mode && a.fanout == b.fanout && a.period == b.period && a.jitterPercent == b.jitterPercent
            && a.strictRounds == b.strictRounds && a.interest == b.interest && a.feedback == b.feedback
            && a.antiEntropy == b.antiEntropy && a.graph == b.graph && a.watched == b.watched
    }
}

extension GossipNode {
/// A write's place in the order of writes to its key: a higher counter wins, and the writer's
/// number breaks ties, so every node that has seen two versions agrees which is newer.
public struct Version: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var counter: Int
    public var origin: NodeID
    public init(_ counter: Int, origin: NodeID) { self.counter = counter; self.origin = origin }
    public static func < (a: Version, b: Version) -> Bool { (a.counter, a.origin) < (b.counter, b.origin) }
    public var description: String { "v\(counter)" }
}
}

extension GossipConfig.Graph {
    /// The neighbour lists of `n` nodes; the random graph is drawn from `seed`, so a lesson's
    /// graph is the same on every run.
    public func neighbours(of n: Int, seed: UInt64) -> [[NodeID]] {
        switch self {
        case .complete:
            return []
        case .ring:
            return (0..<n).map { i in n <= 1 ? [] : n == 2 ? [1 - i] : [(i + n - 1) % n, (i + 1) % n] }
        case .grid:
            // As square as it gets; the last row may be short.
            var side = 1
            while side * side < n { side += 1 }
            return (0..<n).map { i in
                let r = i / side, c = i % side
                return [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)].compactMap { (rr, cc) -> NodeID? in
                    guard rr >= 0, cc >= 0, cc < side else { return nil }
                    let j = rr * side + cc
                    return j < n ? j : nil
                }
            }
        case .random(let d):
            // Each node links to d others drawn uniformly; links go both ways, so degrees are
            // d or a little more.
            var rng = SplitMix64(seed: seed ^ 0x9e37_79b9_7f4a_7c15)
            var sets = Array(repeating: Set<NodeID>(), count: n)
            for i in 0..<n where n > 1 {
                var tries = 0
                while sets[i].count < min(d, n - 1), tries < 20 * d {
                    tries += 1
                    let j = Int(rng.next(below: UInt64(n)))
                    guard j != i else { continue }
                    sets[i].insert(j); sets[j].insert(i)
                }
            }
            return sets.map { $0.sorted() }
        }
    }
}
