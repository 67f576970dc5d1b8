import Testing
@testable import Simulation

/// The counts the cluster keeps instead of recounting (messages in flight, nodes up), a random
/// peer drawn without a list, the network's own random stream, and partitions stored per node.
@Suite struct CountsAndStreamsTests {
    /// Through loss, duplication, crashes, restarts, pauses, partitions and a full wire, the
    /// kept counts equal a recount after every event and every fault, and the wire never holds
    /// more than its limit (a duplicate used to take one place past it).
    @Test func keptCountsEqualARecountThroughEveryFault() {
        var network = Network(latency: .uniform(1_000, 40_000), lossPPM: 100_000, duplicatePPM: 100_000)
        network.timerJitter = 0
        var c = Cluster<ChatterNode>(size: 6, config: .init(), seed: 11, network: network)
        c.inFlightLimit = 3
        var r = SplitMix64(seed: 3)
        var mismatches = 0, faults = 0, maxInFlight = 0
        func recount(_ c: Cluster<ChatterNode>) {
            if c.inFlightCount != c.inFlight.count || c.upCount != c.isUp.filter({ $0 }).count { mismatches += 1 }
            maxInFlight = max(maxInFlight, c.inFlight.count)
        }
        for _ in 0..<20_000 {
            guard c.step() else { break }
            recount(c)
            guard r.next(below: 50) == 0 else { continue }
            let n = Int(r.next(below: 6))
            switch r.next(below: 6) {
            case 0: if c.upCount > 2 { c.crash(n) }   // someone keeps talking
            case 1: c.restart(n)
            case 2: c.pause(n, for: SimTime(r.next(below: 50_000)))
            case 3: c.network.partition([[0, 1, 2], [3, 4]], oneWay: r.next(below: 2) == 0, size: 6)
            case 4: c.isolate(n)
            default: c.heal()
            }
            faults += 1
            recount(c)
        }
        #expect(mismatches == 0)
        // The run did meet what it was meant to: faults, and the wire's limit.
        #expect(faults > 200 && maxInFlight == 3 && c.saturated > 0, "\(faults) faults, at most \(maxInFlight) in flight, \(c.saturated) refused")
    }

    /// `randomPeer()` is one draw over everyone else: never the node itself, every other node
    /// about equally often (5,000 draws over four peers: 1,250 each, ±10 % is over 7 standard
    /// deviations), and nil alone.
    @Test func aRandomPeerIsEveryoneElseUniformly() {
        var io = NodeIO<ChatterNode>(id: 2, clusterSize: 5, localNow: 0, rng: SplitMix64(seed: 9))
        var counts = [Int](repeating: 0, count: 5)
        for _ in 0..<5_000 { counts[io.randomPeer()!] += 1 }
        #expect(counts[2] == 0)
        #expect(counts.enumerated().allSatisfy { $0.offset == 2 || abs($0.element - 1_250) < 125 }, "\(counts)")
        var alone = NodeIO<ChatterNode>(id: 0, clusterSize: 1, localNow: 0, rng: SplitMix64(seed: 9))
        #expect(alone.randomPeer() == nil)
    }

    /// The network draws from its own stream: a node that draws more random numbers changes
    /// nothing about when the messages of the others arrive, or which are lost.
    @Test func theNetworkHasItsOwnRandomStream() {
        func arrivals(greedy: Bool) -> [[SimTime]] {
            var config = ChatterNode.Config()
            config.greedy = greedy
            var c = Cluster<ChatterNode>(size: 4, config: config, seed: 21, network: Network(latency: .uniform(1_000, 30_000), lossPPM: 200_000))
            c.advance(to: 2_000_000)
            return c.nodes.map(\.heardAt)
        }
        let quiet = arrivals(greedy: false), greedy = arrivals(greedy: true)
        #expect(quiet.allSatisfy { $0.count > 10 }, "\(quiet.map(\.count))")
        #expect(quiet == greedy)
    }

    /// A partition of 1,000 nodes is a group number per node and two cuts between groups, not
    /// a set of a quarter of a million links.
    @Test func aPartitionIsStoredPerNode() {
        var n = Network()
        n.partition([Array(0..<500), Array(500..<1_000)], oneWay: false, size: 1_000)
        #expect(n.group.count == 1_000 && n.groupCuts.count == 2 && n.cuts.isEmpty)
        #expect(n.isCut(Link(3, 700)) && n.isCut(Link(700, 3)) && !n.isCut(Link(3, 400)))
        n.partition([Array(0..<500), Array(500..<1_000)], oneWay: true, size: 1_000)
        #expect(n.groupCuts.count == 1 && n.isCut(Link(3, 700)) && !n.isCut(Link(700, 3)))
    }
}

/// Every node sends to a random peer every 100 ms and records when messages reach it; with
/// `greedy`, node 0 also draws three extra numbers each tick.
struct ChatterNode: NodeModel {
    enum Message: Sendable, CustomStringConvertible { case hello; var description: String { "hello" } }
    enum Timer: Int, TimerKind {
        case tick
        var description: String { "tick" }
        static let slotCount = 1
    }
    struct Config: Sendable { var greedy = false }
    let id: NodeID
    let config: Config
    var heardAt: [SimTime] = []
    init(id: NodeID, clusterSize: Int, config: Config) { self.id = id; self.config = config }
    mutating func boot(_ io: inout NodeIO<Self>) { io.setTimer(.tick, after: 100_000) }
    mutating func receive(_ m: Message, from: NodeID, _ io: inout NodeIO<Self>) { heardAt.append(io.trueNow) }
    mutating func fire(_ t: Timer, _ io: inout NodeIO<Self>) {
        if config.greedy && id == 0 { for _ in 0..<3 { _ = io.random(below: 1_000) } }
        // The peer is chosen without the node's stream, so only the network's draws differ.
        io.send(.hello, to: (id + 1) % io.clusterSize)
        io.setTimer(.tick, after: 100_000)
    }
    mutating func crash() {}
}
