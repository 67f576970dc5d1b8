import Simulation

public struct LogEntry: Sendable, Equatable {
    public var term: Int
    public var command: String
}

/// Raft's four RPCs (Ongaro & Ousterhout, Figure 2). Replies carry the term so a stale
/// node learns it is behind.
public enum RaftMessage: Sendable, Equatable, CustomStringConvertible {
    case requestVote(term: Int, lastLogIndex: Int, lastLogTerm: Int)
    case vote(term: Int, granted: Bool)
    case appendEntries(term: Int, prevLogIndex: Int, prevLogTerm: Int, entries: [LogEntry], leaderCommit: Int)
    case appendEntriesReply(term: Int, success: Bool, matchIndex: Int)

    public var term: Int {
        switch self {
        case .requestVote(let t, _, _), .vote(let t, _), .appendEntries(let t, _, _, _, _),
             .appendEntriesReply(let t, _, _):
            return t
        }
    }

    public var isHeartbeat: Bool {
        if case .appendEntries(_, _, _, let e, _) = self { return e.isEmpty }
        return false
    }

    public var description: String {
        switch self {
        case let .requestVote(t, i, lt):
            return "RequestVote term=\(t) lastLog=\(i)@\(lt)"
        case let .vote(t, g):
            return "Vote term=\(t) \(g ? "granted" : "denied")"
        case let .appendEntries(t, pi, pt, e, c):
            let what = e.isEmpty ? "heartbeat" : "+\(e.count) [\(e.map(\.command).joined(separator: ","))]"
            return "AppendEntries term=\(t) prev=\(pi)@\(pt) \(what) commit=\(c)"
        case let .appendEntriesReply(t, ok, m):
            return "AppendEntriesReply term=\(t) \(ok ? "ok" : "reject") match=\(m)"
        }
    }
}

/// Numbered: the cluster keeps a node's timers in slots by number.
public enum RaftTimer: Int, TimerKind {
    case election, heartbeat
    public var description: String { self == .election ? "election timeout" : "heartbeat timeout" }
    public static let slotCount = 2
}

public struct RaftConfig: Sendable, Equatable {
    public var electionTimeout: ClosedRange<SimTime> = 150_000...300_000
    public var heartbeat: SimTime = 50_000
    public init() {}
}
