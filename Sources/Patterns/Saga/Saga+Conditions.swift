import Simulation

/// Conditions about sagas and rows: `saga 1 is compensated`, `order 1 is APPROVED`,
/// `payment.balance(alice) == 70`, `inventory.stock(book) == 4`.
extension Saga {
    public enum Predicate: Sendable, Equatable {
        case saga(Int, SagaLog.State)
        /// A service's row for a saga; nil: there is none.
        case row(NodeID, saga: Int, RowState?)
        case amount(NodeID, Ledger, name: String, Comparison, Int)
    }
    public enum Ledger: String, Sendable { case balance, stock }
    public static let predicateForms = ["saga 1 is compensated", "order 1 is APPROVED", "payment.balance(alice) == 70", "inventory.stock(book) == 4"]

    static let sagaStates: [String: SagaLog.State] = ["running": .running, "compensating": .compensating, "completed": .completed, "compensated": .compensated]

    public static func parsePredicate(_ w: inout Words) throws(Diagnostic) -> Predicate? {
        guard let first = w.peek else { return nil }
        if first.text == "saga", w.peekText(2) == "is" {
            _ = try w.next("saga")
            let col = w.column
            let k = try w.integer()
            guard k >= 1 else { throw w.error("sagas are numbered from 1", at: col) }
            try w.expect("is")
            let t = try w.next("a saga state")
            guard let st = sagaStates[t.text] else {
                throw w.error("unknown saga state '\(t.text)'" + didYouMean(t.text, Array(sagaStates.keys).sorted()) + "; a saga is running, compensating, completed or compensated", at: t.column)
            }
            return .saga(k, st)
        }
        if let id = w.topology.id(of: first.text), w.topology.kinds[id] == "service", let num = w.peekText(1), Int(num) != nil, w.peekText(2) == "is" {
            let n = try w.node()
            let col = w.column
            let k = try w.integer()
            guard k >= 1 else { throw w.error("sagas are numbered from 1", at: col) }
            try w.expect("is")
            let t = try w.next("a row state, such as APPROVED, or missing")
            if t.text == "missing" { return .row(n, saga: k, nil) }
            guard let st = RowState(rawValue: t.text) else {
                throw w.error("unknown row state '\(t.text)'" + didYouMean(t.text, RowState.allCases.map(\.rawValue)) + "; rows are " + RowState.allCases.map(\.rawValue).joined(separator: ", ") + ", or missing", at: t.column)
            }
            return .row(n, saga: k, st)
        }
        // `payment.balance(alice) == 70`
        let parts = first.text.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 2, let open = parts[1].firstIndex(of: "("), parts[1].hasSuffix(")"),
           let ledger = Ledger(rawValue: String(parts[1][..<open])) {
            _ = try w.next("a ledger")
            let n = try w.resolve(parts[0], at: first.column)
            let wanted: SagaService = ledger == .balance ? .payment : .inventory
            guard w.topology.name(n) == wanted.rawValue else { throw w.error("\(ledger.rawValue) is kept by \(wanted.rawValue)", at: first.column) }
            let name = String(parts[1][parts[1].index(after: open)..<parts[1].index(before: parts[1].endIndex)])
            let op = try w.next("a comparison")
            guard let cmp = Comparison(rawValue: op.text) else { throw w.error("expected a comparison (== != < <= > >=), found '\(op.text)'", at: op.column) }
            let v = try w.integer()
            return .amount(n, ledger, name: name, cmp, v)
        }
        return nil
    }

    public static func evaluate(_ p: Predicate, in c: Cluster<SagaNode>) -> Verdict {
        switch p {
        case let .saga(k, st):
            guard let now = state(of: k, in: c) else { return Verdict(false, found: "saga \(k) has not started (\(started(c)) so far)") }
            return Verdict(now == st, found: "saga \(k) is \(now.rawValue.lowercased())")
        case let .row(n, saga, st):
            let now = c.nodes[n].db.rows[saga]
            return Verdict(now == st, found: "\(c.name(n)) \(saga) is \(now?.rawValue ?? "missing")")
        case let .amount(n, ledger, name, cmp, v):
            let cf = config(of: c)
            let names = ledger == .balance ? cf.accounts : cf.items
            guard let k = names.firstIndex(of: name) else { return Verdict(false, found: "no \(ledger == .balance ? "account" : "item") '\(name)' (\(names.joined(separator: ", ")))") }
            let have = ledger == .balance ? c.nodes[n].db.balances[k] : c.nodes[n].db.stock[k]
            return Verdict(cmp.holds(have, v), found: "\(c.name(n)).\(ledger.rawValue)(\(name)) is \(have)")
        }
    }

    // MARK: Player keys

    public static let sandboxHint = "s starts a saga · select a service (1-9): f refuses its next action, t fails it twice, k crashes it after commit · c crash, r restart"

    static func firstAction(of n: NodeID, _ c: Cluster<SagaNode>) -> SagaAction? {
        guard let svc = c.nodes[n].service else { return nil }
        return config(of: c).steps.first { $0.action.service == svc }?.action
    }

    public static let interactions: [Interaction<Saga>] = [
        Interaction(key: "s", label: "saga start") { c, _ in perform(.start(count: 1, customer: nil, item: nil, amount: nil), on: &c) },
        Interaction(key: "f", label: "refusal") { c, n in
            guard let n, let a = firstAction(of: n, c) else { return "select a service first" }
            return perform(.fail(n, a, undo: false, Fault(refusals: 1)), on: &c)
        },
        Interaction(key: "t", label: "2 failures") { c, n in
            guard let n, let a = firstAction(of: n, c) else { return "select a service first" }
            return perform(.fail(n, a, undo: false, Fault(transient: 2)), on: &c)
        },
        Interaction(key: "k", label: "crash point") { c, n in
            guard let n, c.nodes[n].role != .broker else { return "select a service or the orchestrator first" }
            return perform(.crash(n, .afterCommit), on: &c)
        },
    ]
}
