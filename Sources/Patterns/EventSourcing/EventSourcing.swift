import Simulation

/// Event sourcing and CQRS: an account whose state is the fold of its events, with time travel
/// along the log and snapshots, and a read model projected from the events that lags the
/// write side.
public enum EventSourcing: Pattern {
    public typealias Node = LedgerNode

    public static let name = "eventsourcing"
    public static let summary = "Event sourcing and CQRS: state as a fold of events, time travel, snapshots, a lagging read model"

    public static let settings: [SettingSpec] = [
        SettingSpec("snapshot-every", example: "5", help: "take a snapshot of the account every N events, or off"),
        SettingSpec("projection-delay", example: "500ms", help: "how long the projector waits before pushing new events to the read model"),
        SettingSpec("batch", example: "10", help: "events the projector pushes at once"),
    ]

    public static func topology(_ s: Settings, nodes: Int) throws(Diagnostic) -> Topology {
        if s["nodes"] != nil { throw s.fail("nodes", "an event-sourcing lesson has two nodes, account and reader; leave out 'nodes'") }
        switch Topology.named([("account", "account"), ("reader", "reader")], edges: [("account", "reader")]) {
        case .success(let t): return t
        case .failure(let e): throw s.fail("pattern", e.message)
        }
    }

    public static func config(_ s: Settings) throws(Diagnostic) -> LedgerNode.Config {
        var c = LedgerNode.Config()
        if let raw = s["snapshot-every"], raw != "off" { c.snapshotEvery = try s.integer("snapshot-every", default: 0, in: 1...10_000) }
        c.projectionDelay = try s.duration("projection-delay", default: c.projectionDelay, in: 1_000...60_000_000)
        c.batch = try s.integer("batch", default: c.batch, in: 1...1_000)
        return c
    }

    public static var limits: PatternLimits { PatternLimits(playerNodes: 2...2, headlessNodes: 2...2) }

    public static let roles = ["account", "reader"]
    public static func role(of id: NodeID, in c: Cluster<LedgerNode>) -> String { id == 0 ? "account" : "reader" }

    public enum Command: Sendable, Equatable {
        case deposit(Int)
        case withdraw(Int)
        case cursor(Int?)
        case snapshot
        case read
        case rebuild
    }

    static func amount(_ w: inout Words) throws(Diagnostic) -> Int {
        let col = w.column
        let v = try w.integer()
        guard (1...1_000_000).contains(v) else { throw w.error("an amount is from 1 to 1000000", at: col) }
        return v
    }

    public static let commands: [CommandSpec<EventSourcing>] = [
        CommandSpec("deposit", usage: "deposit AMOUNT", help: "a command to the account: appends a deposited event") { (w: inout Words) throws(Diagnostic) in
            .deposit(try amount(&w))
        },
        CommandSpec("withdraw", usage: "withdraw AMOUNT", help: "appends a withdrew event, or is refused when the balance is short") { (w: inout Words) throws(Diagnostic) in
            .withdraw(try amount(&w))
        },
        CommandSpec("cursor", usage: "cursor VERSION | cursor end", help: "look at the account as it was after VERSION events (time travel)") { (w: inout Words) throws(Diagnostic) in
            if w.accept("end") { return .cursor(nil) }
            let col = w.column
            let v = try w.integer()
            guard v >= 0 else { throw w.error("a version is 0 (before any event) or more", at: col) }
            return .cursor(v)
        },
        CommandSpec("snapshot", usage: "snapshot", help: "store the account's state at its current version") { (_: inout Words) throws(Diagnostic) in .snapshot },
        CommandSpec("read", usage: "read", help: "a client reads the balance from the read model (and we note whether it was stale)") { (_: inout Words) throws(Diagnostic) in .read },
        CommandSpec("rebuild", usage: "rebuild", help: "throw the read model away and project it again from the first event") { (_: inout Words) throws(Diagnostic) in .rebuild },
    ]

    public static func perform(_ command: Command, on c: inout Cluster<LedgerNode>) -> String? {
        switch command {
        case .deposit(let a), .withdraw(let a):
            if let why = c.unavailable(0) { return "\(why): the command is not taken" }
            let deposit: Bool = if case .deposit = command { true } else { false }
            c.poke(0) { node, io in
                if !deposit, node.current.balance < a {
                    node.refused += 1
                    io.note("withdraw \(a) refused: the balance is \(node.current.balance); no event is written")
                    return
                }
                node.append(deposit ? .deposited(a) : .withdrew(a), &io)
            }
        case .cursor(let v):
            let n = c.nodes[0].log.count
            if let v, v > n { return "the log has \(n) event\(n == 1 ? "" : "s"); no version \(v)" }
            c.reconfigure(0) { $0.moveCursor(to: v) }
            c.log(.command, 0, nil, v.map { "looking at version \($0)" } ?? "looking at the newest version")
        case .snapshot:
            if let why = c.unavailable(0) { return "\(why): no snapshot can be taken" }
            c.poke(0) { node, io in
                node.snapshots.append(LedgerNode.Snapshot(state: node.current))
                io.note("snapshot at version \(node.current.version)")
            }
        case .read:
            if let why = c.unavailable(1) { return "\(why): nothing can be read" }
            let truth = c.nodes[0].current.balance, version = c.nodes[0].log.count
            c.reconfigure(1) { r in
                r.reads += 1
                let stale = r.readModel.version < version
                if stale { r.staleReads += 1 }
                r.lastRead = (r.readModel.balance, stale)
            }
            let r = c.nodes[1].readModel
            c.log(.command, 1, nil, "read: balance \(r.balance)" + (r.version < version ? " (stale: the account is at \(truth), version \(version))" : ""))
        case .rebuild:
            if let why = c.unavailable(1) { return "\(why): the read model cannot be rebuilt" }
            c.reconfigure(1) { $0.readModel = LedgerNode.Account() }
            c.poke(1) { node, io in node.epoch += 1; node.askForReplay(&io) }
        }
        return nil
    }

    public static let queries: [QuerySpec<EventSourcing>] = [
        QuerySpec("version", .cluster, help: "events in the account's log") { c, _ in c.nodes[0].log.count },
        QuerySpec("balance", .cluster, help: "the account's balance: the fold of every event", constantTime: true) { c, _ in c.nodes[0].logFold.balance },
        QuerySpec("cursor", .cluster, help: "the version the cursor shows (the newest when it is at the end)") { c, _ in c.nodes[0].cursor ?? c.nodes[0].log.count },
        QuerySpec("balance-at-cursor", .cluster, help: "the balance after the events up to the cursor", constantTime: true) { c, _ in c.nodes[0].atCursor.balance },
        QuerySpec("snapshots", .cluster, help: "snapshots taken") { c, _ in c.nodes[0].snapshots.count },
        QuerySpec("refused", .cluster, help: "commands refused (no event written)") { c, _ in c.nodes[0].refused },
        QuerySpec("read-balance", .cluster, help: "the balance in the read model") { c, _ in c.nodes[1].readModel.balance },
        QuerySpec("read-version", .cluster, help: "events the read model has applied") { c, _ in c.nodes[1].readModel.version },
        QuerySpec("lag", .cluster, help: "events the read model is behind the log") { c, _ in c.nodes[0].log.count - c.nodes[1].readModel.version },
        QuerySpec("reads", .cluster, help: "reads made") { c, _ in c.nodes[1].reads },
        QuerySpec("stale-reads", .cluster, help: "reads that missed an event already written") { c, _ in c.nodes[1].staleReads },
    ]

    public enum Predicate: Sendable, Equatable {
        /// Replaying the log from empty and from every snapshot gives the state in memory.
        case replayMatches
    }
    public static let predicateForms = ["replay matches"]

    public static func parsePredicate(_ w: inout Words) throws(Diagnostic) -> Predicate? {
        guard w.peek?.text == "replay", w.peekText(1) == "matches" else { return nil }
        _ = try w.next("replay"); _ = try w.next("matches")
        return .replayMatches
    }

    public static func evaluate(_ p: Predicate, in c: Cluster<LedgerNode>) -> Verdict {
        let a = c.nodes[0]
        let truth = a.logFold
        if let bad = a.snapshotsMatch.bad {
            let r = LedgerNode.replay(a.log, from: bad)
            return Verdict(false, found: "from the snapshot at \(bad.state.version): balance \(r.balance), from empty \(truth.balance)")
        }
        return Verdict(truth == a.current || !c.isUp[0],
                       found: "from empty and from \(a.snapshots.count) snapshot\(a.snapshots.count == 1 ? "" : "s"): balance \(truth.balance) at version \(truth.version)")
    }

    public static let sandboxHint = "d deposits 10 · w withdraws 10 · r reads from the read model · [ and ] move the cursor · c crashes the selected node"

    public static let interactions: [Interaction<EventSourcing>] = [
        Interaction(key: "d", label: "deposit 10") { c, _ in perform(.deposit(10), on: &c) },
        Interaction(key: "w", label: "withdraw 10") { c, _ in perform(.withdraw(10), on: &c) },
        Interaction(key: "r", label: "read") { c, _ in perform(.read, on: &c) },
        Interaction(key: "[", label: "cursor back") { c, _ in
            let a = c.nodes[0]; return perform(.cursor(max(0, (a.cursor ?? a.log.count) - 1)), on: &c)
        },
        Interaction(key: "]", label: "cursor on") { c, _ in
            let a = c.nodes[0], next = (a.cursor ?? a.log.count) + 1
            return perform(.cursor(next >= a.log.count ? nil : next), on: &c)
        },
    ]
}
