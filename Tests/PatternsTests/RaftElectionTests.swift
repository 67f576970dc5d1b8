import Testing
@testable import Patterns
@testable import Simulation

@Suite struct RaftElectionTests {
    @Test(arguments: [1, 3, 5, 7, 15])
    func aClusterElectsExactlyOneLeaderQuickly(nodes: Int) {
        for seed in UInt64(1)...20 {
            var c = Cluster<RaftNode>(size: nodes, config: RaftConfig(), seed: seed)
            c.advance(to: 2_000_000)
            let leaders = (0..<nodes).filter { c.nodes[$0].role == .leader }
            #expect(leaders.count == 1, "seed \(seed): \(leaders.count) leaders")
            if let l = leaders.first {
                #expect((0..<nodes).allSatisfy { c.nodes[$0].currentTerm == c.nodes[l].currentTerm })
            }
        }
    }

    @Test func aCrashedLeaderIsReplacedInAHigherTerm() {
        for seed in UInt64(1)...30 {
            var c = Cluster<RaftNode>(size: 5, config: RaftConfig(), seed: seed)
            c.advance(to: 1_000_000)
            let old = Raft.leader(in: c)!
            let term = c.nodes[old].currentTerm
            c.crash(old)
            c.advance(to: 3_000_000)
            let new = Raft.leader(in: c)
            #expect(new != nil && new != old, "seed \(seed)")
            #expect(new.map { c.nodes[$0].currentTerm > term } == true, "seed \(seed)")
        }
    }

    @Test func equalTimeoutsSplitTheVoteForever() {
        var config = RaftConfig()
        config.electionTimeout = 150_000...150_000
        var c = Cluster<RaftNode>(size: 5, config: config, seed: 1)
        c.advance(to: 5_000_000)
        #expect(Raft.leader(in: c) == nil)
        #expect(c.nodes[0].currentTerm >= 30)
    }

    @Test func aMinorityLeaderCannotCommit() {
        var c = Cluster<RaftNode>(size: 5, config: RaftConfig(), seed: 6)
        c.advance(to: 1_000_000)
        let old = Raft.leader(in: c)!
        let buddy = (old + 1) % 5
        for a in [old, buddy] { for b in 0..<5 where b != old && b != buddy { c.network.cut(Link(a, b)); c.network.cut(Link(b, a)) } }
        _ = Raft.request("x=1", to: old, on: &c)
        c.advance(to: 3_000_000)
        #expect(c.nodes[old].log.count == 1)
        #expect(c.nodes[old].commitIndex == 0)
        c.network.heal()
        c.advance(to: 4_000_000)
        #expect(c.nodes[old].role == .follower)
    }
}

@Suite struct RaftBehaviourTests {
    @Test func defaultsAreTheIssuesDefaults() {
        #expect(RaftConfig().electionTimeout == 150_000...300_000)
        #expect(RaftConfig().heartbeat == 50_000)
        #expect(Network().latency == .uniform(10_000, 15_000))
    }

    @Test func followersApplyWhatIsCommitted() {
        var c = Cluster<RaftNode>(size: 5, config: RaftConfig(), seed: 6)
        c.advance(to: 1_000_000)
        for k in 1...3 { _ = Raft.request("k=\(k)", to: nil, on: &c) }
        c.advance(to: 1_300_000)
        for n in c.nodes {
            #expect(n.commitIndex == 3)
            #expect(n.applied.map(\.command) == ["k=1", "k=2", "k=3"])
        }
    }

    @Test func timeoutFiresAnElectionNow() {
        var c = Cluster<RaftNode>(size: 5, config: RaftConfig(), seed: 6)
        c.advance(to: 10_000)
        _ = Raft.perform(.timeout(1), on: &c)
        #expect(c.nodes[1].role == .candidate)
        #expect(c.nodes[1].currentTerm == 1)
    }

    @Test func aFollowerRefusesAClientRequestAndSaysWhoLeads() {
        var c = Cluster<RaftNode>(size: 5, config: RaftConfig(), seed: 6)
        c.advance(to: 1_000_000)
        let leader = Raft.leader(in: c)!
        let follower = (leader + 1) % 5
        #expect(Raft.request("x=1", to: follower, on: &c) == "\(nodeName(follower)) is not leader")
        #expect(c.journal.entries.last?.text.contains("it knows of leader \(nodeName(leader))") == true)
        #expect(c.nodes[follower].log.isEmpty)
    }
}

@Suite struct RaftCatchUpTests {
    /// A follower 3,000 entries behind catches up in batches of at most 64, one round trip each,
    /// without a second stream of batches starting on every heartbeat.
    @Test func aFarBehindFollowerCatchesUpInBoundedBatches() {
        var c = Cluster<RaftNode>(size: 3, config: RaftConfig(), seed: 4, network: Network(latency: .fixed(10_000)))
        _ = c.run(until: { Raft.leader(in: $0) != nil }, within: 2_000_000)
        let leader = Raft.leader(in: c)!
        let behind = (leader + 1) % 3
        c.crash(behind)
        for k in 0..<3_000 { _ = Raft.request("x=\(k)", to: nil, on: &c) }
        c.advance(to: c.now + 500_000)
        c.restart(behind)
        let start = c.now
        let outcome = c.run(until: { $0.nodes[behind].log.count == 3_000 }, within: 10_000_000)
        #expect(outcome == .met)
        // 47 batches of 64 at one 20 ms round trip each, plus finding the match point.
        #expect(c.now - start < 1_500_000, "took \(SimDuration.format(c.now - start))")
        let sizes = c.journal.entries.filter { $0.kind == .send && $0.text.hasPrefix("AppendEntries") }.compactMap { e -> Int? in
            guard let plus = e.text.range(of: " +") else { return 0 }
            return Int(e.text[plus.upperBound...].prefix { $0.isNumber })
        }
        #expect(sizes.max() == RaftNode.maxBatch)
        // Full batches to the follower after its restart: one per 64 entries, plus at most the one
        // each heartbeat repeats; never a stream per heartbeat that multiplies.
        let toFollower = c.journal.entries.filter { $0.kind == .send && $0.peer == behind && $0.time >= start && $0.text.contains(" +64") }
        let heartbeats = Int((c.now - start) / RaftConfig().heartbeat) + 1
        #expect(toFollower.count <= 3_000 / 64 + heartbeats + 2, "\(toFollower.count) full batches, \(heartbeats) heartbeats")
    }

    /// A burst of requests at one instant: one batch in flight per follower, the rest waits for
    /// its reply. Sending a message per request per follower made 10,000 requests on 101 nodes
    /// cost gigabytes (the hostile review of issue 9).
    @Test func aBurstOfRequestsKeepsOneBatchInFlightPerFollower() {
        var c = Cluster<RaftNode>(size: 5, config: RaftConfig(), seed: 4, network: Network(latency: .fixed(10_000)))
        _ = c.run(until: { Raft.leader(in: $0) != nil }, within: 2_000_000)
        c.advance(to: c.now + 100_000)
        let leader = Raft.leader(in: c)!
        let before = c.journal.entries.count
        for k in 0..<500 { #expect(Raft.request("x=\(k)", to: nil, on: &c) == nil) }
        let sent = c.journal.entries[before...].filter { $0.kind == .send && $0.node == leader && $0.text.hasPrefix("AppendEntries") }
        #expect(sent.count == 4, "\(sent.count) AppendEntries for 500 requests at one instant")
        #expect(c.run(until: { c in (0..<5).allSatisfy { c.nodes[$0].commitIndex == 500 } }, within: 2_000_000) == .met)
    }

    @Test func aFullLogRefusesRequests() {
        var c = Cluster<RaftNode>(size: 3, config: RaftConfig(), seed: 4)
        _ = c.run(until: { Raft.leader(in: $0) != nil }, within: 2_000_000)
        for k in 0..<RaftNode.maxLog { _ = Raft.request("x=\(k)", to: nil, on: &c) }
        #expect(Raft.request("one=more", to: nil, on: &c) == "the log is full")
        #expect(c.journal.entries.last?.text.contains("at most \(RaftNode.maxLog) entries") == true)
        #expect(c.nodes[Raft.leader(in: c)!].log.count == RaftNode.maxLog)
        // As a lesson's command, the full log is a failure at its line, not a quiet refusal.
        #expect(Raft.perform(.request("one=more", to: nil), on: &c)?.hasPrefix("the log is full") == true)
        // A request with no leader is part of the lesson: shown, not failed.
        var fresh = Cluster<RaftNode>(size: 3, config: RaftConfig(), seed: 4)
        #expect(Raft.perform(.request("x=1", to: nil), on: &fresh) == nil)
    }
}
