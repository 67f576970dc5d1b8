import Testing
@testable import Simulation

/// A run whose only output is what it measures (an experiment's trial) keeps no digest and has
/// its nodes' notes never written: the same events, the same states, less work.
@Suite struct QuietRunTests {
    @Test func aNoteNobodyReadsIsNeverWritten() {
        var io = NodeIO<PingNode>(id: 0, clusterSize: 2, localNow: 0, rng: SplitMix64(seed: 1))
        var built = 0
        func text() -> String { built += 1; return "became leader" }
        io.notesRead = false
        io.note(text())
        #expect(built == 0 && io.effects.isEmpty && io.notes.isEmpty)
        io.notesRead = true
        io.note(text())
        #expect(built == 1 && io.notes == ["became leader"] && io.effects.count == 1)
    }

    /// The same seed with and without a digest: event for event the same run, and only the
    /// quiet one's digest never moves.
    @Test func aRunWithoutADigestIsTheSameRun() {
        var config = PingNode.Config()
        config.service = 3_000
        var network = Network(latency: .uniform(1_000, 9_000), lossPPM: 50_000, duplicatePPM: 50_000)
        network.timerJitter = 500
        var kept = Cluster<PingNode>(size: 2, config: config, seed: 7, network: network, journal: Journal(.off))
        var quiet = Cluster<PingNode>(size: 2, config: config, seed: 7, network: network, journal: Journal(.off, digest: false))
        let untouched = quiet.journal.digest
        kept.advance(to: 5_000_000)
        quiet.advance(to: 5_000_000)
        #expect(kept.eventsProcessed > 100)
        #expect(quiet.eventsProcessed == kept.eventsProcessed && quiet.journal.count == kept.journal.count)
        #expect(quiet.nodes[1].received.map { "\($0.0)@\($0.1)" } == kept.nodes[1].received.map { "\($0.0)@\($0.1)" })
        #expect(quiet.journal.digest == untouched && kept.journal.digest != untouched)
        #expect(!quiet.journal.readsText && kept.journal.readsText)
    }
}
