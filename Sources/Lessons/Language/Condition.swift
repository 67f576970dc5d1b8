import Patterns
import Simulation

/// A condition from `expect` or `run until`, as written and as compiled.
public indirect enum Condition<P: Pattern>: Sendable {
    public enum Operand: Sendable {
        case number(Int)
        case query(QuerySpec<P>, NodeID?)
        case edgeQuery(QuerySpec<P>, Link)
    }
    /// `==`, `<`, …: shared with patterns that read comparisons of their own.
    public typealias Comparison = Patterns.Comparison

    case role(NodeID, String)
    case compare(Operand, Comparison, Operand)
    case pattern(P.Predicate)
    case all([Condition])

    /// About how many nodes one ask looks at: a count the cluster keeps costs 1, a query or
    /// phrase that scans the cluster costs its size.
    public func cost(nodes: Int) -> Int {
        func operand(_ o: Operand) -> Int {
            switch o {
            case .number: 0
            case .query(let q, _): q.constantTime ? 1 : nodes
            case .edgeQuery: 1
            }
        }
        switch self {
        case .role: return 1
        case let .compare(a, _, b): return max(1, operand(a) + operand(b))
        case .pattern(let p): return P.constantTime(p) ? 1 : nodes
        case .all(let parts): return parts.reduce(0) { $0 + $1.cost(nodes: nodes) }
        }
    }

    /// Whether it holds, cheaply (no explanation is built): asked after every event of a `run until`.
    public func holds(_ c: Cluster<P.Node>) -> Bool {
        switch self {
        case let .role(n, role): return P.visibleRole(of: n, in: c) == role
        case let .compare(a, op, b): return op.holds(value(a, c), value(b, c))
        case let .pattern(p): return P.holds(p, in: c)
        case let .all(parts): return parts.allSatisfy { $0.holds(c) }
        }
    }

    /// Whether it holds and what was found, for messages.
    public func evaluate(_ c: Cluster<P.Node>) -> Verdict {
        switch self {
        case let .role(n, role):
            let actual = P.visibleRole(of: n, in: c)
            return Verdict(actual == role, found: "\(c.name(n)) is \(actual)")
        case let .compare(a, op, b):
            let x = value(a, c), y = value(b, c)
            return Verdict(op.holds(x, y), found: [describe(a, x, c), describe(b, y, c)].compactMap { $0 }.joined(separator: ", "))
        case let .pattern(p):
            return P.evaluate(p, in: c)
        case let .all(parts):
            for part in parts {
                let v = part.evaluate(c)
                if !v.holds { return v }
            }
            return Verdict(true, found: parts.map { $0.evaluate(c).found }.joined(separator: "; "))
        }
    }

    func value(_ o: Operand, _ c: Cluster<P.Node>) -> Int {
        switch o {
        case .number(let v): v
        case let .query(q, n): q.value(c, n)
        case let .edgeQuery(q, l): q.edgeValue(c, l)
        }
    }

    func describe(_ o: Operand, _ v: Int, _ c: Cluster<P.Node>) -> String? {
        switch o {
        case .number: nil
        case let .query(q, n): (n.map { c.name($0) + "." } ?? "") + q.name + " is \(v)"
        case let .edgeQuery(q, l): "\(c.name(l.from))->\(c.name(l.to)).\(q.name) is \(v)"
        }
    }
}

/// Reads conditions: `nK is ROLE`, the pattern's own phrases, `QUERY OP VALUE`, joined by `and`.
struct ConditionReader<P: Pattern> {
    /// Queries every pattern answers, on top of its own.
    static var commonQueries: [QuerySpec<P>] {
        [
            QuerySpec("time", .cluster, help: "simulated time in milliseconds", constantTime: true) { c, _ in Int(c.now / 1_000) },
            QuerySpec("inflight", .cluster, help: "messages on the wire", constantTime: true) { c, _ in c.inFlightCount },
            QuerySpec("up", .cluster, help: "nodes that are not crashed (a paused node counts)", constantTime: true) { c, _ in c.upCount },
        ]
    }
    static var queries: [QuerySpec<P>] { P.queries + commonQueries }

    static func read(_ w: inout Words) throws(Diagnostic) -> Condition<P> {
        var parts = [try primary(&w)]
        while let and = w.peek, w.accept("and") {
            // Every term is evaluated after every event of a `run until`: a bound keeps a
            // lesson's cost proportional to its events, not events times an endless condition.
            guard parts.count < Limits.maxConditionTerms else {
                throw w.error("a condition joins at most \(Limits.maxConditionTerms) parts with 'and'; split it into several expects", at: and.column)
            }
            parts.append(try primary(&w))
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    static func primary(_ w: inout Words) throws(Diagnostic) -> Condition<P> {
        guard let first = w.peek else {
            throw w.error("expected a condition, such as \(examples)")
        }
        if let p = try P.parsePredicate(&w) { return .pattern(p) }
        // `n1 is crashed` where there is no n1: say so, not "unknown query".
        if !w.isNode(first.text), w.peekText(1) == "is" { _ = try w.resolve(first.text, at: first.column) }
        if w.isNode(first.text), w.peekText(1) == "is" {
            let node = try w.node()
            try w.expect("is")
            let t = try w.next("a role")
            let roles = P.roles + ["crashed", "paused"]
            guard roles.contains(t.text) else {
                throw w.error("unknown role '\(t.text)'" + didYouMean(t.text, roles) + "; roles are \(roles.joined(separator: ", "))", at: t.column)
            }
            return .role(node, t.text)
        }
        let lhs = try operand(&w)
        let opToken = try w.next("a comparison (== != < <= > >=) after '\(first.text)'")
        guard let op = Condition<P>.Comparison(rawValue: opToken.text) else {
            throw w.error("expected a comparison (== != < <= > >=), found '\(opToken.text)'", at: opToken.column)
        }
        let rhs = try operand(&w)
        return .compare(lhs, op, rhs)
    }

    static var examples: String {
        (["n1 is leader"] + P.predicateForms.prefix(1) + ["term == 1"]).map { "'\($0)'" }.joined(separator: ", ")
    }

    /// A number or a query, refused where the lesson's settings make the query meaningless
    /// (`QuerySpec.refuse`: φ under a detector that sends no heartbeats), in any spelling.
    static func operand(_ w: inout Words) throws(Diagnostic) -> Condition<P>.Operand {
        let at = w.column
        let o = try readOperand(&w)
        switch o {
        case .query(let q, _), .edgeQuery(let q, _): if let why = q.refuse?(w.settings) { throw w.error(why, at: at) }
        case .number: break
        }
        return o
    }

    private static func readOperand(_ w: inout Words) throws(Diagnostic) -> Condition<P>.Operand {
        let t = try w.next("a number or a query such as 'term'")
        if let v = Int(t.text) { return .number(v) }
        if Words.isOversizedInteger(t.text) { throw w.error("'\(t.text)' is too large a number: at most \(Int.max) either way", at: t.column) }
        if Words.decimal(t.text) != nil || Double(t.text) != nil {
            throw w.error("conditions compare whole numbers; found '\(t.text)'", at: t.column)
        }
        // An edge: `front->payments.calls`, read as three tokens. A caller that is not a node
        // (`fornt->…`) is resolved all the same, so the mistake gets its did-you-mean.
        if w.peek?.text == "->" {
            let from = try w.resolve(t.text, at: t.column)
            _ = try w.next("->")
            let target = try w.next("the callee and a query, such as 'payments.calls'")
            let parts = target.text.split(separator: ".", maxSplits: 1).map(String.init)
            let to = try w.resolve(parts[0], at: target.column)
            let names = queries.filter { $0.scope == .edge }.map(\.name)
            guard parts.count == 2, let q = queries.first(where: { $0.scope == .edge && $0.name == parts[1] }) else {
                let asked = parts.count == 2 ? "unknown edge query '\(parts[1])'" + didYouMean(parts[1], names) : "expected an edge query after '\(parts[0])'"
                // Pointed at the query's name, after the callee's.
                let at = parts.count == 2 ? target.column + parts[0].count + 1 : target.column
                throw w.error(asked + (names.isEmpty ? "; \(P.name) has no edge queries" : "; an edge answers \(names.joined(separator: ", "))"), at: at)
            }
            // A node's question about itself (φ of its own heartbeats) has no answer but 0.
            if from == to { throw w.error("an edge joins two different nodes, found \(t.text)->\(parts[0])", at: t.column) }
            // Where the pattern names its edges, a pair that is not one would read 0 for ever.
            let edges = w.topology.edges
            if !edges.isEmpty, !edges.contains(Link(from, to)) {
                let list = edges.map { "\(w.topology.name($0.from))->\(w.topology.name($0.to))" }.joined(separator: ", ")
                throw w.error("\(t.text) does not call \(parts[0]): the edges are \(list)", at: t.column)
            }
            return .edgeQuery(q, Link(from, to))
        }
        let parts = t.text.split(separator: ".", maxSplits: 1).map(String.init)
        // `paymnts.busy`: a node's question about a node that is not there.
        if parts.count == 2, !w.topology.numbered, !w.isNode(parts[0]), queries.contains(where: { $0.scope == .node && $0.name == parts[1] }) {
            _ = try w.resolve(parts[0], at: t.column)
        }
        if parts.count == 2, w.isNode(parts[0]) || Words.nodeID(parts[0]) != nil {
            let n = try w.resolve(parts[0], at: t.column)
            // `n1.phi(n4)`: an edge query written as a node's question about another node.
            if let open = parts[1].firstIndex(of: "("), parts[1].hasSuffix(")"),
               let q = queries.first(where: { $0.scope == .edge && $0.name == parts[1][..<open] }) {
                let other = String(parts[1][parts[1].index(after: open)..<parts[1].index(before: parts[1].endIndex)])
                let to = try w.resolve(other, at: t.column)
                if to == n { throw w.error("\(q.name) is asked of another node, found \(t.text)", at: t.column) }
                return .edgeQuery(q, Link(n, to))
            }
            let names = queries.filter { $0.scope == .node }.map(\.name)
            guard let q = queries.first(where: { $0.scope == .node && $0.name == parts[1] }) else {
                if names.isEmpty, queries.contains(where: { $0.scope == .cluster && $0.name == parts[1] }) {
                    throw w.error("\(parts[1]) is asked of the whole lesson, not of a node: write '\(parts[1])'", at: t.column)
                }
                let answers = names.isEmpty ? "; \(P.name) has no node queries (its queries: \(queries.filter { $0.scope == .cluster }.map(\.name).joined(separator: ", ")))"
                                            : "; a node answers \(names.joined(separator: ", "))"
                throw w.error("unknown node query '\(parts[1])'" + didYouMean(parts[1], names) + answers, at: t.column)
            }
            return .query(q, n)
        }
        let names = queries.filter { $0.scope == .cluster }.map(\.name)
        guard let q = queries.first(where: { $0.scope == .cluster && $0.name == t.text }) else {
            let all = names + P.predicateForms + ["nK is ROLE"]
            throw w.error("unknown query '\(t.text)'" + didYouMean(t.text, names + P.roles) + "; try \(all.joined(separator: ", "))", at: t.column)
        }
        return .query(q, nil)
    }
}
