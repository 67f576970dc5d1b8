import Simulation

/// Sagas across services that each own a database and talk through a broker that delivers at
/// least once: orchestrated or choreographed, with compensation in reverse, a pivot and
/// retriable steps, crashes at chosen points, the transactional outbox, deduplicating
/// consumers, a semantic lock against dirty reads, and change data capture.
public enum Saga: Pattern {
    public typealias Node = SagaNode

    public static let name = "saga"
    public static let summary = "Sagas: compensation in reverse, orchestration and choreography, the outbox, duplicates, CDC"

    public static let settings: [SettingSpec] = [
        SettingSpec("style", example: "orchestration", help: "orchestration (an orchestrator sends commands) or choreography (services react to events)"),
        SettingSpec("steps", example: defaultSteps, help: "the saga's steps in order; ! marks the pivot, after which steps are retried until they succeed"),
        SettingSpec("accounts", example: "alice 100 bob 50", help: "payment's customer accounts and balances (the shop's account is added)"),
        SettingSpec("stock", example: "book 5", help: "inventory's items and units in stock"),
        SettingSpec("buy", example: "alice book 30", help: "what 'start saga' buys unless told: customer, item, amount"),
        SettingSpec("outbox", example: "no", help: "yes: a service writes what it will publish in the same transaction as its rows"),
        SettingSpec("relay", example: "tail", help: "how the outbox is published: tail (as it is written) or poll 500ms"),
        SettingSpec("dedup", example: "yes", help: "services remember each saga step they did and do not do it twice"),
        SettingSpec("semantic-lock", example: "no", help: "yes: a reservation stays PENDING until the saga confirms it, and others wait for it"),
        SettingSpec("cdc", example: "off", help: "change data capture of each service's rows: off, tail (the log) or poll 1s (the table)"),
        SettingSpec("redelivery", example: "1s", help: "how long the broker waits for an ack before delivering again"),
        SettingSpec("broker-duplicate", example: "0%", help: "share of deliveries the broker sends twice"),
        SettingSpec("broker-reorder", example: "0%", help: "share of messages the broker holds back 100-500ms, so later ones overtake them"),
        SettingSpec("retry-delay", example: "200ms", help: "how long the orchestrator waits before retrying a step"),
        SettingSpec("reply-timeout", example: "3s", help: "how long the orchestrator waits for a reply before sending a command again"),
        SettingSpec("work", example: "20ms", help: "how long one local transaction keeps a service busy"),
    ]

    public static func topology(_ s: Settings, nodes: Int) throws(Diagnostic) -> Topology {
        if s["nodes"] != nil { throw s.fail("nodes", "a saga lesson's nodes come from its steps (and style); leave out 'nodes'") }
        return try graph(s)
    }

    public static func config(_ s: Settings) throws(Diagnostic) -> SagaConfig { try config(s, topology: try graph(s)) }


    public static var limits: PatternLimits { PatternLimits(playerNodes: 3...7, headlessNodes: 3...7, lessonEvents: 5_000_000) }

    public static let roles = ["orchestrator", "broker", "service"]
    public static func role(of id: NodeID, in c: Cluster<SagaNode>) -> String { c.topology.kinds[id] }

    // MARK: Reading the state of a saga

    public static func config(of c: Cluster<SagaNode>) -> SagaConfig { c.nodes[0].config }

    /// Sagas started so far.
    public static func started(_ c: Cluster<SagaNode>) -> Int {
        let cf = config(of: c)
        if let o = cf.orchestrator { return c.nodes[o].started }
        return c.nodes[cf.node(of: 0)].started
    }

    /// Where saga `saga` stands: from the orchestrator's log, or, in a choreography, pieced
    /// together from every service's records (nobody else knows).
    public static func state(of saga: Int, in c: Cluster<SagaNode>) -> SagaLog.State? {
        let cf = config(of: c)
        guard saga >= 1, saga <= started(c) else { return nil }
        if let o = cf.orchestrator { return c.nodes[o].log.entry(saga)?.state }
        for k in cf.steps.indices {
            guard let r = c.nodes[cf.node(of: k)].db.record(saga, k, undo: false) else { return .running }
            if r.outcome == .done { continue }
            var j = cf.previousCompensatable(before: k)
            while let s = j {
                if c.nodes[cf.node(of: s)].db.record(saga, s, undo: true) == nil { return .compensating }
                j = cf.previousCompensatable(before: s)
            }
            return .compensated
        }
        return .completed
    }

    /// Money in every account: moved by charges and refunds, never made or lost.
    public static func money(_ c: Cluster<SagaNode>) -> Int {
        guard let p = config(of: c).serviceNode[.payment] else { return 0 }
        return c.nodes[p].db.balances.reduce(0, +)
    }
}
