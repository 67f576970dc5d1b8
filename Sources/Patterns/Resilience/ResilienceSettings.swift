import Simulation

/// The whole world of a resilience lesson: who calls whom, each service's capacity and faults,
/// and each caller's policy for each callee.
public struct ResilienceConfig: Sendable {
    public var names: [String]
    public var services: [ServiceSpec]
    public var isClient: [Bool]
    public var callees: [[NodeID]]
    /// `policies[a][k]`: what `a` does about its k-th callee.
    public var policies: [[CallPolicy]]
}

/// Reading settings: the frontmatter gives every service and every edge the same values, a
/// `tune:` line and the `set` command give one service or one edge its own. All three go
/// through these readers, so a mistake is reported the same way wherever it is written.
extension Resilience {
    static let serviceKeys = ["workers", "queue", "overflow", "service-time", "rate-limit", "shed-expired", "load"]
    static let edgeKeys = ["timeout", "max-attempts", "backoff", "jitter", "retry-budget", "breaker", "breaker-window",
                           "breaker-min-calls", "failure-threshold", "slow-threshold", "slow-call", "wait-open",
                           "half-open-calls", "auto-half-open", "bulkhead", "idempotency"]

    static func words(_ s: Settings, _ key: String) -> [String]? { s[key].map { $0.split(separator: " ").map(String.init) } }

    static func duration(_ raw: String, _ s: Settings, _ key: String, in allowed: ClosedRange<SimTime>) throws(Diagnostic) -> SimTime {
        var one = Settings()
        one.set(key, raw, line: s.entries[key]?.line ?? 0, column: s.entries[key]?.column ?? 1)
        return try one.duration(key, default: 0, in: allowed)
    }

    static func whole(_ raw: String, _ s: Settings, _ key: String, in allowed: ClosedRange<Int>) throws(Diagnostic) -> Int {
        var one = Settings()
        one.set(key, raw, line: s.entries[key]?.line ?? 0, column: s.entries[key]?.column ?? 1)
        return try one.integer(key, default: 0, in: allowed)
    }

    /// `100/s` → 100.
    static func rate(_ raw: String, _ s: Settings, _ key: String) throws(Diagnostic) -> Int {
        guard raw.hasSuffix("/s") else { throw s.fail(key, "\(key): a rate is written as requests per second, such as 100/s, found '\(raw)'") }
        return try whole(String(raw.dropLast(2)), s, key, in: 1...100_000)
    }

    static func apply(_ s: Settings, service c: inout ServiceSpec) throws(Diagnostic) {
        c.workers = try s.integer("workers", default: c.workers, in: 1...1_000)
        if let raw = s["queue"] {
            c.queue = raw == "unbounded" ? nil : try s.integer("queue", default: 0, in: 0...100_000)
        }
        if let raw = s["overflow"] {
            guard let o = Overflow(rawValue: raw) else {
                throw s.fail("overflow", "overflow must be drop-newest, drop-oldest or block, found '\(raw)'" + didYouMean(raw, Overflow.allCases.map(\.rawValue)))
            }
            c.overflow = o
        }
        if let w = words(s, "service-time") {
            if w.count == 2, w[0] == "exp" { c.serviceTime = .exponential(mean: try duration(w[1], s, "service-time", in: 1...600_000_000)) }
            else if w.count == 1 {
                let r = try s.range("service-time", default: 0...0, in: 0...600_000_000)
                c.serviceTime = r.lowerBound == r.upperBound ? .fixed(r.lowerBound) : .uniform(r)
            } else { throw s.fail("service-time", "service-time is 20ms, a range 10-30ms, or exp 20ms (exponential), found '\(s["service-time"]!)'") }
        }
        if let w = words(s, "rate-limit") {
            if w == ["off"] { c.rateLimit = nil } else {
                guard w.count == 1 || (w.count == 3 && w[1] == "burst") else {
                    throw s.fail("rate-limit", "rate-limit is off, 100/s or 100/s burst 20, found '\(s["rate-limit"]!)'")
                }
                let r = try rate(w[0], s, "rate-limit")
                c.rateLimit = RateLimit(perSecond: r, burst: w.count == 3 ? try whole(w[2], s, "rate-limit", in: 1...100_000) : max(1, r / 10))
            }
        }
        c.shedExpired = try s.yesNo("shed-expired", default: c.shedExpired)
        if let w = words(s, "load") {
            switch w.first {
            case "off" where w.count == 1: c.load = .off
            case "poisson" where w.count == 2: c.load = .rate(perSecond: try rate(w[1], s, "load"), poisson: true)
            case "closed" where w.count == 4 && w[2] == "think":
                c.load = .closed(users: try whole(w[1], s, "load", in: 1...10_000), think: try duration(w[3], s, "load", in: 0...600_000_000))
            case let first? where w.count == 1 && first.hasSuffix("/s"): c.load = .rate(perSecond: try rate(first, s, "load"), poisson: false)
            default: throw s.fail("load", "load is 100/s (steady), poisson 100/s, closed 20 think 100ms (users who wait, then think) or off, found '\(s["load"]!)'")
            }
        }
    }

    static func apply(_ s: Settings, edge p: inout CallPolicy) throws(Diagnostic) {
        p.timeout = try s.duration("timeout", default: p.timeout, in: 1_000...600_000_000)
        p.retry.maxAttempts = try s.integer("max-attempts", default: p.retry.maxAttempts, in: 1...20)
        if let w = words(s, "backoff") {
            if w.count == 2, w[0] == "fixed" { p.retry.backoff = .fixed(try duration(w[1], s, "backoff", in: 0...600_000_000)) }
            else if w.count == 2 || w.count == 4, w[0] == "exponential", w.count == 2 || w[2] == "cap" {
                let base = try duration(w[1], s, "backoff", in: 1_000...600_000_000)
                let cap = w.count == 4 ? try duration(w[3], s, "backoff", in: 1_000...600_000_000) : max(base, 10_000_000)
                guard cap >= base else { throw s.fail("backoff", "backoff: the cap must be at least the base, found '\(s["backoff"]!)'") }
                p.retry.backoff = .exponential(base: base, cap: cap)
            } else { throw s.fail("backoff", "backoff is fixed 100ms or exponential 100ms [cap 10s], found '\(s["backoff"]!)'") }
        }
        if let raw = s["jitter"] {
            guard let j = RetryPolicy.Jitter(rawValue: raw) else {
                throw s.fail("jitter", "jitter must be none, full, equal or decorrelated, found '\(raw)'" + didYouMean(raw, RetryPolicy.Jitter.allCases.map(\.rawValue)))
            }
            p.retry.jitter = j
        }
        if let raw = s["retry-budget"] {
            p.retry.budgetPercent = raw == "off" ? nil : try s.percent("retry-budget", default: 0) / 10_000
        }
        if let raw = s["breaker"] {
            switch raw {
            case "off": p.breakerOn = false
            case "on": p.breakerOn = true; p.breakerState = .closed
            default:
                guard let st = CircuitBreaker.State(rawValue: raw), st != .open, st != .halfOpen else {
                    throw s.fail("breaker", "breaker is on, off, disabled, metrics-only or forced-open, found '\(raw)'")
                }
                p.breakerOn = true; p.breakerState = st
            }
        }
        if let w = words(s, "breaker-window") {
            switch (w.first, w.count) {
            case ("count", 2): p.breaker.window = .count(try whole(w[1], s, "breaker-window", in: 1...10_000))
            case ("time", 2):
                let d = try duration(w[1], s, "breaker-window", in: 1_000_000...600_000_000)
                guard d % 1_000_000 == 0 else { throw s.fail("breaker-window", "breaker-window: a time window is whole seconds, found '\(w[1])'") }
                p.breaker.window = .time(seconds: Int(d / 1_000_000))
            default: throw s.fail("breaker-window", "breaker-window is count 100 (the last calls) or time 10s (the last seconds), found '\(s["breaker-window"]!)'")
            }
        }
        p.breaker.minimumCalls = try s.integer("breaker-min-calls", default: p.breaker.minimumCalls, in: 1...10_000)
        p.breaker.failureThreshold = try threshold(s, "failure-threshold", p.breaker.failureThreshold)
        p.breaker.slowThreshold = try threshold(s, "slow-threshold", p.breaker.slowThreshold)
        p.breaker.slowCall = try s.duration("slow-call", default: p.breaker.slowCall, in: 1_000...600_000_000)
        p.breaker.waitInOpen = try s.duration("wait-open", default: p.breaker.waitInOpen, in: 1_000...3_600_000_000)
        p.breaker.halfOpenCalls = try s.integer("half-open-calls", default: p.breaker.halfOpenCalls, in: 1...1_000)
        p.breaker.automaticHalfOpen = try s.yesNo("auto-half-open", default: p.breaker.automaticHalfOpen)
        if let w = words(s, "bulkhead") {
            switch (w.first, w.count) {
            case ("none", 1): p.bulkhead = .none
            case ("semaphore", 2): p.bulkhead = .semaphore(try whole(w[1], s, "bulkhead", in: 1...10_000))
            case ("pool", 4) where w[2] == "queue":
                p.bulkhead = .pool(workers: try whole(w[1], s, "bulkhead", in: 1...1_000), queue: try whole(w[3], s, "bulkhead", in: 0...100_000))
            default: throw s.fail("bulkhead", "bulkhead is none, semaphore 5 (at most 5 calls at once) or pool 5 queue 10 (a pool of its own), found '\(s["bulkhead"]!)'")
            }
        }
        if let raw = s["idempotency"] {
            guard ["yes", "no", "cas"].contains(raw) else {
                throw s.fail("idempotency", "idempotency is yes (a key), cas (a conditional write) or no, found '\(raw)'")
            }
            p.idempotencyKey = raw == "yes"
            p.conditional = raw == "cas"
        }
    }

    /// A whole percentage from 1% to 100%.
    static func threshold(_ s: Settings, _ key: String, _ d: Int) throws(Diagnostic) -> Int {
        guard let raw = s[key] else { return d }
        guard let ppm = Words.parsePercent(raw), ppm % 10_000 == 0, ppm >= 10_000 else {
            throw s.fail(key, "\(key) is a whole percentage from 1% to 100%, such as 50%, found '\(raw)'")
        }
        return ppm / 10_000
    }

    /// `client->front->payments front->ledger`: the call graph. A node nobody calls is a client.
    static func graph(_ s: Settings) throws(Diagnostic) -> Topology {
        let raw = s["services"] ?? "client->front->payments"
        var names: [String] = [], edges: [(String, String)] = []
        let chains = raw.split(separator: " ")
        guard !chains.isEmpty else { throw s.fail("services", "services lists who calls whom, such as client->front front->payments; it is empty") }
        for chain in chains {
            if chain == "->" { throw s.fail("services", "services: write each call without spaces around the arrow, such as client->front") }
            let parts = chain.components(separatedBy: "->")
            guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) else {
                throw s.fail("services", "services lists calls such as client->front front->payments; '\(chain)' is not one")
            }
            for p in parts where !names.contains(p) {
                guard p.count <= 16 else { throw s.fail("services", "services: a name is at most 16 characters (it is drawn in a table), found '\(p)'") }
                names.append(p)
            }
            for k in 1..<parts.count {
                guard parts[k - 1] != parts[k] else { throw s.fail("services", "services: \(parts[k]) cannot call itself") }
                guard !edges.contains(where: { $0 == (parts[k - 1], parts[k]) }) else {
                    throw s.fail("services", "services: \(parts[k - 1])->\(parts[k]) is listed twice")
                }
                edges.append((parts[k - 1], parts[k]))
            }
        }
        guard names.count <= 12 else { throw s.fail("services", "services: at most 12 nodes, found \(names.count)") }
        let called = Set(edges.map(\.1))
        let kinds = names.map { called.contains($0) ? "service" : "client" }
        // A cycle would have workers wait on themselves for ever.
        var state: [String: Int] = [:]
        func cyclic(_ n: String) -> Bool {
            if state[n] == 1 { return true }
            if state[n] == 2 { return false }
            state[n] = 1
            for e in edges where e.0 == n && cyclic(e.1) { return true }
            state[n] = 2
            return false
        }
        if let n = names.first(where: cyclic) { throw s.fail("services", "services: the calls go round in a circle through \(n); a call graph here has no cycles") }
        switch Topology.named(Array(zip(names, kinds)), edges: edges) {
        case .success(let t): return t
        case .failure(let e): throw s.fail("services", "services: \(e.message)")
        }
    }

    /// `payments workers 2; front->payments timeout 300ms`: one service's or one edge's own values.
    static func tune(_ raw: String, topology t: Topology, s: Settings, into c: inout ResilienceConfig) throws(Diagnostic) {
        let e = s.entries["tune"]
        var offset = 0
        for clause in raw.split(separator: ";", omittingEmptySubsequences: false) {
            defer { offset += clause.count + 1 }
            // Each mistake is reported at its own clause, not at the start of the line.
            let lead = clause.prefix { $0 == " " }.count
            let at = Diagnostic(line: e?.line ?? 0, column: (e?.column ?? 1) + offset + lead, "")
            func fail(_ m: String) -> Diagnostic { var d = at; d.message = "tune: " + m; return d }
            let w = clause.split(separator: " ").map(String.init)
            guard !w.isEmpty else { throw fail("an empty clause (two ';' in a row, or one at the end)") }
            if w.count > 2, w[1] == "->" { throw fail("write an edge without spaces, such as \(w[0])->\(w[2])") }
            guard w.count >= 3 else { throw fail("each clause is TARGET KEY VALUE, such as 'payments workers 2', found '\(clause.trimmingCharacters(in: .whitespaces))'") }
            var one = Settings()
            one.set(w[1], w[2...].joined(separator: " "), line: at.line, column: at.column)
            switch target(w[0], topology: t) {
            case .failure(let p): throw fail(p.message)
            case .success(let target):
                if let why = check(key: w[1], for: target, topology: t) { throw fail(why) }
                do throws(Diagnostic) { try apply(one, to: target, in: &c) } catch {
                    var d = error; d.line = at.line; d.column = at.column; d.message = "tune: " + d.message
                    throw d
                }
            }
        }
    }

    public enum Target: Sendable, Equatable {
        case everything
        case service(NodeID)
        case edge(Link)
    }

    /// `payments` or `front->payments`.
    static func target(_ word: String, topology t: Topology) -> Result<Target, Problem> {
        let parts = word.components(separatedBy: "->")
        if parts.count == 2 {
            guard let a = t.id(of: parts[0]), let b = t.id(of: parts[1]) else {
                return .failure(Problem("'\(word)' is not an edge: the nodes are \(t.names.joined(separator: ", "))"))
            }
            guard t.hasEdge(a, b) else { return .failure(Problem("\(parts[0]) does not call \(parts[1])")) }
            return .success(.edge(Link(a, b)))
        }
        guard let n = t.id(of: word) else {
            return .failure(Problem("unknown node '\(word)'" + didYouMean(word, t.names) + "; the nodes are \(t.names.joined(separator: ", "))"))
        }
        return .success(.service(n))
    }

    /// Why `key` cannot be set on `target`, or nil. An edge policy set on a service means every
    /// call it makes.
    static func check(key: String, for target: Target, topology t: Topology) -> String? {
        guard serviceKeys.contains(key) || edgeKeys.contains(key) else {
            return "'\(key)' is not a setting" + didYouMean(key, serviceKeys + edgeKeys)
        }
        switch target {
        case .everything: return nil
        case .edge: return serviceKeys.contains(key) ? "\(key) belongs to a service, not an edge: write the service's name" : nil
        case .service(let n):
            if edgeKeys.contains(key), t.callees(of: n).isEmpty { return "\(t.name(n)) calls nobody, so it has no \(key)" }
            if key == "load", t.kinds[n] != "client" { return "only a client has a load; \(t.name(n)) is a service" }
            if serviceKeys.contains(key), key != "load", t.kinds[n] == "client" { return "\(t.name(n)) is a client: it has no \(key) (only services do)" }
            return nil
        }
    }

    /// Applies settings to everything, one service, or one edge.
    static func apply(_ s: Settings, to target: Target, in c: inout ResilienceConfig) throws(Diagnostic) {
        for n in c.services.indices {
            switch target {
            case .everything: try apply(s, service: &c.services[n])
            case .service(let m) where m == n: try apply(s, service: &c.services[n])
            default: break
            }
            for k in c.callees[n].indices {
                switch target {
                case .everything: try apply(s, edge: &c.policies[n][k])
                case .service(let m) where m == n: try apply(s, edge: &c.policies[n][k])
                case .edge(let l) where l == Link(n, c.callees[n][k]): try apply(s, edge: &c.policies[n][k])
                default: break
                }
            }
        }
    }
}

import Foundation
