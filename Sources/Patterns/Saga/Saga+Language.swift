import Simulation

/// The lesson language of sagas: start them, make services refuse or fail for a while, crash a
/// node at a chosen point, delete a row, run a relay; ask where a saga stands, what a row says,
/// what a balance is, and what the broker and each consumer have seen.
extension Saga {
    public enum Command: Sendable, Equatable {
        /// Sagas to start, with who buys what (nil: the lesson's `buy`).
        case start(count: Int, customer: String?, item: String?, amount: Int?)
        case fail(NodeID, SagaAction, undo: Bool, Fault)
        case recover(NodeID)
        /// Now, or armed for the next time the node reaches the point.
        case crash(NodeID, SagaNode.CrashPoint?)
        case delete(NodeID, saga: Int)
        case relay(NodeID)
        case set(key: String, value: String)
    }

    static func service(_ w: inout Words) throws(Diagnostic) -> NodeID {
        let col = w.column
        let n = try w.node()
        guard w.topology.kinds[n] == "service" else { throw w.error("\(w.topology.name(n)) is not a service; the services are \(w.topology.nodes(ofKind: "service").map { w.topology.name($0) }.joined(separator: ", "))", at: col) }
        return n
    }

    public static let commands: [CommandSpec<Saga>] = [
        CommandSpec("start", usage: "start saga [CUSTOMER] [ITEM] [AMOUNT] | start N sagas", help: "begin a saga (the lesson's buy: unless told)") { (w: inout Words) throws(Diagnostic) in
            var count = 1
            if let t = w.peek, let k = Int(t.text) {
                guard (1...1_000).contains(k) else { throw w.error("start 1 to 1000 sagas at once", at: t.column) }
                count = k; _ = try w.next("a number")
                let s = try w.next("'sagas'")
                guard s.text == "sagas" || s.text == "saga" else { throw w.error("expected 'sagas', found '\(s.text)'", at: s.column) }
                return .start(count: count, customer: nil, item: nil, amount: nil)
            }
            let s = try w.next("'saga'")
            guard s.text == "saga" else { throw w.error("expected 'saga' or a number of sagas, found '\(s.text)'", at: s.column) }
            var customer: String?, item: String?, amount: Int?
            while let t = w.peek {
                _ = try w.next("a value")
                if let v = Int(t.text) {
                    guard amount == nil, (1...1_000_000).contains(v) else { throw w.error("an amount is from 1 to 1000000, given once", at: t.column) }
                    amount = v
                } else if customer == nil { customer = t.text } else if item == nil { item = t.text } else {
                    throw w.error("unexpected '\(t.text)': start saga [CUSTOMER] [ITEM] [AMOUNT]", at: t.column)
                }
            }
            return .start(count: 1, customer: customer, item: item, amount: amount)
        },
        CommandSpec("fail", usage: "fail SERVICE ACTION [N times | always]",
                    help: "refuse the next ACTION (for good); with N times, fail it transiently N times; always, until recover") { (w: inout Words) throws(Diagnostic) in
            let n = try service(&w)
            let t = try w.next("an action, such as charge or refund")
            guard let svc = SagaService(rawValue: w.topology.name(n)) else { throw w.error("\(w.topology.name(n)) is not a service", at: t.column) }
            guard let (a, undo) = SagaAction.named(t.text, at: svc) else {
                let names = SagaAction.allCases.filter { $0.service == svc }.flatMap { [$0.verb] + ($0.compensation.map { [$0] } ?? []) }
                throw w.error("\(svc.rawValue) has no action '\(t.text)'" + didYouMean(t.text, names) + "; it does \(names.joined(separator: ", "))", at: t.column)
            }
            var f = Fault(refusals: 1)
            if w.accept("always") { f = Fault(refusals: .max) } else if let k = w.peek {
                let v = try w.integer()
                guard (1...1_000).contains(v) else { throw w.error("from 1 to 1000 times", at: k.column) }
                guard w.accept("times") || w.accept("time") else { throw w.error("expected 'times' after \(v)") }
                f = Fault(transient: v)
            }
            return .fail(n, a, undo: undo, f)
        },
        CommandSpec("recover", usage: "recover SERVICE", help: "end every failure injected into a service") { (w: inout Words) throws(Diagnostic) in
            .recover(try service(&w))
        },
        CommandSpec("crash", usage: "crash NODE [before commit | after commit | after publish]",
                    help: "stop a node now; or the next time it reaches that point of handling a message") { (w: inout Words) throws(Diagnostic) in
            let n = try w.node()
            guard let t = w.peek else { return .crash(n, nil) }
            let a = try w.next("before or after"), b = try w.next("commit or publish")
            guard let p = SagaNode.CrashPoint(rawValue: "\(a.text) \(b.text)") else {
                throw w.error("expected before commit, after commit or after publish, found '\(a.text) \(b.text)'", at: t.column)
            }
            guard w.topology.kinds[n] != "broker" else { throw w.error("the broker crashes only now ('crash broker'): it commits nothing of its own", at: t.column) }
            return .crash(n, p)
        },
        CommandSpec("delete", usage: "delete SERVICE SAGA", help: "a clean-up job deletes a service's row for a saga (what change data capture sees)") { (w: inout Words) throws(Diagnostic) in
            let n = try service(&w)
            let col = w.column
            let s = try w.integer()
            guard s >= 1 else { throw w.error("sagas are numbered from 1", at: col) }
            return .delete(n, saga: s)
        },
        CommandSpec("set", usage: "set KEY VALUE", help: "change a setting from now on: " + runtimeKeys.joined(separator: ", ")) { (w: inout Words) throws(Diagnostic) in
            let k = try w.next("a setting, such as semantic-lock")
            guard runtimeKeys.contains(k.text) else {
                throw w.error("'\(k.text)' cannot change during a lesson" + didYouMean(k.text, runtimeKeys) + "; these can: " + runtimeKeys.joined(separator: ", "), at: k.column)
            }
            let col = w.column
            var words: [String] = []
            while let t = w.peek { words.append(t.text); _ = try w.next("a value") }
            guard !words.isEmpty else { throw w.error("expected a value for \(k.text)") }
            var s = Settings()
            s.set(k.text, words.joined(separator: " "), line: 0, column: col)
            var probe = SagaConfig()
            do throws(Diagnostic) { try applyRuntime(s, to: &probe) } catch { throw w.error(error.message, at: col) }
            return .set(key: k.text, value: words.joined(separator: " "))
        },
        CommandSpec("relay", usage: "relay SERVICE", help: "run a service's relay now: publish what the broker has not stored") { (w: inout Words) throws(Diagnostic) in
            .relay(try service(&w))
        },
    ]

    public static func perform(_ command: Command, on c: inout Cluster<SagaNode>) -> String? {
        let cf = config(of: c)
        switch command {
        case let .start(count, customer, item, amount):
            var who = cf.customer, what = cf.item
            if let customer {
                guard let k = cf.accounts.firstIndex(of: customer), k != cf.shop else { return "no customer '\(customer)'; the accounts are \(cf.accounts.dropLast().joined(separator: ", "))" }
                who = k
            }
            if let item {
                guard let k = cf.items.firstIndex(of: item) else { return "no item '\(item)'; the stock is \(cf.items.joined(separator: ", "))" }
                what = k
            }
            let starter = cf.orchestrator ?? cf.node(of: 0)
            if let why = c.unavailable(starter) { return "\(why): no saga can start" }
            for _ in 0..<count where c.isUp[starter] {
                c.poke(starter) { node, io in
                    // The saga's number is taken in the transaction that starts it: a crash
                    // before that commits leaves no saga behind.
                    if node.crashPoint == .beforeCommit {
                        _ = node.dies(at: .beforeCommit, &io)
                        return
                    }
                    node.started += 1
                    let order = SagaOrder(saga: node.started, customer: who, item: what, amount: amount ?? cf.amount)
                    if node.role == .orchestrator { node.startSaga(order, &io) } else { node.beginSaga(order, &io) }
                    node.arm(&io)
                }
            }
        case let .fail(n, a, undo, f):
            c.reconfigure(n) { $0.faults[SagaNode.faultKey(a, undo: undo)] = f }
            let what = undo ? a.compensation! : a.verb
            let how = f.refusals == .max ? "refuses every \(what)" : f.refusals > 0 ? "refuses the next \(what)" : "fails the next \(f.transient) \(what)\(f.transient == 1 ? "" : "s") for now"
            c.log(.command, n, nil, "\(c.name(n)) \(how)")
        case .recover(let n):
            c.reconfigure(n) { $0.faults = [:] }
            c.log(.command, n, nil, "\(c.name(n)) fails nothing any more")
        case let .crash(n, point):
            guard let point else { c.crash(n); return nil }
            if let why = c.unavailable(n) { return "\(why) already" }
            c.reconfigure(n) { $0.crashPoint = point }
            c.log(.command, n, nil, "\(c.name(n)) will crash \(point.rawValue)")
        case let .delete(n, saga):
            guard c.nodes[n].db.rows[saga] != nil else { return "\(c.name(n)) has no row for saga \(saga)" }
            if let why = c.unavailable(n) { return "\(why): nothing can be deleted" }
            c.poke(n) { node, io in
                node.db.write(saga, .deleted)
                if node.config.cdc == .tail { _ = node.db.tail() }
                io.note("row of saga \(saga) deleted")
            }
        case let .set(key, value):
            var s = Settings()
            s.set(key, value)
            var probe = cf
            try? applyRuntime(s, to: &probe)
            if let why = probe.lockProblem { return why }
            for n in 0..<c.size {
                c.reconfigure(n) { node in try? applyRuntime(s, to: &node.config) }
                guard key == "cdc", c.nodes[n].service != nil else { continue }
                switch c.nodes[n].config.cdc {
                case .poll(let every): c.poke(n) { _, io in io.setTimer(.cdc, after: every) }
                case .tail:
                    c.poke(n) { node, io in
                        let k = node.db.tail()
                        if k > 0 { io.note("cdc: read \(k) change\(k == 1 ? "" : "s") from the log") }
                    }
                case .off: break
                }
            }
            c.log(.command, nil, nil, "\(key) is now \(value)")
        case .relay(let n):
            if let why = c.unavailable(n) { return "\(why): its relay cannot run" }
            c.poke(n) { node, io in node.relayRound(&io); node.arm(&io) }
        }
        return nil
    }

    // MARK: Queries

    static func nodeQuery(_ name: String, _ help: String, _ f: @escaping @Sendable (SagaNode) -> Int) -> QuerySpec<Saga> {
        QuerySpec(name, .node, help: help) { c, n in f(c.nodes[n!]) }
    }

    public static func count(_ c: Cluster<SagaNode>, _ state: SagaLog.State) -> Int {
        let n = started(c)
        return n == 0 ? 0 : (1...n).filter { Saga.state(of: $0, in: c) == state }.count
    }

    public static let queries: [QuerySpec<Saga>] = [
        QuerySpec("sagas", .cluster, help: "sagas started") { c, _ in started(c) },
        QuerySpec("completed", .cluster, help: "sagas that completed") { c, _ in count(c, .completed) },
        QuerySpec("compensated", .cluster, help: "sagas undone to the end") { c, _ in count(c, .compensated) },
        QuerySpec("unfinished", .cluster, help: "sagas running or compensating") { c, _ in count(c, .running) + count(c, .compensating) },
        QuerySpec("money", .cluster, help: "the sum of every balance at payment") { c, _ in money(c) },
        QuerySpec("applied-twice", .cluster, help: "saga steps some service applied more than once") { c, _ in
            c.nodes.reduce(0) { $0 + $1.db.records.values.filter { $0.applied > 1 }.count }
        },
        nodeQuery("published", "messages handed to the broker (copies published again included)") { $0.counts.published },
        nodeQuery("received", "deliveries that reached this node, copies included") { $0.counts.received },
        nodeQuery("duplicates-ignored", "deliveries recognised as already handled and not acted on") { $0.counts.duplicatesIgnored },
        nodeQuery("applied", "actions applied here") { $0.counts.applied },
        nodeQuery("undone", "compensations applied here") { $0.counts.compensated },
        nodeQuery("refused", "actions refused here for good") { $0.counts.refused },
        nodeQuery("transient", "actions that failed for now here") { $0.counts.transient },
        nodeQuery("dirty-reads", "refusals for out of stock caused by a reservation later released") { $0.counts.dirtyReads },
        nodeQuery("outbox", "outbox rows not yet stored by the broker") { n in n.db.outbox.filter { !$0.sent }.count },
        nodeQuery("unstored", "messages sent to the broker and not yet stored (in memory only)") { $0.unstored.count },
        nodeQuery("changes", "changes in the transaction log") { $0.db.lsn },
        nodeQuery("captured", "changes change data capture has passed on") { $0.db.captured },
        nodeQuery("stale", "rows change data capture's consumer has wrong (missing, stale, or deleted here)") { $0.db.staleInReplica },
        nodeQuery("delivered", "broker: deliveries made, copies included") { $0.counts.delivered },
        nodeQuery("redelivered", "broker: deliveries made again after no ack came in time") { $0.counts.redeliveries },
        nodeQuery("duplicated", "broker: deliveries it sent twice on purpose") { $0.counts.duplicated },
        nodeQuery("acked", "broker: messages acknowledged and forgotten") { $0.counts.acked },
        nodeQuery("waiting", "broker: messages stored and not yet delivered") { $0.queue.waiting },
        nodeQuery("unacked", "broker: messages delivered and not yet acknowledged") { $0.queue.unacked },
    ]
}
