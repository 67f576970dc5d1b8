import Testing
@testable import Patterns
@testable import Simulation

@Suite struct ClockPropertyTests {
    /// A random execution: local events and sends at random, clocks skewed and drifting,
    /// some messages lost, a partition for a while.
    static func randomRun(seed: UInt64) -> Cluster<ClockNode> {
        var chaos = SplitMix64(seed: seed &+ 77)
        let n = Int(2 + chaos.next(below: 5))
        var net = Network(latency: .uniform(1_000, 40_000))
        net.lossPPM = Int(chaos.next(below: 100_000))
        var c = Cluster<ClockNode>(size: n, config: ClockConfig(), seed: seed, network: net)
        for i in 0..<n {
            c.clocks[i].offset = chaos.next(in: -5_000_000...5_000_000)
            c.clocks[i].setDrift(chaos.next(in: -200...200), at: 0)
        }
        for step in 0..<60 {
            c.advance(to: c.now + chaos.next(in: 0...20_000))
            let a = Int(chaos.next(below: UInt64(n)))
            if chaos.chance(ppm: 600_000), n > 1 {
                var b = Int(chaos.next(below: UInt64(n - 1))); if b >= a { b += 1 }
                _ = Clocks.perform(.send(a, b, "m\(step)"), on: &c)
            } else {
                _ = Clocks.perform(.event(a, "x\(step)"), on: &c)
            }
            if step == 20 { c.network.cut(Link(0, n - 1)); c.network.cut(Link(n - 1, 0)) }
            if step == 40 { c.network.heal() }
        }
        c.advance(to: c.now + 200_000)
        return c
    }

    /// Happened-before from the graph alone: program order plus send → receive, closed transitively.
    static func graphOrder(_ h: History) -> [[Bool]] {
        let n = h.count
        var hb = Array(repeating: Array(repeating: false, count: n), count: n)
        var lastOn: [NodeID: Int] = [:]
        for (k, e) in h.events.enumerated() {
            if let prev = lastOn[e.process] { hb[prev][k] = true }
            lastOn[e.process] = k
            if case .receive(_, let sender) = e.kind, let s = h.position(of: sender) { hb[s][k] = true }
        }
        // Events are in a global order consistent with causality, so one forward pass closes it.
        for k in 0..<n { for j in 0..<k where hb[j][k] { for i in 0..<j where hb[i][j] { hb[i][k] = true } } }
        return hb
    }

    @Test func vectorClocksEqualHappenedBeforeAndLamportAndHLCRespectIt() {
        var pairs = 0, concurrentPairs = 0
        for seed in UInt64(1)...300 {
            let c = Self.randomRun(seed: seed)
            let h = History(c)
            let hb = Self.graphOrder(h)
            for a in 0..<h.count {
                for b in 0..<h.count where a != b {
                    let byGraph = hb[a][b]
                    let byVC = h.happenedBefore(a, b)
                    if byGraph != byVC {
                        Issue.record("seed \(seed): e\(a + 1) -> e\(b + 1) is \(byGraph) by the graph but \(byVC) by vector clocks")
                        return
                    }
                    // Plain checks in this hot loop; an expectation macro per pair is slow.
                    if byGraph {
                        pairs += 1
                        if !(h.events[a].lamport < h.events[b].lamport) { Issue.record("seed \(seed): Lamport order broken"); return }
                        if !(h.events[a].hlc < h.events[b].hlc) { Issue.record("seed \(seed): HLC violates causality"); return }
                    } else if !hb[b][a] {
                        concurrentPairs += 1
                        if !h.concurrent(a, b) { Issue.record("seed \(seed): e\(a + 1), e\(b + 1) should be concurrent"); return }
                    }
                }
            }
            // HLC never goes backwards on a process, and never trails its own physical clock.
            for node in c.nodes {
                for (x, y) in zip(node.events, node.events.dropFirst()) where !(x.hlc < y.hlc) { Issue.record("seed \(seed): HLC went backwards"); return }
                for e in node.events where e.hlc.l < e.wall { Issue.record("seed \(seed): HLC behind the physical clock"); return }
            }
        }
        #expect(pairs > 10_000 && concurrentPairs > 10_000)   // both relations were exercised
    }

    @Test func lamportCannotRevealConcurrency() {
        // Two processes that never talk: L(a) < L(b) without a → b.
        var c = Cluster<ClockNode>(size: 2, config: ClockConfig(), seed: 1)
        _ = Clocks.perform(.event(0, "a"), on: &c)
        _ = Clocks.perform(.event(1, "b1"), on: &c)
        _ = Clocks.perform(.event(1, "b2"), on: &c)
        let h = History(c)
        #expect(h.events[0].lamport < h.events[2].lamport)
        #expect(h.concurrent(0, 2))
        #expect(h.relation(0, 2).contains("neither saw the other"))
    }

    @Test func hlcStaysNearPhysicalTimeWhenOneClockRunsAhead() {
        var c = Cluster<ClockNode>(size: 3, config: ClockConfig(), seed: 2, network: Network(latency: .fixed(10_000)))
        c.clocks[0].offset = 120_000_000   // two minutes ahead
        c.advance(to: 1_000_000)
        _ = Clocks.perform(.send(0, 1, "fast"), on: &c)
        c.advance(to: 1_100_000)
        _ = Clocks.perform(.send(1, 2, "relay"), on: &c)
        c.advance(to: 1_200_000)
        // n3 never saw the fast clock directly, yet its HLC jumped to it: causality wins over
        // physical time; the logical counter orders events within that instant.
        let n3 = c.nodes[2]
        #expect(n3.hlc.l >= 121_000_000)
        #expect(n3.hlc.c >= 1)
        let h = History(c)
        #expect(h.happenedBefore(0, h.count - 1))
    }

    @Test func concurrentWritesBecomeSiblingsUntilResolved() {
        var c = Cluster<ClockNode>(size: 2, config: ClockConfig(), seed: 3, network: Network(latency: .fixed(5_000)))
        _ = Clocks.perform(.put(0, key: "x", value: "1"), on: &c)
        _ = Clocks.perform(.put(1, key: "x", value: "2"), on: &c)
        _ = Clocks.perform(.sync(0, 1, "s1"), on: &c)
        c.advance(to: 10_000)
        #expect(c.nodes[1].store["x"]?.map(\.value).sorted() == ["1", "2"])
        _ = Clocks.perform(.put(1, key: "x", value: "3"), on: &c)     // a write after seeing both resolves them
        #expect(c.nodes[1].store["x"]?.map(\.value) == ["3"])
        _ = Clocks.perform(.sync(1, 0, "s2"), on: &c)
        c.advance(to: 20_000)
        #expect(c.nodes[0].store["x"]?.map(\.value) == ["3"])
    }

    @Test func aSteppedWallClockMeasuresANegativeDurationTheMonotonicOneDoesNot() {
        var c = Cluster<ClockNode>(size: 1, config: ClockConfig(), seed: 4)
        _ = Clocks.perform(.measure(0, start: true), on: &c)
        c.advance(to: 300_000)
        c.clocks[0].offset -= 1_000_000    // NTP steps the wall clock back a second
        c.advance(to: 500_000)
        _ = Clocks.perform(.measure(0, start: false), on: &c)
        #expect(c.nodes[0].wallElapsed == -500_000)
        #expect(c.nodes[0].monoElapsed == 500_000)
    }

    @Test func sendingToACrashedProcessIsAnError() {
        var c = Cluster<ClockNode>(size: 2, config: ClockConfig(), seed: 5)
        c.crash(1)
        #expect(Clocks.perform(.send(0, 1, "m"), on: &c)?.contains("n2 is crashed") == true)
    }
}
