import Simulation

/// One Raft server: leader election and log replication as in the extended Raft paper (Figure 2).
/// Log indices are 1-based as in the paper; `log[i - 1]` holds entry i.
public struct RaftNode: NodeModel {
    public enum Role: String, Sendable, CaseIterable { case follower, candidate, leader }

    public let id: NodeID
    let size: Int
    public internal(set) var config: RaftConfig

    // Persistent state: survives a crash.
    public private(set) var currentTerm = 0
    public private(set) var votedFor: NodeID?
    public private(set) var log: [LogEntry] = []

    // Volatile state: lost on a crash.
    public private(set) var role = Role.follower { didSet { tally = Tally(first: role == .leader ? 1 : 0) } }
    /// Nodes that believe they lead (crashed ones never do: a crash makes a follower), summed by
    /// the cluster so "no leader yet" costs nothing per event of an endless election.
    public private(set) var tally = Tally()
    public private(set) var commitIndex = 0
    public private(set) var lastApplied = 0
    public private(set) var votes: Set<NodeID> = []
    public private(set) var leaderID: NodeID?
    /// Elections this node has started, ever (a statistic for lessons, not protocol state).
    public private(set) var candidacies = 0
    /// The entries this node last threw away because the leader's log disagreed (§5.3), for the
    /// screen: replacing an uncommitted entry is the moment the log-matching lessons are about.
    public private(set) var lastReplaced: Replaced?

    public struct Replaced: Sendable, Equatable {
        /// Index of the first entry thrown away.
        public var index: Int
        public var entries: [LogEntry]
        /// True simulated time it happened.
        public var at: SimTime
    }
    public private(set) var nextIndex: [Int] = []
    public private(set) var matchIndex: [Int] = []
    /// Last index of the entries on their way to each follower, 0 when none are: a leader keeps
    /// one batch of new entries in flight per follower, so a burst of requests becomes a few full
    /// batches instead of one message per request per follower.
    public private(set) var inFlightThrough: [Int] = []
    /// The longest log a lesson may build: requests beyond it are refused, so an untrusted lesson
    /// cannot grow every node's log (and each message) without bound.
    public static let maxLog = 10_000

    public init(id: NodeID, clusterSize: Int, config: RaftConfig) {
        self.id = id; self.size = clusterSize; self.config = config
    }

    var majority: Int { size / 2 + 1 }
    public var lastLogIndex: Int { log.count }
    public var lastLogTerm: Int { log.last?.term ?? 0 }
    func termOfEntry(at index: Int) -> Int { index == 0 ? 0 : (index <= log.count ? log[index - 1].term : -1) }

    // MARK: NodeModel

    public mutating func boot(_ io: inout NodeIO<Self>) {
        resetElectionTimer(&io)
    }

    public mutating func crash() {
        role = .follower
        commitIndex = 0
        lastApplied = 0
        votes = []
        leaderID = nil
        nextIndex = []
        matchIndex = []
        inFlightThrough = []
    }

    public mutating func fire(_ timer: RaftTimer, _ io: inout NodeIO<Self>) {
        switch timer {
        case .election: startElection(&io)
        case .heartbeat: if role == .leader { replicate(&io); io.setTimer(.heartbeat, after: config.heartbeat) }
        }
    }

    public mutating func receive(_ m: RaftMessage, from peer: NodeID, _ io: inout NodeIO<Self>) {
        if m.term > currentTerm { stepDown(to: m.term, &io) }
        switch m {
        case let .requestVote(term, lastIndex, lastTerm):
            // Grant at most one vote per term, and only to a candidate whose log is at least as
            // up to date as ours (§5.4.1): otherwise it could overwrite committed entries.
            let upToDate = lastTerm > lastLogTerm || (lastTerm == lastLogTerm && lastIndex >= lastLogIndex)
            let grant = term == currentTerm && (votedFor == nil || votedFor == peer) && upToDate
            if grant {
                votedFor = peer
                resetElectionTimer(&io)
            }
            io.send(.vote(term: currentTerm, granted: grant), to: peer)

        case let .vote(term, granted):
            guard role == .candidate, term == currentTerm, granted else { return }
            votes.insert(peer)
            if votes.count >= majority { becomeLeader(&io) }

        case let .appendEntries(term, prevIndex, prevTerm, entries, leaderCommit):
            guard term == currentTerm else {
                io.send(.appendEntriesReply(term: currentTerm, success: false, matchIndex: 0), to: peer)
                return
            }
            if role != .follower { becomeFollower(&io) }
            if leaderID != peer { leaderID = peer }
            resetElectionTimer(&io)
            // Consistency check: our log must hold the entry just before the new ones.
            guard prevIndex <= log.count, termOfEntry(at: prevIndex) == prevTerm else {
                io.send(.appendEntriesReply(term: currentTerm, success: false, matchIndex: min(log.count, prevIndex - 1)), to: peer)
                return
            }
            for (k, e) in entries.enumerated() {
                let index = prevIndex + 1 + k
                if index <= log.count {
                    if log[index - 1].term != e.term {
                        let thrown = Array(log[(index - 1)...])
                        lastReplaced = Replaced(index: index, entries: thrown, at: io.trueNow)
                        io.note("replaced \(thrown.count == 1 ? "entry" : "entries") from index \(index) (\(thrown.map(\.command).joined(separator: ", ")), term \(thrown[0].term)) with the leader's")
                        log.removeSubrange((index - 1)...)
                        log.append(e)
                    }
                } else {
                    log.append(e)
                }
            }
            let match = prevIndex + entries.count
            if leaderCommit > commitIndex { advanceCommit(to: min(leaderCommit, match), &io) }
            io.send(.appendEntriesReply(term: currentTerm, success: true, matchIndex: match), to: peer)

        case let .appendEntriesReply(term, success, match):
            guard role == .leader, term == currentTerm else { return }
            if success {
                let advanced = match > matchIndex[peer]
                matchIndex[peer] = max(matchIndex[peer], match)
                nextIndex[peer] = matchIndex[peer] + 1
                if matchIndex[peer] >= inFlightThrough[peer] { inFlightThrough[peer] = 0 }
                if advanced { commitFromMatches(&io) }
                // A follower still behind (a full batch, or entries that arrived while the last
                // batch was on its way) gets the next one at once, not a heartbeat later; only a
                // reply that moved it forward does this, so duplicate and late replies never
                // start a second stream of batches.
                if advanced && inFlightThrough[peer] == 0 && log.count > matchIndex[peer] { sendAppend(to: peer, &io) }
            } else {
                // Back up to what the follower says it might share, and try again at once.
                nextIndex[peer] = max(1, min(nextIndex[peer] - 1, match + 1))
                sendAppend(to: peer, &io)
            }
        }
    }

    // MARK: Client

    /// A client hands `command` to this node. Only a leader takes it; the result says why not.
    public mutating func accept(_ command: String, _ io: inout NodeIO<Self>) -> Bool {
        guard role == .leader else { return false }
        log.append(LogEntry(term: currentTerm, command: command))
        matchIndex[id] = log.count
        io.note("appended \(command) at index \(log.count)")
        if size == 1 { commitFromMatches(&io) }
        for p in io.peers where inFlightThrough[p] == 0 { sendAppend(to: p, &io) }
        return true
    }

    // MARK: Roles

    mutating func startElection(_ io: inout NodeIO<Self>) {
        guard role != .leader else { return }
        currentTerm += 1
        role = .candidate
        candidacies += 1
        votedFor = id
        // Emptied in place: a set built anew each term was an allocation and a free per
        // candidacy, and a lockstep election is hundreds of candidacies.
        votes.removeAll(keepingCapacity: true)
        votes.insert(id)
        leaderID = nil
        io.note("became candidate (term \(currentTerm))")
        resetElectionTimer(&io)
        if votes.count >= majority { becomeLeader(&io); return }
        io.broadcast(.requestVote(term: currentTerm, lastLogIndex: lastLogIndex, lastLogTerm: lastLogTerm))
    }

    mutating func becomeLeader(_ io: inout NodeIO<Self>) {
        role = .leader
        leaderID = id
        nextIndex = Array(repeating: log.count + 1, count: size)
        matchIndex = Array(repeating: 0, count: size)
        matchIndex[id] = log.count
        inFlightThrough = Array(repeating: 0, count: size)
        io.note("became leader (term \(currentTerm), \(votes.count) votes)")
        io.cancelTimer(.election)
        replicate(&io)
        io.setTimer(.heartbeat, after: config.heartbeat)
    }

    mutating func becomeFollower(_ io: inout NodeIO<Self>) {
        let was = role
        role = .follower
        votes.removeAll(keepingCapacity: true)
        if was == .leader {
            io.cancelTimer(.heartbeat)
            resetElectionTimer(&io)
        }
        io.note("stepped down to follower (term \(currentTerm))")
    }

    /// A higher term always wins: adopt it and forget our vote.
    mutating func stepDown(to term: Int, _ io: inout NodeIO<Self>) {
        currentTerm = term
        votedFor = nil
        leaderID = nil
        if role != .follower { becomeFollower(&io) }
    }

    mutating func resetElectionTimer(_ io: inout NodeIO<Self>) {
        io.setTimer(.election, after: io.random(in: config.electionTimeout))
    }

    // MARK: Replication

    mutating func replicate(_ io: inout NodeIO<Self>) {
        for p in io.peers { sendAppend(to: p, &io) }
    }

    static let maxBatch = 64

    mutating func sendAppend(to peer: NodeID, _ io: inout NodeIO<Self>) {
        let prev = nextIndex[peer] - 1
        // At most a batch per message, as real implementations cap a message's size: a follower
        // far behind catches up over several round trips instead of one giant message per beat.
        let entries = prev >= log.count ? [] : Array(log[prev..<min(log.count, prev + Self.maxBatch)])
        if !entries.isEmpty { inFlightThrough[peer] = prev + entries.count }
        io.send(.appendEntries(term: currentTerm, prevLogIndex: prev, prevLogTerm: termOfEntry(at: prev),
                               entries: entries, leaderCommit: commitIndex), to: peer)
    }

    /// A leader commits the highest index stored on a majority, but only if that entry is from
    /// its own term (§5.4.2): counting replicas of older entries is not safe.
    /// The highest index on a majority is the majority-th largest match; terms never decrease
    /// along a log, so if that entry is from an older term every lower one is too, and nothing
    /// else needs checking (one sort of the matches instead of a scan per uncommitted entry).
    mutating func commitFromMatches(_ io: inout NodeIO<Self>) {
        // Nothing new to commit (every heartbeat reply in a quiet cluster): no sort at all.
        guard log.count > commitIndex else { return }
        let n = matchIndex.sorted(by: >)[majority - 1]
        if n > commitIndex, log[n - 1].term == currentTerm { advanceCommit(to: n, &io) }
    }

    mutating func advanceCommit(to index: Int, _ io: inout NodeIO<Self>) {
        guard index > commitIndex else { return }
        commitIndex = index
        io.note("committed through index \(index)")
        while lastApplied < commitIndex {
            lastApplied += 1
        }
    }

    /// Commands applied to this node's state machine, oldest first.
    public var applied: ArraySlice<LogEntry> { log[0..<lastApplied] }
}
