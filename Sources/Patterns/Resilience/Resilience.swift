import Simulation

/// Services calling services under load, and the patterns that keep a slow or failing
/// dependency from taking everything down with it: timeouts, retries with backoff and jitter,
/// circuit breakers, bulkheads, bounded queues and load shedding, idempotency keys.
public enum Resilience: Pattern {
    public typealias Node = ServiceNode

    public static let name = "resilience"
    public static let summary = "Resilience: circuit breakers, retries and jitter, bulkheads, queues and shedding, idempotency"

    public static let settings: [SettingSpec] = [
        SettingSpec("services", example: "client->front->payments front->ledger", help: "who calls whom; a node nobody calls is a client"),
        SettingSpec("tune", example: "payments workers 2; front->payments timeout 300ms", help: "one service's or one edge's own values, clauses separated by ;"),
        SettingSpec("load", example: "100/s", help: "each client's load: 100/s, poisson 100/s, closed 20 think 100ms, off"),
        SettingSpec("workers", example: "10", help: "workers per service"),
        SettingSpec("queue", example: "50", help: "requests that may wait for a worker, or unbounded"),
        SettingSpec("overflow", example: "drop-newest", help: "when the queue is full: drop-newest, drop-oldest or block"),
        SettingSpec("service-time", example: "20ms", help: "work per request: 20ms, 10-30ms or exp 20ms"),
        SettingSpec("rate-limit", example: "100/s burst 20", help: "a token bucket in front of each service, or off"),
        SettingSpec("shed-expired", example: "yes", help: "drop queued requests whose caller has already timed out"),
        SettingSpec("timeout", example: "1s", help: "how long a caller waits for one attempt"),
        SettingSpec("max-attempts", example: "3", help: "attempts per call, the first included (1: no retries)"),
        SettingSpec("backoff", example: "exponential 100ms cap 10s", help: "wait before a retry: fixed 100ms or exponential BASE [cap MAX]"),
        SettingSpec("jitter", example: "full", help: "none, full, equal or decorrelated"),
        SettingSpec("retry-budget", example: "20%", help: "retries allowed as a share of calls over the last 10 s, or off"),
        SettingSpec("breaker", example: "on", help: "a circuit breaker on every call: on, off, disabled, metrics-only, forced-open"),
        SettingSpec("breaker-window", example: "count 100", help: "the sliding window: count N (last N calls) or time Ns"),
        SettingSpec("breaker-min-calls", example: "100", help: "calls before a rate is computed"),
        SettingSpec("failure-threshold", example: "50%", help: "open when this share of calls failed"),
        SettingSpec("slow-threshold", example: "100%", help: "open when this share of calls were slow"),
        SettingSpec("slow-call", example: "60s", help: "a call slower than this is slow"),
        SettingSpec("wait-open", example: "60s", help: "how long the breaker stays open"),
        SettingSpec("half-open-calls", example: "10", help: "trial calls half-open lets through"),
        SettingSpec("auto-half-open", example: "no", help: "leave open when the wait is over, without waiting for a call"),
        SettingSpec("bulkhead", example: "semaphore 5", help: "none, semaphore N, or pool N queue M"),
        SettingSpec("idempotency", example: "yes", help: "yes: send the request's id as an idempotency key; cas: make the write conditional; no"),
    ]

    public static func topology(_ s: Settings, nodes: Int) throws(Diagnostic) -> Topology {
        if s["nodes"] != nil { throw s.fail("nodes", "a resilience lesson names its nodes with 'services:' (such as client->front->payments); leave out 'nodes'") }
        return try graph(s)
    }

    public static func config(_ s: Settings) throws(Diagnostic) -> ResilienceConfig {
        try config(s, topology: try graph(s))
    }

    public static func config(_ s: Settings, topology t: Topology) throws(Diagnostic) -> ResilienceConfig {
        var c = ResilienceConfig(names: t.names, services: Array(repeating: ServiceSpec(), count: t.count),
                                 isClient: t.kinds.map { $0 == "client" },
                                 callees: (0..<t.count).map { t.callees(of: $0) },
                                 policies: (0..<t.count).map { Array(repeating: CallPolicy(), count: t.callees(of: $0).count) })
        try apply(s, to: .everything, in: &c)
        if let raw = s["tune"] { try tune(raw, topology: t, s: s, into: &c) }
        return c
    }


    public static var limits: PatternLimits { PatternLimits(playerNodes: 2...12, headlessNodes: 2...12, lessonEvents: 5_000_000) }

    public static let roles = ["client", "service", "down", "slow", "failing"]

    /// What a person sees first: a fault a lesson made, else the node's kind.
    public static func role(of id: NodeID, in c: Cluster<ServiceNode>) -> String {
        let f = c.nodes[id].spec.faults
        return f.down ? "down" : f.slow > 0 ? "slow" : f.failPPM > 0 ? "failing" : c.topology.kinds[id]
    }
}
