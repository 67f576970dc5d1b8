import Testing
import Patterns
import Simulation

/// A pattern may answer "does it hold" by a shortcut (Raft from its tally, gossip from its
/// count of informed nodes, clocks by binary search over the history) and explain only when
/// asked; the shortcut must give the same answer as the explanation, after every event of a
/// run with crashes and restarts, or a `run until` would stop where an `expect` says it fails.
@Suite struct HoldsAgreesWithEvaluateTests {
    /// Steps `c` one event at a time for `events` events, crashing and restarting nodes now and
    /// then (from the seed), and calls `check` after each.
    static func walk<Node: NodeModel>(_ c: inout Cluster<Node>, events: Int, seed: UInt64, _ check: (Cluster<Node>) -> Void) {
        var r = SplitMix64(seed: seed)
        for _ in 0..<events {
            guard c.step() else { break }
            if r.next(below: 200) == 0 {
                let n = Int(r.next(below: UInt64(c.size)))
                if c.isUp[n] { if c.upCount > 1 { c.crash(n) } } else { c.restart(n) }
            }
            check(c)
        }
    }

    @Test func raft() {
        var c = Cluster<RaftNode>(size: 5, config: RaftConfig(), seed: 7)
        var disagreements = 0, leaders = 0
        let predicates: [Raft.Predicate] = [.leaderExists, .noLeader] + (0..<5).map { .leaderIs($0) }
        Self.walk(&c, events: 20_000, seed: 1) { c in
            if Raft.leader(in: c) != nil { leaders += 1 }
            for p in predicates where Raft.holds(p, in: c) != Raft.evaluate(p, in: c).holds { disagreements += 1 }
        }
        #expect(disagreements == 0)
        // Both answers were exercised: with and without a leader.
        #expect(leaders > 1_000 && leaders < 20_000, "\(leaders)")
    }

    @Test func gossip() {
        var config = GossipConfig()
        config.antiEntropy = 2_000_000
        var c = Cluster<GossipNode>(size: 30, config: config, seed: 3)
        _ = Gossip.perform(.write(0, key: "x", value: "1", rumor: true), on: &c)
        var disagreements = 0, informedSeen = Set<Bool>()
        var step = 0
        Self.walk(&c, events: 30_000, seed: 2) { c in
            step += 1
            let ps: [Gossip.Predicate] = [.allInformed, .knows(4, key: "x", value: nil), .knows(4, key: "x", value: "1"),
                                          .knows(9, key: "x", value: "2"), .knows(9, key: "y", value: nil)]
                + (step % 50 == 0 ? [.replicasAgree] : [])   // the full comparison, now and then
            informedSeen.insert(Gossip.holds(.allInformed, in: c))
            for p in ps where Gossip.holds(p, in: c) != Gossip.evaluate(p, in: c).holds { disagreements += 1 }
        }
        #expect(disagreements == 0)
        #expect(informedSeen == [true, false])
    }

    @Test func clocks() {
        var config = ClockConfig()
        config.workload = 20
        var c = Cluster<ClockNode>(size: 4, config: config, seed: 5)
        var disagreements = 0, before = 0, concurrent = 0
        var step = 0
        Self.walk(&c, events: 3_000, seed: 3) { c in
            step += 1
            guard step % 10 == 0 else { return }
            // Pairs spread over the history so far, and one past its end (neither holds then).
            let n = step / 3   // about the events recorded so far
            for (a, b) in [(0, n), (n / 2, n), (n / 3, n / 2 + 1), (n + 5, 1), (1, 100_000)] {
                for p in [Clocks.Predicate.happenedBefore(a, b), .concurrent(a, b)] {
                    let fast = Clocks.holds(p, in: c)
                    if fast != Clocks.evaluate(p, in: c).holds { disagreements += 1 }
                    if fast, case .happenedBefore = p { before += 1 }
                    if fast, case .concurrent = p { concurrent += 1 }
                }
            }
        }
        #expect(disagreements == 0)
        #expect(before > 0 && concurrent > 0, "\(before) \(concurrent)")
    }
}
