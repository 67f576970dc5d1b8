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

    public var mode = Mode.push
    public var fanout = 1
    public var period: SimTime = 200_000
    /// Each round is `period` ± this share of it, so nodes drift apart as real timers do.
    public var jitterPercent = 10
    /// Every node acts at exactly k·period (no phase offsets, no jitter): rounds as in the papers.
    public var strictRounds = false
    public var interest = Interest.forever
    /// With feedback a contact is unnecessary only when the peer already knew the rumor; blind,
    /// every contact counts.
    public var feedback = true
    /// How often each node exchanges digests with one random peer (anti-entropy), or nil.
    public var antiEntropy: SimTime?
    public var graph = Graph.complete
    /// The neighbours of each node for a fixed graph (empty for `complete`). Shared by every
    /// node's copy of the configuration, not copied.
    public var neighbours: [[NodeID]] = []

    /// The write the screen and the `informed` queries follow: the last one a lesson made.
    public var watched: Watched?
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
