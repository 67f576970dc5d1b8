import Testing
@testable import Patterns
@testable import Simulation

/// An event-sourced account: its state is the fold of its log, the same from empty as from any
/// snapshot, and the read model, fed at least once over a lossy network, catches up to it.
@Suite struct EventSourcingTests {
    static func cluster(_ pairs: [(String, String)], seed: UInt64, loss: Int = 0, duplicate: Int = 0) -> Cluster<LedgerNode> {
        var network = Network()
        network.lossPPM = loss; network.duplicatePPM = duplicate
        return try! EventSourcing.cluster(pairs, seed: seed, network: network)
    }

    @Test func replayFromEmptyOrAnySnapshotGivesTheSameState() {
        for seed in UInt64(1)...30 {
            var rng = SplitMix64(seed: seed)
            var c = Self.cluster([("snapshot-every", "\(2 + Int(rng.next(below: 6)))"), ("projection-delay", "100ms")], seed: seed, loss: 100_000, duplicate: 100_000)
            var expected = 0
            for _ in 0..<60 {
                let amount = 1 + Int(rng.next(below: 50))
                if rng.next(below: 3) == 0 {
                    if c.isUp[0], c.nodes[0].current.balance >= amount { expected -= amount }
                    _ = EventSourcing.perform(.withdraw(amount), on: &c)
                } else {
                    if c.isUp[0] { expected += amount }
                    _ = EventSourcing.perform(.deposit(amount), on: &c)
                }
                if rng.next(below: 10) == 0 { c.crash(Int(rng.next(below: 2))) }
                c.advance(to: c.now + SimTime(rng.next(below: 200_000)))
                for n in 0..<2 where !c.isUp[n] && rng.next(below: 3) == 0 { c.restart(n) }
            }
            for n in 0..<2 where !c.isUp[n] { c.restart(n) }
            c.advance(to: c.now + 30_000_000)
            let a = c.nodes[0]
            #expect(a.current.balance == expected, "seed \(seed)")
            #expect(LedgerNode.replay(a.log, from: nil) == a.current, "seed \(seed)")
            #expect(a.snapshots.count >= 5, "seed \(seed): \(a.snapshots.count) snapshots")
            for s in a.snapshots {
                #expect(LedgerNode.replay(a.log, from: s) == a.current, "seed \(seed): from the snapshot at \(s.state.version)")
                // Time travel: the state at a snapshot's version, folded from empty, is the snapshot.
                #expect(LedgerNode.replay(a.log, from: nil, upTo: s.state.version) == s.state)
            }
            #expect(EventSourcing.evaluate(.replayMatches, in: c).holds)
            // …and the one-pass check does notice a snapshot that does not match its version.
            var broken = c
            broken.reconfigure(0) { $0.snapshots[1].state.balance += 1 }
            #expect(!EventSourcing.evaluate(.replayMatches, in: broken).holds)
            // The read model caught up, through loss, duplicates and crashes of either side.
            #expect(c.nodes[1].readModel == a.current, "seed \(seed): read model \(c.nodes[1].readModel), account \(a.current)")
        }
    }

    /// Read-your-writes: a read right after a write sees the old balance until the projector's
    /// next push; a rebuilt projection comes back to the same state.
    @Test func theReadModelLagsThenCatchesUpAndRebuilds() {
        var c = Self.cluster([("projection-delay", "500ms")], seed: 2)
        _ = EventSourcing.perform(.deposit(100), on: &c)
        c.advance(to: 1_000_000)
        _ = EventSourcing.perform(.deposit(50), on: &c)
        _ = EventSourcing.perform(.read, on: &c)
        #expect(c.nodes[1].lastRead?.value == 100 && c.nodes[1].lastRead?.stale == true)
        c.advance(to: 2_000_000)
        _ = EventSourcing.perform(.read, on: &c)
        #expect(c.nodes[1].lastRead?.value == 150 && c.nodes[1].lastRead?.stale == false)
        // An ack from before the rebuild is still on the wire: it must not make the projector
        // think the new read model is up to date (it did, and the rebuild stalled a second).
        c.advance(to: 2_500_000)
        _ = EventSourcing.perform(.deposit(5), on: &c)
        c.advance(to: c.now + 505_000)
        _ = EventSourcing.perform(.rebuild, on: &c)
        #expect(c.nodes[1].readModel.version == 0)
        c.advance(to: c.now + 600_000)
        #expect(c.nodes[1].readModel == c.nodes[0].current)
        #expect(c.nodes[1].staleReads == 1 && c.nodes[1].reads == 2)
    }
}
