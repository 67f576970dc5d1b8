import Testing
@testable import Patterns
@testable import Simulation

/// RaftNode driven one message at a time, without a network: each rule of Figure 2 in isolation.
@Suite struct RaftNodeTests {
    func io(_ id: NodeID = 0) -> NodeIO<RaftNode> { NodeIO(id: id, clusterSize: 5, localNow: 0, rng: SplitMix64(seed: 1)) }
    func sends(_ io: NodeIO<RaftNode>) -> [(NodeID, RaftMessage)] {
        io.sends.map { ($0.to, $0.message) }
    }

    @Test func aTimeoutStartsAnElectionInTheNextTerm() {
        var n = RaftNode(id: 0, clusterSize: 5, config: RaftConfig())
        var o = io()
        n.fire(.election, &o)
        #expect(n.role == .candidate)
        #expect(n.currentTerm == 1)
        #expect(n.votedFor == 0)
        let rv = sends(o)
        #expect(rv.count == 4)
        #expect(rv.allSatisfy { $0.1 == .requestVote(term: 1, lastLogIndex: 0, lastLogTerm: 0) })
    }

    @Test func oneVotePerTerm() {
        var n = RaftNode(id: 0, clusterSize: 5, config: RaftConfig())
        var o = io()
        n.receive(.requestVote(term: 1, lastLogIndex: 0, lastLogTerm: 0), from: 1, &o)
        n.receive(.requestVote(term: 1, lastLogIndex: 0, lastLogTerm: 0), from: 2, &o)
        n.receive(.requestVote(term: 1, lastLogIndex: 0, lastLogTerm: 0), from: 1, &o)  // a retry from the same candidate
        #expect(sends(o).map(\.1) == [.vote(term: 1, granted: true), .vote(term: 1, granted: false), .vote(term: 1, granted: true)])
        #expect(n.votedFor == 1)
    }

    @Test func theUpToDateRuleRefusesAStaleLog() {
        var n = RaftNode(id: 0, clusterSize: 5, config: RaftConfig())
        var o = io()
        // Learn two entries from a term-2 leader.
        n.receive(.appendEntries(term: 2, prevLogIndex: 0, prevLogTerm: 0,
                                 entries: [LogEntry(term: 1, command: "a"), LogEntry(term: 2, command: "b")], leaderCommit: 0), from: 1, &o)
        #expect(n.log.count == 2)
        var o2 = io()
        // Longer log but older last term: refused. Same last term, shorter: refused.
        n.receive(.requestVote(term: 3, lastLogIndex: 5, lastLogTerm: 1), from: 2, &o2)
        n.receive(.requestVote(term: 3, lastLogIndex: 1, lastLogTerm: 2), from: 3, &o2)
        // As up to date: granted.
        n.receive(.requestVote(term: 3, lastLogIndex: 2, lastLogTerm: 2), from: 4, &o2)
        #expect(sends(o2).map(\.1) == [.vote(term: 3, granted: false), .vote(term: 3, granted: false), .vote(term: 3, granted: true)])
    }

    @Test func aHigherTermMakesALeaderStepDown() {
        var n = RaftNode(id: 0, clusterSize: 1, config: RaftConfig())
        var o = NodeIO<RaftNode>(id: 0, clusterSize: 1, localNow: 0, rng: SplitMix64(seed: 1))
        n.fire(.election, &o)   // a cluster of one elects itself
        #expect(n.role == .leader)
        n.receive(.appendEntriesReply(term: 7, success: false, matchIndex: 0), from: 0, &o)
        #expect(n.role == .follower)
        #expect(n.currentTerm == 7)
        #expect(n.votedFor == nil)
    }

    @Test func theConsistencyCheckRejectsAGapAndRepairsAConflict() {
        var n = RaftNode(id: 0, clusterSize: 5, config: RaftConfig())
        var o = io()
        n.receive(.appendEntries(term: 1, prevLogIndex: 3, prevLogTerm: 1, entries: [LogEntry(term: 1, command: "d")], leaderCommit: 0), from: 1, &o)
        #expect(sends(o).last?.1 == .appendEntriesReply(term: 1, success: false, matchIndex: 0))
        n.receive(.appendEntries(term: 1, prevLogIndex: 0, prevLogTerm: 0,
                                 entries: [LogEntry(term: 1, command: "a"), LogEntry(term: 1, command: "stale")], leaderCommit: 0), from: 1, &o)
        // A term-2 leader overwrites the uncommitted second entry.
        n.receive(.appendEntries(term: 2, prevLogIndex: 1, prevLogTerm: 1, entries: [LogEntry(term: 2, command: "b")], leaderCommit: 2), from: 2, &o)
        #expect(n.log.map(\.command) == ["a", "b"])
        #expect(n.commitIndex == 2)
    }

    @Test func aCrashKeepsTermVoteAndLogButForgetsTheRest() {
        var n = RaftNode(id: 0, clusterSize: 5, config: RaftConfig())
        var o = io()
        n.receive(.appendEntries(term: 4, prevLogIndex: 0, prevLogTerm: 0, entries: [LogEntry(term: 4, command: "a")], leaderCommit: 1), from: 1, &o)
        n.receive(.requestVote(term: 5, lastLogIndex: 1, lastLogTerm: 4), from: 2, &o)
        n.crash()
        #expect(n.currentTerm == 5)
        #expect(n.votedFor == 2)
        #expect(n.log.count == 1)
        #expect(n.commitIndex == 0)
        #expect(n.leaderID == nil)
    }

    @Test func aLeaderOnlyCommitsEntriesOfItsOwnTermByCounting() {
        // §5.4.2: an old-term entry on a majority is not committed until a current-term entry is.
        var c = Cluster<RaftNode>(size: 3, config: RaftConfig(), seed: 5)
        c.advance(to: 1_000_000)
        let leader = Raft.leader(in: c)!
        _ = Raft.request("a", to: nil, on: &c)
        c.advance(to: 1_100_000)
        #expect(c.nodes[leader].commitIndex == 1)
        #expect(c.nodes[leader].log.last?.term == c.nodes[leader].currentTerm)
    }
}
