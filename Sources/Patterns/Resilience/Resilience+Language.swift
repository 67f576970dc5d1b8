import Simulation

/// The lesson language of the resilience pattern: faults, load, policies, and what a condition
/// can ask of a service or of one caller's calls to one callee.
extension Resilience {
    public enum Command: Sendable, Equatable {
        case slow(NodeID, SimTime)
        case fail(NodeID, ppm: Int)
        case down(NodeID)
        /// Back up, its other faults kept (the sandbox's `d` pressed again).
        case up(NodeID)
        case recover(NodeID)
        case load(NodeID, Load)
        case burst(NodeID, Int)
        case set(Target, key: String, value: String)
        /// A forced transition (nil: reset, as Resilience4j's `reset()`).
        case breaker(Link, CircuitBreaker.State?)
    }

    static func service(_ w: inout Words) throws(Diagnostic) -> NodeID {
        let col = w.column
        let n = try w.node()
        guard w.topology.kinds[n] == "service" else { throw w.error("\(w.topology.name(n)) is a client; faults are for services", at: col) }
        return n
    }

    /// The client a `load` or `burst` is about: named, or the only one.
    static func client(_ w: inout Words) throws(Diagnostic) -> NodeID {
        let clients = w.topology.nodes(ofKind: "client")
        // A word that is neither a node nor the value that follows was meant as a client's name.
        if let t = w.peek, !w.isNode(t.text), w.peekText(1) != nil, Int(t.text) == nil, !t.text.hasSuffix("/s"),
           !["poisson", "closed", "off"].contains(t.text) {
            _ = try w.resolve(t.text, at: t.column)
        }
        if let t = w.peek, w.isNode(t.text) {
            let n = try w.node()
            guard clients.contains(n) else { throw w.error("\(t.text) is not a client; the clients are \(clients.map { w.topology.name($0) }.joined(separator: ", "))", at: t.column) }
            return n
        }
        guard clients.count == 1 else { throw w.error("name the client: \(clients.map { w.topology.name($0) }.joined(separator: ", "))") }
        return clients[0]
    }

    /// `front -> payments`, as three tokens.
    static func edge(_ w: inout Words) throws(Diagnostic) -> Link {
        let a = try w.node()
        let arrow = try w.next("'->' and the callee")
        guard arrow.text == "->" else { throw w.error("expected '->', found '\(arrow.text)'", at: arrow.column) }
        let col = w.column
        let b = try w.node()
        guard w.topology.hasEdge(a, b) else { throw w.error("\(w.topology.name(a)) does not call \(w.topology.name(b))", at: col) }
        return Link(a, b)
    }

    static func rest(_ w: inout Words) throws(Diagnostic) -> String {
        var words: [String] = []
        while let v = w.peek { words.append(v.text); _ = try w.next("a value") }
        return words.joined(separator: " ")
    }

    public static let commands: [CommandSpec<Resilience>] = [
        CommandSpec("slow", usage: "slow SERVICE DURATION", help: "add this much to every request's service time (0ms ends it)") { (w: inout Words) throws(Diagnostic) in
            let n = try service(&w)
            let col = w.column
            let d = try w.duration()
            guard (0...600_000_000).contains(d) else { throw w.error("a slowdown is from 0ms to 10 minutes", at: col) }
            return .slow(n, d)
        },
        CommandSpec("fail", usage: "fail SERVICE P%", help: "fail this share of requests (0% ends it)") { (w: inout Words) throws(Diagnostic) in
            let n = try service(&w)
            return .fail(n, ppm: try w.percent())
        },
        CommandSpec("down", usage: "down SERVICE", help: "refuse every request at once, as a service whose port is closed") { (w: inout Words) throws(Diagnostic) in
            .down(try service(&w))
        },
        CommandSpec("recover", usage: "recover SERVICE", help: "end every fault of a service: back to normal") { (w: inout Words) throws(Diagnostic) in
            .recover(try service(&w))
        },
        CommandSpec("load", usage: "load [CLIENT] 100/s | poisson 100/s | closed 20 think 100ms | off", help: "change a client's load") { (w: inout Words) throws(Diagnostic) in
            let n = try client(&w)
            let col = w.column
            let raw = try rest(&w)
            var s = Settings()
            s.set("load", raw, line: 0, column: col)
            var spec = ServiceSpec()
            do throws(Diagnostic) { try apply(s, service: &spec) } catch { throw w.error(error.message, at: col) }
            return .load(n, spec.load)
        },
        CommandSpec("burst", usage: "burst [CLIENT] N", help: "N requests from a client at once") { (w: inout Words) throws(Diagnostic) in
            let n = try client(&w)
            let col = w.column
            let k = try w.integer()
            guard (1...10_000).contains(k) else { throw w.error("a burst is from 1 to 10000 requests", at: col) }
            return .burst(n, k)
        },
        CommandSpec("set", usage: "set [SERVICE | CALLER->CALLEE] KEY VALUE", help: "change a setting for everything, one service, or one edge") { (w: inout Words) throws(Diagnostic) in
            var target = Target.everything
            if let t = w.peek, w.isNode(t.text) {
                if w.peekText(1) == "->" { target = .edge(try edge(&w)) } else { target = .service(try w.node()) }
            } else if let t = w.peek, let next = w.peekText(1), serviceKeys.contains(next) || edgeKeys.contains(next) || next == "->" {
                // `set paymnts workers 4`: the word before a setting's name is a node's.
                _ = try w.resolve(t.text, at: t.column)
            }
            let key = try w.next("a setting, such as timeout or workers")
            if let why = check(key: key.text, for: target, topology: w.topology) { throw w.error(why, at: key.column) }
            let col = w.column
            let value = try rest(&w)
            guard !value.isEmpty else { throw w.error("expected a value for \(key.text)") }
            // Read now, so a bad value is reported where it is written.
            var s = Settings()
            s.set(key.text, value, line: 0, column: col)
            var spec = ServiceSpec(), policy = CallPolicy()
            do throws(Diagnostic) { try apply(s, service: &spec); try apply(s, edge: &policy) } catch { throw w.error(error.message, at: col) }
            return .set(target, key: key.text, value: value)
        },
        CommandSpec("breaker", usage: "breaker CALLER -> CALLEE closed|open|half-open|disabled|metrics-only|forced-open|reset",
                    help: "move a breaker by hand, as an operator can") { (w: inout Words) throws(Diagnostic) in
            let l = try edge(&w)
            let t = try w.next("a state: closed, open, half-open, disabled, metrics-only, forced-open or reset")
            if t.text == "reset" { return .breaker(l, nil) }
            guard let st = CircuitBreaker.State(rawValue: t.text) else {
                throw w.error("unknown breaker state '\(t.text)'" + didYouMean(t.text, CircuitBreaker.State.allCases.map(\.rawValue) + ["reset"]), at: t.column)
            }
            return .breaker(l, st)
        },
    ]

    public static func perform(_ command: Command, on c: inout Cluster<ServiceNode>) -> String? {
        func fault(_ n: NodeID, _ change: (inout Faults) -> Void) {
            c.reconfigure(n) { change(&$0.spec.faults) }
            c.log(.command, n, nil, "\(c.name(n)) is now \(c.nodes[n].spec.faults.text)")
        }
        switch command {
        case let .slow(n, d): fault(n) { $0.slow = d }
        case let .fail(n, ppm): fault(n) { $0.failPPM = ppm }
        case .down(let n): fault(n) { $0.down = true }
        case .up(let n): fault(n) { $0.down = false }
        case .recover(let n): fault(n) { $0 = Faults() }
        case let .load(n, load):
            if let why = c.unavailable(n) { return "\(why): its load cannot change" }
            c.reconfigure(n) { $0.spec.load = load }
            c.poke(n) { node, io in node.loadChanged(&io) }
            c.log(.command, n, nil, "\(c.name(n)) load is now \(load.text)")
        case let .burst(n, k):
            if let why = c.unavailable(n) { return "\(why): it cannot send a burst" }
            c.poke(n) { node, io in node.burst(k, &io) }
            c.log(.command, n, nil, "\(c.name(n)) sends \(k) requests at once")
        case let .set(target, key, value):
            var s = Settings()
            s.set(key, value)
            for n in 0..<c.size {
                c.reconfigure(n) { node in node.apply(s, key: key, target: target) }
                if key == "load", target == .everything || target == .service(n), c.nodes[n].isClient {
                    c.poke(n) { node, io in node.loadChanged(&io) }
                }
                if key == "queue" || key == "bulkhead" { c.poke(n) { node, io in node.trimQueues(&io) } }
            }
            // A caller holds back for a blocking callee as big as the callee is now.
            let blocks = (0..<c.size).map { c.nodes[$0].spec.overflow == .block ? c.nodes[$0].spec.capacity : nil }
            for n in 0..<c.size { c.reconfigure(n) { node in for k in node.edges.indices { node.edges[k].calleeBlocks = blocks[node.edges[k].callee] } } }
            let scope: String = switch target {
            case .everything: "everywhere"
            case .service(let n): "at \(c.name(n))"
            case .edge(let l): "on \(c.name(l.from))->\(c.name(l.to))"
            }
            c.log(.command, nil, nil, "\(key) \(value) \(scope)")
        case let .breaker(l, state):
            guard let k = c.nodes[l.from].edges.firstIndex(where: { $0.callee == l.to }) else { return nil }
            guard c.nodes[l.from].edges[k].breaker != nil else { return "\(c.name(l.from))->\(c.name(l.to)) has no breaker (set breaker on first)" }
            c.poke(l.from) { node, io in node.forceBreaker(k, state, &io) }
        }
        return nil
    }

    // MARK: Queries

    static func edgeOf(_ c: Cluster<ServiceNode>, _ l: Link) -> ServiceNode.Edge? {
        c.nodes[l.from].edges.first { $0.callee == l.to }
    }

    static func edgeQuery(_ name: String, _ help: String, _ f: @escaping @Sendable (ServiceNode.Edge, SimTime) -> Int) -> QuerySpec<Resilience> {
        QuerySpec(edge: name, help: help) { c, l in edgeOf(c, l).map { f($0, c.clocks[l.from].local(c.now)) } ?? 0 }
    }

    static func nodeQuery(_ name: String, _ help: String, _ f: @escaping @Sendable (ServiceNode, SimTime) -> Int) -> QuerySpec<Resilience> {
        QuerySpec(name, .node, help: help) { c, n in f(c.nodes[n!], c.clocks[n!].local(c.now)) }
    }

    /// Milliseconds, rounded up, or -1 with nothing measured.
    static func ms(_ t: SimTime?) -> Int { t.map { Int(($0 + 999) / 1_000) } ?? -1 }

    public static let queries: [QuerySpec<Resilience>] = [
        edgeQuery("calls", "calls the caller made (a call and its retries are one)") { e, _ in e.counts.calls },
        edgeQuery("attempts", "attempts sent, retries included") { e, _ in e.counts.attempts },
        edgeQuery("retries", "retries sent") { e, _ in e.counts.retries },
        edgeQuery("ok", "attempts that succeeded in time and fast") { e, _ in e.counts.ok },
        edgeQuery("slow", "attempts that succeeded but took longer than slow-call") { e, _ in e.counts.slow },
        edgeQuery("failed", "attempts the callee answered with an error") { e, _ in e.counts.failed },
        edgeQuery("timeouts", "attempts the caller gave up on") { e, _ in e.counts.timeouts },
        edgeQuery("full", "attempts the callee refused: queue full or dropped") { e, _ in e.counts.full },
        edgeQuery("limited", "attempts the callee's rate limiter refused") { e, _ in e.counts.limited },
        edgeQuery("not-permitted", "calls the breaker refused (never sent)") { e, _ in e.counts.breaker },
        edgeQuery("bulkhead-full", "calls the bulkhead refused (never sent)") { e, _ in e.counts.bulkhead },
        edgeQuery("budget-refused", "retries the retry budget did not allow") { e, _ in e.counts.budgetRefused },
        edgeQuery("unchanged", "conditional writes the callee found already made") { e, _ in e.counts.unchanged },
        edgeQuery("inflight", "attempts on the wire now") { e, _ in e.active },
        edgeQuery("failure-rate", "the breaker's failure rate in %, -1 before it has enough calls") { e, now in e.breaker?.rates(now: now).failure ?? -1 },
        edgeQuery("slow-rate", "the breaker's slow-call rate in %, -1 before it has enough calls") { e, now in e.breaker?.rates(now: now).slow ?? -1 },
        edgeQuery("transitions", "breaker state changes so far") { e, _ in e.breaker?.moves ?? 0 },
        nodeQuery("busy", "workers busy now (every pool)") { n, _ in n.busy },
        nodeQuery("workers", "workers in the shared pool") { n, _ in n.spec.workers },
        nodeQuery("queue", "requests waiting for a worker now") { n, _ in n.queued },
        nodeQuery("in-system", "requests queued or being served now (a client: its requests not yet answered)") { n, _ in n.metrics.inSystem },
        nodeQuery("p50", "median time in system over the last 5 s, ms (-1: nothing finished)") { n, now in ms(n.metrics.window(now: now).p50) },
        nodeQuery("p99", "99th percentile of time in system over the last 5 s, ms") { n, now in ms(n.metrics.window(now: now).p99) },
        nodeQuery("throughput", "requests finished per second over the last 5 s") { n, now in Int(n.metrics.window(now: now).throughput.rounded()) },
        nodeQuery("received", "requests received") { n, _ in n.counts.received },
        nodeQuery("succeeded", "requests answered ok (a client: its requests that succeeded)") { n, _ in n.counts.succeeded },
        nodeQuery("failed", "requests answered with an error (a client: its requests that failed)") { n, _ in n.counts.failed },
        nodeQuery("rejected", "requests refused because the queue was full, or dropped from it") { n, _ in n.counts.rejected },
        nodeQuery("limited", "requests the rate limiter refused") { n, _ in n.counts.limited },
        nodeQuery("shed", "queued requests dropped because their caller had given up") { n, _ in n.counts.shed },
        nodeQuery("charges", "requests applied at the end of the chain (a payment charged)") { n, _ in n.counts.charges },
        nodeQuery("double-charges", "requests applied a second time") { n, _ in n.counts.doubleCharges },
        nodeQuery("deduplicated", "retries answered from the idempotency table, not done again") { n, _ in n.counts.deduplicated },
        nodeQuery("unchanged", "conditional writes that found the row already changed, and changed nothing") { n, _ in n.counts.unchanged },
        nodeQuery("late", "replies that came after the caller gave up") { n, _ in n.counts.late },
        nodeQuery("requests", "requests a client started") { n, _ in n.counts.requests },
        nodeQuery("peak", "most requests that arrived in one quarter second so far") { n, _ in n.metrics.peakArrivals },
    ]

    // MARK: Conditions

    public enum Predicate: Sendable, Equatable {
        case breaker(Link, CircuitBreaker.State)
        /// L = λW, measured over the last five seconds, within 10 %.
        case little(NodeID)
    }

    public static let predicateForms = ["breaker A -> B is STATE", "little's law holds at SERVICE"]

    public static func parsePredicate(_ w: inout Words) throws(Diagnostic) -> Predicate? {
        guard let first = w.peek?.text else { return nil }
        if first == "breaker" {
            _ = try w.next("breaker")
            let l = try edge(&w)
            try w.expect("is")
            let t = try w.next("a breaker state")
            guard let st = CircuitBreaker.State(rawValue: t.text) else {
                throw w.error("unknown breaker state '\(t.text)'" + didYouMean(t.text, CircuitBreaker.State.allCases.map(\.rawValue)), at: t.column)
            }
            return .breaker(l, st)
        }
        if first == "little's", w.peekText(1) == "law" {
            _ = try w.next("little's"); try w.expect("law"); try w.expect("holds"); try w.expect("at")
            let col = w.column
            let n = try w.node()
            guard w.topology.kinds[n] == "service" else { throw w.error("\(w.topology.name(n)) is a client; Little's law is measured at a service", at: col) }
            return .little(n)
        }
        return nil
    }

    public static func constantTime(_ p: Predicate) -> Bool { true }

    public static func evaluate(_ p: Predicate, in c: Cluster<ServiceNode>) -> Verdict {
        switch p {
        case let .breaker(l, st):
            guard let b = edgeOf(c, l)?.breaker else { return Verdict(false, found: "\(c.name(l.from))->\(c.name(l.to)) has no breaker") }
            return Verdict(b.state == st, found: "breaker \(c.name(l.from))->\(c.name(l.to)) is \(b.state.rawValue)")
        case .little(let n):
            let w = c.nodes[n].metrics.window(now: c.clocks[n].local(c.now))
            guard w.departed > 0 else { return Verdict(false, found: "no request left \(c.name(n)) in the last \(Int(w.seconds))s: nothing to measure") }
            let l = w.meanInSystem, lw = w.arrivalRate * w.meanSojourn
            let holds = abs(l - lw) <= 0.1 * max(l, lw, 0.05)
            return Verdict(holds, found: "at \(c.name(n)) over the last \(fmt(w.seconds))s: L = \(fmt(l)), λW = \(fmt(w.arrivalRate))/s × \(fmt(w.meanSojourn * 1_000))ms = \(fmt(lw))")
        }
    }

    /// Two decimals (`9.81`), for measured rates and means.
    public static func fmt(_ v: Double) -> String {
        let t = Int((v * 100).rounded())
        return "\(t / 100).\(t % 100 < 10 ? "0" : "")\(t % 100)"
    }

    // MARK: Player keys

    public static let sandboxHint = "space runs · select a service (1-9): s slow, f fail, d down, r recover · b burst of 50 · c crash"

    /// "payments is now slow +1.000s (s again: off, r: all off)"; with the key's fault turned
    /// off and others left, "payments: slow off; still failing 60% (r: all off)".
    static func faultStatus(_ c: Cluster<ServiceNode>, _ s: NodeID, key: Character?, fault: String?, on: Bool) -> String {
        let faults = c.nodes[s].spec.faults
        guard !faults.isNormal else { return "\(c.name(s)) is back to normal" }
        guard let key, let fault else { return "\(c.name(s)) is now \(faults.text)" }
        return on ? "\(c.name(s)) is now \(faults.text) (\(key) again: off, r: all off)"
            : "\(c.name(s)): \(fault) off; still \(faults.text) (r: all off)"
    }

    static func selectedService(_ c: Cluster<ServiceNode>, _ n: NodeID?) -> NodeID? {
        if let n, !c.nodes[n].isClient { return n }
        return (0..<c.size).last { !c.nodes[$0].isClient }
    }

    /// The fault keys toggle (again: off), and each says what the service is now, with the
    /// key that undoes it: "sent" told nothing, and a second `s` took the slowness away under
    /// the same word.
    public static let interactions: [Interaction<Resilience>] = [
        Interaction(key: "s", label: "slow +1s") { c, n in
            guard let s = selectedService(c, n) else { return "no service" }
            let on = c.nodes[s].spec.faults.slow == 0
            return perform(.slow(s, on ? 1_000_000 : 0), on: &c) ?? faultStatus(c, s, key: "s", fault: "slow", on: on)
        },
        Interaction(key: "f", label: "fail 60%") { c, n in
            guard let s = selectedService(c, n) else { return "no service" }
            let on = c.nodes[s].spec.faults.failPPM == 0
            return perform(.fail(s, ppm: on ? 600_000 : 0), on: &c) ?? faultStatus(c, s, key: "f", fault: "failing", on: on)
        },
        Interaction(key: "d", label: "down") { c, n in
            guard let s = selectedService(c, n) else { return "no service" }
            let on = !c.nodes[s].spec.faults.down
            return perform(on ? .down(s) : .up(s), on: &c) ?? faultStatus(c, s, key: "d", fault: "down", on: on)
        },
        Interaction(key: "r", label: "recover") { c, n in
            guard let s = selectedService(c, n) else { return "no service" }
            return perform(.recover(s), on: &c) ?? faultStatus(c, s, key: nil, fault: nil, on: false)
        },
        Interaction(key: "b", label: "burst") { c, n in
            guard let client = (0..<c.size).first(where: { c.nodes[$0].isClient }) else { return "no client" }
            let from = n.flatMap { c.nodes[$0].isClient ? $0 : nil } ?? client
            return perform(.burst(from, 50), on: &c) ?? "\(c.name(from)) sent a burst of 50 requests"
        },
    ]
}
