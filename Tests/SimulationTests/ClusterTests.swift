import Testing
@testable import Simulation

@Suite struct ClusterTests {
    func cluster(seed: UInt64 = 1, latency: Latency = .fixed(10_000)) -> Cluster<PingNode> {
        Cluster<PingNode>(size: 2, config: .init(), seed: seed, network: Network(latency: latency))
    }

    @Test func deliversAfterTheLinkLatency() {
        var c = cluster()
        c.advance(to: 100_000)
        #expect(c.inFlight.count == 1)
        #expect(c.inFlight[0].arrivesAt == 110_000)
        c.advance(to: 109_999)
        #expect(c.nodes[1].received.isEmpty)
        c.advance(to: 110_000)
        #expect(c.nodes[1].received.map(\.0) == [.ping])
        c.advance(to: 120_000)
        #expect(c.nodes[0].received.map(\.0) == [.pong])
    }

    /// A lesson's `run` stops at the event that met the wire's limit (checked inline rather
    /// than by a condition after every event); without being asked to, the run goes on.
    @Test func aRunCanStopAtTheEventThatSaturatedTheWire() {
        var c = cluster(latency: .fixed(1_000_000))
        c.inFlightLimit = 3   // pings at 100, 200 and 300 ms are on the wire; the one at 400 ms is refused
        let ran = c.stepEvents(through: 10_000_000, untilSaturated: true)
        #expect(ran.stopped)
        #expect(c.saturated == 1)
        #expect(c.now == 400_000)
        var d = cluster(latency: .fixed(1_000_000))
        d.inFlightLimit = 3
        #expect(!d.stepEvents(through: 10_000_000).stopped)
        #expect(d.now > 9_000_000)
    }

    @Test func eventsAtTheSameTimeKeepTheirOrder() {
        // Both nodes' handlers run at 110ms and 120ms; the journal order must be send order.
        var c = cluster()
        c.advance(to: 250_000)
        let kinds = c.journal.entries.map(\.kind)
        #expect(kinds.prefix(5) == [.timer, .send, .deliver, .send, .deliver])
    }

    @Test func totalLossDropsEverythingAndSaysWhy() {
        var c = cluster()
        c.network.lossPPM = 1_000_000
        c.advance(to: 1_010_000)   // ten pings, each lost half way (5ms)
        #expect(c.nodes[1].received.isEmpty)
        let drops = c.journal.entries.filter { $0.kind == .drop }
        #expect(drops.count == 10)
        #expect(drops.allSatisfy { $0.text.hasSuffix("[lost]") })
    }

    @Test func oneWayCutsBlockOnlyTheirDirection() {
        var c = cluster()
        c.network.cut(Link(1, 0))   // pongs cannot come back
        c.advance(to: 510_000)      // pings sent at 100…500ms arrive 10ms later
        #expect(c.nodes[1].received.count == 5)
        #expect(c.nodes[0].received.isEmpty)
        #expect(c.journal.entries.contains { $0.kind == .drop && $0.text.contains("partition") })
        c.network.heal()
        c.advance(to: 620_000)
        #expect(c.nodes[0].received.count == 1)
    }

    @Test func aCutMadeWhileAMessageTravelsStillDropsIt() {
        var c = cluster()
        c.advance(to: 105_000)        // ping is on the wire
        c.network.cut(Link(0, 1))
        c.advance(to: 200_000)
        #expect(c.nodes[1].received.isEmpty)
    }

    @Test func duplicationDeliversTwice() {
        var c = cluster()
        c.network.duplicatePPM = 1_000_000
        c.advance(to: 115_000)
        #expect(c.nodes[1].received.count == 2)
    }

    @Test func perLinkDelayAddsToLatency() {
        var c = cluster()
        c.network.update(Link(0, 1)) { $0.extraDelay = 80_000 }
        c.advance(to: 100_000)
        #expect(c.inFlight.first?.arrivesAt == 190_000)
    }

    @Test func aLinkCanHaveItsOwnLatencyDistribution() {
        var c = cluster()
        c.network.update(Link(0, 1)) { $0.latency = .uniform(40_000, 60_000) }
        c.advance(to: 100_000)
        let travel = c.inFlight[0].arrivesAt - c.inFlight[0].sentAt
        #expect((40_000...60_000).contains(travel))
        c.advance(to: 200_000)
        // The way back still uses the network-wide 10ms.
        #expect(c.nodes[0].received.first.map { $0.1 - 100_000 - travel } == 10_000)
    }

    @Test func crashLosesVolatileStateAndDropsDeliveries() {
        var c = cluster()
        c.advance(to: 150_000)
        #expect(c.nodes[1].volatileCount == 1)
        c.crash(1)
        #expect(c.nodes[1].volatileCount == 0)
        c.advance(to: 250_000)
        #expect(c.journal.entries.last { $0.kind == .drop }?.text.contains("is down") == true)
        c.restart(1)
        #expect(c.nodes[1].boots == 2)     // persistent state kept
        c.advance(to: 320_000)
        #expect(c.nodes[1].volatileCount == 1)
    }

    @Test func aCrashedNodesTimersStopAndRestartRearmsThem() {
        var c = cluster()
        c.crash(0)
        c.advance(to: 1_000_000)
        #expect(c.nodes[1].received.isEmpty)
        #expect(c.nextEventTime == nil)
        c.restart(0)
        c.advance(to: 1_110_000)
        #expect(c.nodes[1].received.count == 1)
    }

    @Test func clockSkewShowsInLocalTimeAndDriftStretchesTimers() {
        var c = cluster()
        c.clocks[1].offset = 5_000_000
        c.advance(to: 110_000)
        #expect(c.nodes[1].received.first?.1 == 5_110_000)
        var d = cluster()
        d.clocks[0].setDrift(1_000_000, at: 0)   // a clock running twice as fast fires timers in half the time
        d.restart(0)                        // no-op: node is up
        d.crash(0); d.restart(0)
        #expect(d.timer(.tick, of: 0)?.deadline == 50_000)
    }

    @Test func changingTheRateMidRunNeverMakesTheClockJump() {
        var clock = NodeClock()
        clock.offset = 5_000
        #expect(clock.local(1_000_000) == 1_005_000)
        clock.setDrift(100_000, at: 1_000_000)          // 10% fast from t = 1 s
        #expect(clock.local(1_000_000) == 1_005_000)     // no jump at the change
        #expect(clock.monotonic(2_000_000) == 2_100_000)
        clock.setDrift(0, at: 2_000_000)
        #expect(clock.monotonic(3_000_000) == 3_100_000)  // the gained 100 ms stays; the rate is true again
    }

    @Test func sameSeedSameJournalDifferentSeedDifferentJournal() {
        func run(_ seed: UInt64) -> String {
            var c = cluster(seed: seed, latency: .uniform(5_000, 50_000))
            c.network.lossPPM = 200_000
            c.advance(to: 3_000_000)
            return c.journal.text()
        }
        #expect(run(7) == run(7))
        #expect(run(7) != run(8))
    }

    @Test func exponentialLatencyIsPositiveAndBounded() {
        var r = SplitMix64(seed: 3)
        let l = Latency.exponential(mean: 10_000)
        let draws = (0..<5_000).map { _ in l.draw(&r) }
        #expect(draws.allSatisfy { $0 >= 0 && $0 <= 200_000 })
        let mean = draws.reduce(0, +) / Int64(draws.count)
        #expect(mean > 9_000 && mean < 11_000)
    }

    @Test func journalCapacityKeepsTheNewestAndTruncationIsExact() {
        var j = Journal<String>(capacity: 3)
        var digests: [UInt64] = []
        for i in 0..<5 { j.append(time: SimTime(i), kind: .note, text: "\(i)"); digests.append(j.digest) }
        #expect(j.count == 5)
        #expect(j.entries.map(\.text) == ["2", "3", "4"])
        j.truncate(toCount: 4, digest: digests[3])
        #expect(j.entries.map(\.text) == ["2", "3"])
        #expect(j.count == 4)
        // Appending the same entry again gives the same digest as the first time.
        j.append(time: 4, kind: .note, text: "4")
        #expect(j.digest == digests[4])
    }

    @Test func journalLinesWidenForBigClustersInsteadOfCutting() {
        let e = JournalEntry(time: 12_345, kind: .send, node: 9, peer: 11, text: "hello")
        #expect(e.line(arrow: "->") == "    12.345ms send    n10->n12 hello")
        #expect(e.line() == "    12.345ms send    n10→n12 hello")
    }

    @Test func durationsFormatForPeople() {
        #expect(SimDuration.format(312_400) == "312.4ms")
        #expect(SimDuration.format(1_250_000) == "1.250s")
        #expect(SimDuration.format(40) == "40us")
        #expect(SimDuration.format(-200_000) == "-200ms")
    }

    /// A cluster made inside `EventBudget.limit` stops at the cap, by `advance` and by `run`
    /// alike, and says so; one made outside runs on, and the cap ends with the call.
    @Test func anEventBudgetStopsTheClustersMadeUnderIt() {
        let capped = EventBudget.limit(25) { () -> (Int, Cluster<PingNode>.RunOutcome) in
            var c = cluster()
            c.advance(to: 60_000_000)
            let afterAdvance = c.eventsProcessed
            return (afterAdvance, c.run(until: { _ in false }, within: 60_000_000))
        }
        #expect(capped.exceeded)
        #expect(capped.result.0 == 25)
        #expect(capped.result.1 == .eventLimit)
        // Under the cap: nothing to report.
        let quiet = EventBudget.limit(1_000_000) { () -> Int in
            var c = cluster()
            c.advance(to: 1_000_000)
            return c.eventsProcessed
        }
        #expect(!quiet.exceeded && quiet.result > 25)
        var free = cluster()
        free.advance(to: 60_000_000)
        #expect(free.eventsProcessed > 25)
    }

    /// A player leaving a step raises the budget's stop signal: a cluster then stops within a
    /// few thousand events, mid-run, as if at its cap, and one with no signal is untouched.
    @Test func aRaisedStopSignalStopsAClusterWithinAFewThousandEvents() {
        let stop = StopSignal()
        let stopped = EventBudget.limit(100_000_000, stop: stop) { () -> (Int, Int, Cluster<PingNode>.RunOutcome) in
            var c = cluster()
            c.advance(to: 60_000_000)
            let before = c.eventsProcessed
            stop.raise()
            c.advance(to: 600_000_000)
            let afterAdvance = c.eventsProcessed
            return (before, afterAdvance, c.run(until: { _ in false }, within: 60_000_000))
        }
        #expect(stopped.exceeded)
        #expect(stopped.result.0 > 0 && stopped.result.1 - stopped.result.0 <= 4_096, "\(stopped.result)")
        #expect(stopped.result.2 == .eventLimit)
        // Not raised: the same run goes on to its end.
        let free = EventBudget.limit(100_000_000, stop: StopSignal()) { () -> Int in
            var c = cluster()
            c.advance(to: 600_000_000)
            return c.eventsProcessed
        }
        #expect(!free.exceeded && free.result > stopped.result.1 + 4_096)
    }
}
