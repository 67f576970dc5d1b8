import Patterns
import Simulation

/// One benchmark per mechanism issue 7 asked for, each beside what it replaced, so a figure in
/// the README can be traced to a run: journal modes on the same workload, a condition's cheap
/// `holds` against its explanation, counts kept against counts recounted, and a random peer
/// drawn against one picked from a built list.
func benchmarkMechanisms() {
    // Journal modes: 101-node Raft, 60 s, the same events with each mode.
    for (name, mode) in [("off", Journal<RaftMessage>.Mode.off), ("bounded 4,000", .bounded(4_000)), ("everything", .everything)] {
        var events = 0
        report("journal \(name), raft 101 nodes, 60 s", measure(5) {
            var c = Cluster<RaftNode>(size: 101, config: RaftConfig(), seed: 42, journal: Journal(mode))
            c.advance(to: 60_000_000)
            events = c.eventsProcessed
        }, events)
    }
    // A condition asked after every event: `run until n101 is leader` (it never is here), by
    // the pattern's cheap `holds` and by `evaluate`, which also builds its explanation.
    for (name, cheap) in [("holds", true), ("evaluate", false)] {
        var events = 0
        report("run until (\(name)), raft 101 nodes, 60 s", measure(5) {
            var c = Cluster<RaftNode>(size: 101, config: RaftConfig(), seed: 42, journal: Journal(.off))
            _ = c.run(until: { cheap ? Raft.holds(.leaderIs(100), in: $0) : Raft.evaluate(.leaderIs(100), in: $0).holds }, within: 60_000_000)
            events = c.eventsProcessed
        }, events)
    }
    // Counts: a million reads of messages in flight and nodes up, kept against recounted, on
    // a 1,000-node gossip cluster mid-spread.
    var c = Cluster<GossipNode>(size: 1_000, config: GossipConfig(), seed: 42, journal: Journal(.off))
    _ = Gossip.perform(.write(0, key: "x", value: "1", rumor: true), on: &c)
    c.advance(to: 2_000_000)
    var sink = 0
    let kept = measure(5) { for _ in 0..<1_000_000 { sink &+= c.inFlightCount &+ c.upCount } }
    let recounted = measure(5) { for _ in 0..<1_000 { sink &+= c.inFlight.count &+ c.isUp.filter { $0 }.count } }
    print(String(format: "counts kept: %.2f ns a read; recounted (%d in flight, 1,000 nodes): %.0f ns a read",
                 kept * 1e3, c.inFlightCount, recounted * 1e6))
    // A random peer at 100,000 nodes: one draw, against a list of the other nodes built first.
    var io = NodeIO<GossipNode>(id: 7, clusterSize: 100_000, localNow: 0, rng: SplitMix64(seed: 1))
    let drawn = measure(5) { for _ in 0..<1_000_000 { sink &+= io.randomPeer() ?? 0 } }
    var rng = SplitMix64(seed: 1)
    let listed = measure(5) { for _ in 0..<100 { let peers = (0..<100_000).filter { $0 != 7 }; sink &+= peers[Int(rng.next(below: UInt64(peers.count)))] } }
    print(String(format: "random peer of 100,000: %.1f ns drawn; %.0f ns from a built list", drawn * 1e3, listed * 1e7))
    if sink == 42 { print("") }   // keeps the loops from being optimised away
}
