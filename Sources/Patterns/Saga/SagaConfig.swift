import Simulation

/// The whole world of a saga lesson: the flow, who takes part, what is in each database, and how
/// the broker and the services behave.
public struct SagaConfig: Sendable {
    public enum Style: String, Sendable, CaseIterable { case orchestration, choreography }
    /// How a relay finds what to publish: `tail` reads the log as it is written, `poll` looks
    /// at the table every so often.
    public enum Reading: Sendable, Equatable { case off, tail, poll(SimTime) }

    public var style: Style = .orchestration
    public var steps: [SagaStep] = []
    public var accounts: [String] = []
    public var balances: [Int] = []
    public var items: [String] = []
    public var stock: [Int] = []
    /// What `start saga` buys unless told otherwise.
    public var customer = 0, item = 0, amount = 30

    public var outbox = false
    public var relay: Reading = .tail
    public var dedup = true
    public var semanticLock = false
    public var cdc: Reading = .off
    public var redelivery: SimTime = 1_000_000
    public var duplicatePPM = 0
    public var reorderPPM = 0
    public var retryDelay: SimTime = 200_000
    /// How long the orchestrator waits for a reply before sending the command again.
    public var replyTimeout: SimTime = 3_000_000
    /// How long one local transaction keeps a service busy.
    public var work: SimTime = 20_000

    // Who is who, from the topology.
    public var broker: NodeID = 0
    public var orchestrator: NodeID?
    public var serviceNode: [SagaService: NodeID] = [:]
    public var serviceOf: [NodeID: SagaService] = [:]

    public var pivot: Int? { steps.firstIndex { $0.kind == .pivot } }

    /// A semantic lock needs a step that lifts it: without `inventory.confirm` every
    /// reservation would stay PENDING, and every later saga would wait for ever.
    public var lockProblem: String? {
        guard semanticLock, steps.contains(where: { $0.action == .reserve }), !steps.contains(where: { $0.action == .confirm }) else { return nil }
        return "semantic-lock needs inventory.confirm after the pivot, to turn a PENDING reservation into RESERVED"
    }
    public var shop: Int { accounts.count - 1 }

    public func node(of step: Int) -> NodeID { serviceNode[steps[step].action.service]! }
    /// Whether a refusal at `step` undoes the saga (before or at the pivot) or is retried.
    public func undoesSaga(_ step: Int) -> Bool { steps[step].kind != .retriable }
    /// The step before `step` that has something to undo, or nil.
    public func previousCompensatable(before step: Int) -> Int? {
        var k = step - 1
        while k >= 0 { if steps[k].action.compensation != nil { return k }; k -= 1 }
        return nil
    }
}

extension Saga {
    static let defaultSteps = "order.create inventory.reserve payment.charge! order.approve"

    static func readSteps(_ s: Settings) throws(Diagnostic) -> [SagaStep] {
        let raw = s["steps"] ?? defaultSteps
        let words = raw.split(separator: " ").map(String.init)
        guard (1...8).contains(words.count) else { throw s.fail("steps", "a saga has 1 to 8 steps, found \(words.count)") }
        var steps: [SagaStep] = []
        var pivot: Int?
        for w in words {
            let name = w.hasSuffix("!") ? String(w.dropLast()) : w
            guard !steps.contains(where: { $0.action.rawValue == name }) else { throw s.fail("steps", "\(name) is in the steps twice; each step comes once") }
            guard let a = SagaAction(rawValue: name) else {
                throw s.fail("steps", "unknown step '\(name)'" + didYouMean(name, SagaAction.allCases.map(\.rawValue))
                             + "; steps are " + SagaAction.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if w.hasSuffix("!") {
                guard pivot == nil else { throw s.fail("steps", "a saga has one pivot (marked with !), found a second at '\(w)'") }
                pivot = steps.count
            }
            steps.append(SagaStep(action: a, kind: .compensatable))
        }
        for k in steps.indices {
            if let p = pivot { steps[k].kind = k < p ? .compensatable : k == p ? .pivot : .retriable }
            if steps[k].kind == .compensatable, steps[k].action.compensation == nil {
                throw s.fail("steps", "\(steps[k].action.rawValue) cannot be undone, so it cannot come before the pivot: mark the pivot with ! before it"
                             + (pivot == nil ? " (such as payment.charge!)" : ""))
            }
        }
        return steps
    }

    /// `alice 100 bob 50` → names and numbers.
    static func pairs(_ s: Settings, _ key: String, _ raw: String, max: Int) throws(Diagnostic) -> [(String, Int)] {
        let w = raw.split(separator: " ").map(String.init)
        guard w.count % 2 == 0, !w.isEmpty else { throw s.fail(key, "\(key) is names and numbers, such as '\(key == "stock" ? "book 5" : "alice 100 bob 50")', found '\(raw)'") }
        var out: [(String, Int)] = []
        for k in stride(from: 0, to: w.count, by: 2) {
            guard w[k].first?.isLetter == true, w[k].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), w[k].count <= 12 else {
                throw s.fail(key, "\(key): '\(w[k])' is not a name (a word of up to 12 letters and digits)")
            }
            guard let v = Int(w[k + 1]), (0...max).contains(v) else { throw s.fail(key, "\(key): \(w[k]) needs a whole number from 0 to \(max), found '\(w[k + 1])'") }
            guard !out.contains(where: { $0.0 == w[k] }) else { throw s.fail(key, "\(key) names '\(w[k])' twice") }
            out.append((w[k], v))
        }
        guard out.count <= 6 else { throw s.fail(key, "\(key) names at most 6, found \(out.count)") }
        return out
    }

    static func reading(_ s: Settings, _ key: String, default d: SagaConfig.Reading, off: Bool) throws(Diagnostic) -> SagaConfig.Reading {
        guard let raw = s[key] else { return d }
        let w = raw.split(separator: " ").map(String.init)
        if w == ["tail"] { return .tail }
        if w == ["off"], off { return .off }
        if w.count == 2, w[0] == "poll" {
            var one = Settings()
            one.set(key, w[1], line: s.entries[key]?.line ?? 0, column: s.entries[key]?.column ?? 1)
            return .poll(try one.duration(key, default: 0, in: 10_000...60_000_000))
        }
        throw s.fail(key, "\(key) is \(off ? "off, " : "")tail or poll DURATION (such as poll 1s), found '\(raw)'")
    }

    static func style(_ s: Settings) throws(Diagnostic) -> SagaConfig.Style {
        guard let raw = s["style"] else { return .orchestration }
        guard let st = SagaConfig.Style(rawValue: raw) else {
            throw s.fail("style", "style is orchestration or choreography, found '\(raw)'" + didYouMean(raw, SagaConfig.Style.allCases.map(\.rawValue)))
        }
        return st
    }

    static func graph(_ s: Settings) throws(Diagnostic) -> Topology {
        let steps = try readSteps(s)
        var nodes: [(name: String, kind: String)] = []
        if try style(s) == .orchestration { nodes.append(("orchestrator", "orchestrator")) }
        for svc in SagaService.allCases where steps.contains(where: { $0.action.service == svc }) { nodes.append((svc.rawValue, "service")) }
        nodes.append(("broker", "broker"))
        switch Topology.named(nodes) {
        case .success(let t): return t
        case .failure(let e): throw s.fail("steps", e.message)
        }
    }

    /// Settings a lesson may also change as it goes (`set semantic-lock yes`).
    static let runtimeKeys = ["outbox", "relay", "dedup", "semantic-lock", "cdc", "redelivery", "broker-duplicate", "broker-reorder", "retry-delay", "reply-timeout", "work"]

    static func applyRuntime(_ s: Settings, to c: inout SagaConfig) throws(Diagnostic) {
        c.outbox = try s.yesNo("outbox", default: c.outbox)
        c.relay = try reading(s, "relay", default: c.relay, off: false)
        c.dedup = try s.yesNo("dedup", default: c.dedup)
        c.semanticLock = try s.yesNo("semantic-lock", default: c.semanticLock)
        c.cdc = try reading(s, "cdc", default: c.cdc, off: true)
        c.redelivery = try s.duration("redelivery", default: c.redelivery, in: 10_000...60_000_000)
        c.duplicatePPM = try s.percent("broker-duplicate", default: c.duplicatePPM)
        c.reorderPPM = try s.percent("broker-reorder", default: c.reorderPPM)
        c.retryDelay = try s.duration("retry-delay", default: c.retryDelay, in: 1_000...60_000_000)
        c.replyTimeout = try s.duration("reply-timeout", default: c.replyTimeout, in: 10_000...600_000_000)
        c.work = try s.duration("work", default: c.work, in: 0...10_000_000)
    }

    public static func config(_ s: Settings, topology t: Topology) throws(Diagnostic) -> SagaConfig {
        var c = SagaConfig()
        // The topology could not be read (its own diagnostic says why): no second message.
        guard !t.numbered else { return c }
        c.style = try style(s)
        c.steps = try readSteps(s)
        let accounts = try pairs(s, "accounts", s["accounts"] ?? "alice 100", max: 1_000_000)
        guard !accounts.contains(where: { $0.0 == "shop" }) else { throw s.fail("accounts", "'shop' is the account the money goes to; name customers otherwise") }
        c.accounts = accounts.map(\.0) + ["shop"]
        c.balances = accounts.map(\.1) + [0]
        let stock = try pairs(s, "stock", s["stock"] ?? "book 5", max: 1_000_000)
        c.items = stock.map(\.0); c.stock = stock.map(\.1)
        if let raw = s["buy"] {
            let w = raw.split(separator: " ").map(String.init)
            guard w.count == 3, let who = c.accounts.firstIndex(of: w[0]), who != c.shop, let what = c.items.firstIndex(of: w[1]),
                  let amount = Int(w[2]), (1...1_000_000).contains(amount) else {
                throw s.fail("buy", "buy is CUSTOMER ITEM AMOUNT with a customer from accounts and an item from stock, such as 'alice book 30', found '\(raw)'")
            }
            c.customer = who; c.item = what; c.amount = amount
        }
        try applyRuntime(s, to: &c)
        if let why = c.lockProblem { throw s.fail("semantic-lock", why) }

        for id in 0..<t.count {
            switch t.kinds[id] {
            case "broker": c.broker = id
            case "orchestrator": c.orchestrator = id
            default:
                guard let svc = SagaService(rawValue: t.names[id]) else { throw s.fail("steps", "'\(t.names[id])' is not a service of this pattern") }
                c.serviceNode[svc] = id; c.serviceOf[id] = svc
            }
        }
        return c
    }
}
