import Simulation

/// Raft leader election and log replication, as the lesson language and the player see it.
public enum Raft: Pattern {
    public typealias Node = RaftNode

    public static let name = "raft"
    public static let summary = "Raft consensus: terms, randomized election timeouts, votes, log replication"

    public static let settings: [SettingSpec] = [
        SettingSpec("election-timeout", example: "150-300ms", help: "range each election timeout is drawn from"),
        SettingSpec("heartbeat", example: "50ms", help: "how often a leader sends AppendEntries"),
    ]

    public static func config(_ s: Settings) throws(Diagnostic) -> RaftConfig {
        var c = RaftConfig()
        c.electionTimeout = try s.range("election-timeout", default: c.electionTimeout,
                                        in: 1_000...60_000_000)
        c.heartbeat = try s.duration("heartbeat", default: c.heartbeat, in: 1_000...60_000_000)
        return c
    }

    /// The ring draws at most 15; headless runs (experiments, benchmarks) go to 101.
    public static var limits: PatternLimits { PatternLimits(playerNodes: 1...15, headlessNodes: 1...101) }

    public static let roles = RaftNode.Role.allCases.map(\.rawValue)

    public static func role(of id: NodeID, in cluster: Cluster<RaftNode>) -> String {
        cluster.nodes[id].role.rawValue
    }

    // MARK: Who leads

    /// The leader a client would find: the live leader with the highest term. Stale leaders cut
    /// off in a minority can linger in lower terms; they are not "the" leader.
    public static func leader(in c: Cluster<RaftNode>) -> NodeID? {
        // Asked after every event of a `run until`: no list built, no string (the first of
        // the highest term, as `max` chose).
        var best: NodeID?
        for id in 0..<c.size where c.isUp[id] && !c.isPaused[id] && c.nodes[id].role == .leader {
            if let b = best, c.nodes[id].currentTerm <= c.nodes[b].currentTerm { continue }
            best = id
        }
        return best
    }

    static func describeLeader(_ c: Cluster<RaftNode>) -> String {
        guard let l = leader(in: c) else { return "no leader" }
        return "leader \(nodeName(l)) (term \(c.nodes[l].currentTerm))"
    }

    // MARK: Commands

    public enum Command: Sendable, Equatable {
        /// A client write; `to` names the node the client contacts, else the current leader.
        case request(String, to: NodeID?)
        /// Fire a node's election timer now.
        case timeout(NodeID)
        /// Change every node's election-timeout range (takes effect as timers are next armed).
        case electionTimeout(ClosedRange<SimTime>)
    }

    public static let commands: [CommandSpec<Raft>] = [
        CommandSpec("request", usage: "request KEY=VALUE [to nK]",
                    help: "a client write, sent to the leader (or to the node named)") { (w: inout Words) throws(Diagnostic) in
            let t = try w.next("a command such as x=1")
            guard t.kind != .op else { throw w.error("expected a command such as x=1, found '\(t.text)'", at: t.column) }
            let parts = t.text.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw w.error("a request is one key=value, such as x=1, found '\(t.text)'", at: t.column)
            }
            var to: NodeID?
            if w.accept("to") { to = try w.node() }
            return .request(t.text, to: to)
        },
        CommandSpec("timeout", usage: "timeout nK",
                    help: "fire nK's election timer now, so it starts an election") { (w: inout Words) throws(Diagnostic) in
            .timeout(try w.node())
        },
        CommandSpec("election-timeout", usage: "election-timeout 150-300ms",
                    help: "change every node's election-timeout range from now on") { (w: inout Words) throws(Diagnostic) in
            let t = try w.next("a range such as 150-300ms")
            switch Words.parseRange(t.text) {
            case .success(let r) where r.lowerBound >= 1_000 && r.upperBound <= 60_000_000: return .electionTimeout(r)
            case .success: throw w.error("an election timeout must lie between 1ms and 60s", at: t.column)
            case .failure(let p): throw w.error(p.message, at: t.column)
            }
        },
    ]

    public static func perform(_ command: Command, on c: inout Cluster<RaftNode>) -> String? {
        // A request nobody takes is a legitimate thing to show, not a broken lesson: journal it.
        switch command {
        case let .request(value, to):
            // A refusal (no leader, not the leader) is part of the lesson and shown in the log;
            // a full log is a limit of the tool, and a limit that is hit fails at its line.
            if request(value, to: to, on: &c) == logFull {
                return "the log is full: a lesson's log holds at most \(RaftNode.maxLog) entries"
            }
        case let .electionTimeout(r):
            for n in 0..<c.size { c.reconfigure(n) { $0.config.electionTimeout = r } }
            c.log(.command, nil, nil, "election timeouts now drawn from \(SimDuration.format(r.lowerBound))–\(SimDuration.format(r.upperBound))")
        case let .timeout(n):
            if !c.expire(.election, of: n) {
                c.log(.command, n, nil, "timeout ignored: \(c.unavailable(n) ?? "no election timer armed (a leader has none)")")
            }
        }
        return nil
    }

    static let logFull = "the log is full"

    /// Returns a reason when nobody took the request.
    static func request(_ value: String, to: NodeID?, on c: inout Cluster<RaftNode>) -> String? {
        guard let target = to ?? leader(in: c) else {
            c.log(.client, nil, nil, "request \(value) rejected: no leader")
            return "no leader to take the request"
        }
        if let why = c.unavailable(target) {
            c.log(.client, target, nil, "request \(value) failed: \(why)")
            return why
        }
        if c.nodes[target].role == .leader, c.nodes[target].log.count >= RaftNode.maxLog {
            c.log(.client, target, nil, "request \(value) rejected: the log is full (a lesson's log holds at most \(RaftNode.maxLog) entries)")
            return logFull
        }
        var took = false
        c.log(.client, target, nil, "request \(value)")
        c.poke(target) { node, io in took = node.accept(value, &io) }
        if !took {
            let hint = c.nodes[target].leaderID.map { " (it knows of leader \(nodeName($0)))" } ?? ""
            c.log(.client, target, nil, "request \(value) rejected: \(nodeName(target)) is not leader\(hint)")
            return "\(nodeName(target)) is not leader"
        }
        return nil
    }

    // MARK: Queries and conditions

    public static let queries: [QuerySpec<Raft>] = [
        QuerySpec("term", .cluster, help: "highest term any node has reached") { c, _ in
            c.nodes.map(\.currentTerm).max() ?? 0
        },
        QuerySpec("committed", .cluster, help: "highest commit index on a running node (not crashed or paused)") { c, _ in
            (0..<c.size).filter { c.unavailable($0) == nil }.map { c.nodes[$0].commitIndex }.max() ?? 0
        },
        QuerySpec("elections", .cluster, help: "elections started so far, by any node (each candidacy counts)") { c, _ in
            c.nodes.reduce(0) { $0 + $1.candidacies }
        },
        QuerySpec("leaders", .cluster, help: "running nodes (not crashed or paused) that believe they lead") { c, _ in
            (0..<c.size).filter { c.unavailable($0) == nil && c.nodes[$0].role == .leader }.count
        },
        QuerySpec("term", .node, help: "the node's current term") { c, n in c.nodes[n!].currentTerm },
        QuerySpec("log", .node, help: "entries in the node's log") { c, n in c.nodes[n!].log.count },
        QuerySpec("commit", .node, help: "the node's commit index") { c, n in c.nodes[n!].commitIndex },
        QuerySpec("votes", .node, help: "votes a candidate or leader has counted this term") { c, n in
            c.nodes[n!].votes.count
        },
    ]

    public enum Predicate: Sendable, Equatable {
        case leaderExists, noLeader, leaderIs(NodeID)
    }

    public static let predicateForms = ["leader exists", "no leader", "leader is nK"]

    public static func parsePredicate(_ w: inout Words) throws(Diagnostic) -> Predicate? {
        guard let first = w.peek?.text else { return nil }
        let save = w
        if first == "no" {
            _ = try w.next("no")
            if w.accept("leader") { return .noLeader }
            w = save
            return nil
        }
        guard first == "leader" else { return nil }
        _ = try w.next("leader")
        if w.accept("exists") { return .leaderExists }
        if w.accept("is") { return .leaderIs(try w.node()) }
        w = save
        return nil
    }

    /// Cheap while nobody believes it leads (the cluster's tally): a `run until leader exists`
    /// through thousands of failed elections does not scan every node after every event.
    public static func holds(_ p: Predicate, in c: Cluster<RaftNode>) -> Bool {
        if c.tally.first == 0 {
            if case .noLeader = p { return true }
            return false
        }
        // Without `evaluate`'s explanation: building it after every event cost 101-node Raft
        // about 700 ns an event under `run until`.
        let l = leader(in: c)
        switch p {
        case .leaderExists: return l != nil
        case .noLeader: return l == nil
        case .leaderIs(let n): return l == n
        }
    }

    public static func evaluate(_ p: Predicate, in c: Cluster<RaftNode>) -> Verdict {
        Verdict(holds(p, in: c), found: describeLeader(c))
    }

    // MARK: Player keys

    public static let sandboxHint = "space runs · r request · 1-9 selects · c crash · t timeout"

    public static let interactions: [Interaction<Raft>] = [
        Interaction(key: "r", label: "request") { c, _ in
            let k = c.nodes.map(\.log.count).max() ?? 0
            return request("x=\(k + 1)", to: nil, on: &c)
        },
        Interaction(key: "t", label: "timeout") { c, selected in
            guard let n = selected else { return "select a node first (1–9)" }
            return c.expire(.election, of: n) ? nil : c.unavailable(n) ?? "\(nodeName(n)) has no election timer armed"
        },
    ]
}
