import Testing
@testable import Patterns
@testable import Simulation

/// Raft's safety properties under random faults, over many seeds. A failure names its seed so
/// the run can be replayed exactly.
@Suite struct RaftSafetyPropertyTests {
    struct Violation: Error, CustomStringConvertible { var description: String }

    /// Watches a run and throws at the first broken promise.
    struct Monitor {
        var leaderOfTerm: [Int: NodeID] = [:]
        var committed: [LogEntry] = []
        var wasLeader: [Bool]

        init(size: Int) { wasLeader = Array(repeating: false, count: size) }

        mutating func check(_ c: Cluster<RaftNode>) throws(Violation) {
            for id in 0..<c.size {
                let n = c.nodes[id]
                // Election safety: at most one leader per term.
                if n.role == .leader && c.isUp[id] {
                    if let other = leaderOfTerm[n.currentTerm], other != id {
                        throw Violation(description: "two leaders in term \(n.currentTerm): \(nodeName(other)) and \(nodeName(id)) at \(c.now)us")
                    }
                    leaderOfTerm[n.currentTerm] = id
                    // Leader completeness: a new leader holds every committed entry.
                    if !wasLeader[id] {
                        guard n.log.count >= committed.count, Array(n.log.prefix(committed.count)) == committed else {
                            throw Violation(description: "\(nodeName(id)) became leader of term \(n.currentTerm) without all committed entries")
                        }
                    }
                }
                wasLeader[id] = n.role == .leader && c.isUp[id]
                // State-machine safety: what a node has committed agrees with everyone, forever.
                guard c.isUp[id] else { continue }
                for i in 0..<n.commitIndex {
                    if i < committed.count {
                        if n.log[i] != committed[i] {
                            throw Violation(description: "committed entry \(i + 1) changed on \(nodeName(id)): \(committed[i]) became \(n.log[i])")
                        }
                    } else {
                        committed.append(n.log[i])
                    }
                }
            }
        }
    }

    static func run(seed: UInt64) throws(Violation) -> (committed: Int, terms: Int) {
        var chaos = SplitMix64(seed: seed &* 0x9E37_79B9 &+ 11)
        let size = [3, 5, 5, 7][Int(chaos.next(below: 4))]
        var network = Network(latency: .uniform(5_000, 25_000))
        network.lossPPM = Int(chaos.next(below: 50_000))
        network.duplicatePPM = Int(chaos.next(below: 20_000))
        var c = Cluster<RaftNode>(size: size, config: RaftConfig(), seed: seed, network: network)
        var monitor = Monitor(size: size)
        var requests = 0
        var next: SimTime = 0
        let end: SimTime = 3_000_000
        while c.now < end {
            next += chaos.next(in: 20_000...250_000) / 2 + chaos.next(in: 10_000...120_000)
            while let t = c.nextEventTime, t <= min(next, end) {
                c.step()
                try monitor.check(c)
            }
            c.advance(to: min(next, end))
            let who = NodeID(chaos.next(below: UInt64(size)))
            switch chaos.next(below: 10) {
            case 0, 1: c.crash(who)
            case 2, 3: c.restart(who)
            case 4:
                // A random two-way partition.
                let side = (0..<size).filter { _ in chaos.chance(ppm: 500_000) }
                for a in side { for b in 0..<size where !side.contains(b) { c.network.cut(Link(a, b)); c.network.cut(Link(b, a)) } }
            case 5:
                let other = NodeID(chaos.next(below: UInt64(size)))
                c.network.cut(Link(who, other))   // one way
            case 6: c.network.heal()
            default:
                requests += 1
                _ = Raft.request("r\(requests)", to: chaos.chance(ppm: 300_000) ? who : nil, on: &c)
            }
            try monitor.check(c)
        }
        return (monitor.committed.count, monitor.leaderOfTerm.count)
    }

    @Test func neverTwoLeadersInATermAndCommittedEntriesNeverChange() {
        var totalCommitted = 0, totalTerms = 0
        for seed in UInt64(1)...1_000 {
            do {
                let r = try Self.run(seed: seed)
                totalCommitted += r.committed
                totalTerms += r.terms
            } catch {
                Issue.record("seed \(seed): \(error)")
                return
            }
        }
        // The faults must not be so heavy that nothing happens: the property would then hold trivially.
        #expect(totalCommitted > 1_000)
        #expect(totalTerms > 1_500)
    }
}
