import Simulation

/// Membership and failure detection: fixed-timeout heartbeats, gossiped heartbeat tables, phi
/// accrual and SWIM, as the lesson language and the player see them.
public enum Membership: Pattern {
    public typealias Node = MembershipNode

    public static let name = "membership"
    public static let summary = "Failure detection: heartbeat timeouts, gossiped heartbeat tables, phi accrual, SWIM"

    public static let settings: [SettingSpec] = [
        SettingSpec("detector", example: "swim", help: "heartbeat, gossip, phi or swim"),
        SettingSpec("interval", example: "1s", help: "heartbeat or gossip interval; SWIM's protocol period"),
        SettingSpec("timeout", example: "3s", help: "heartbeat: silence before suspecting; gossip: T_fail"),
        SettingSpec("cleanup", example: "3s", help: "gossip: a suspect is removed (dead) this long after T_fail"),
        SettingSpec("fanout", example: "1", help: "gossip: peers a table is sent to each interval"),
        SettingSpec("phi-threshold", example: "8", help: "phi: suspect when φ exceeds this"),
        SettingSpec("phi-window", example: "1000", help: "phi: inter-arrival samples kept"),
        SettingSpec("min-std-deviation", example: "100ms", help: "phi: the least deviation assumed"),
        SettingSpec("acceptable-pause", example: "3s", help: "phi: a pause added to the mean before φ rises"),
        SettingSpec("ack-timeout", example: "500ms", help: "swim: wait for an ack before asking others to probe"),
        SettingSpec("indirect", example: "3", help: "swim: members asked to probe indirectly"),
        SettingSpec("suspicion-multiplier", example: "4", help: "swim: suspicion lasts this × max(1, log10 n) periods"),
    ]

    public static func config(_ s: Settings) throws(Diagnostic) -> MembershipConfig {
        var c = MembershipConfig()
        if let raw = s["detector"] {
            guard let d = MembershipConfig.Detector(rawValue: raw) else {
                throw s.fail("detector", "detector must be heartbeat, gossip, phi or swim, found '\(raw)'" + didYouMean(raw, MembershipConfig.Detector.allCases.map(\.rawValue)))
            }
            c.detector = d
        }
        c.interval = try s.duration("interval", default: c.interval, in: 10_000...60_000_000)
        // A gossiped counter reaches everyone only after several rounds (log n and then some),
        // so T_fail defaults to ten intervals there; a direct heartbeat needs only three.
        let gossipy = c.detector == .gossip
        c.timeout = try s.duration("timeout", default: gossipy ? 10 * c.interval : c.timeout, in: 10_000...600_000_000)
        c.cleanup = try s.duration("cleanup", default: gossipy ? 10 * c.interval : c.cleanup, in: 10_000...600_000_000)
        c.fanout = try s.integer("fanout", default: c.fanout, in: 1...10)
        c.phiThreshold = Double(try s.integer("phi-threshold", default: Int(c.phiThreshold), in: 1...100))
        c.phiWindow = try s.integer("phi-window", default: c.phiWindow, in: 2...10_000)
        c.minStdDeviation = try s.duration("min-std-deviation", default: c.minStdDeviation, in: 1_000...60_000_000)
        c.acceptablePause = try s.duration("acceptable-pause", default: c.acceptablePause, in: 0...600_000_000)
        c.ackTimeout = try s.duration("ack-timeout", default: c.ackTimeout, in: 1_000...60_000_000)
        c.indirect = try s.integer("indirect", default: c.indirect, in: 0...10)
        c.suspicionMultiplier = try s.integer("suspicion-multiplier", default: c.suspicionMultiplier, in: 1...100)
        // Only SWIM waits for acks; the mistake is reported where it was written.
        guard c.detector != .swim || c.ackTimeout < c.interval else {
            throw s.fail(s["ack-timeout"] != nil ? "ack-timeout" : "interval",
                         "ack-timeout must be shorter than the interval (the protocol period), found \(SimDuration.format(c.ackTimeout)) ≥ \(SimDuration.format(c.interval))")
        }
        return c
    }

    /// Every member watches every other (heartbeats are all-to-all): 30 in the player, where a
    /// row per peer is drawn; 200 headless.
    public static var limits: PatternLimits { PatternLimits(playerNodes: 1...30, headlessNodes: 1...200, lessonEvents: 1_000_000) }

    public static let roles = ["member"]
    public static func role(of id: NodeID, in c: Cluster<MembershipNode>) -> String { "member" }

    // MARK: Commands

    public enum Command: Sendable, Equatable {}
    public static let commands: [CommandSpec<Membership>] = []
    public static func perform(_ command: Command, on c: inout Cluster<MembershipNode>) -> String? {}

    // MARK: Queries

    /// Suspicions raised of a member that was running at the time (the simulator knows; the
    /// members do not). A paused member is running: suspecting it is a false positive.
    public static func falseSuspicions(_ c: Cluster<MembershipNode>) -> Int {
        c.nodes.reduce(0) { n, node in n + node.suspicions.filter { !c.wasDown($0.peer, at: $0.at) }.count }
    }

    public static let queries: [QuerySpec<Membership>] = [
        QuerySpec("suspicions", .cluster, help: "suspicions raised so far, by all members") { c, _ in c.nodes.reduce(0) { $0 + $1.suspicionCount } },
        QuerySpec("false-suspicions", .cluster, help: "suspicions so far of a member that had not crashed") { c, _ in falseSuspicions(c) },
        QuerySpec("suspected", .cluster, help: "pairs where a running member now suspects (or holds dead) another") { c, _ in
            (0..<c.size).filter { c.isUp[$0] }.reduce(0) { n, o in n + (0..<c.size).filter { c.nodes[o].suspects($0) }.count }
        },
        QuerySpec("suspects", .node, help: "peers the member suspects or holds dead") { c, n in (0..<c.size).filter { c.nodes[n!].suspects($0) }.count },
        QuerySpec("incarnation", .node, help: "swim: the member's own incarnation") { c, n in c.nodes[n!].incarnation },
        QuerySpec(edge: "phi", help: "φ the first member computes for the second, rounded down (also written n1.phi(n4)); heartbeat and phi detectors only",
                  refuse: { s in
                      // φ is worked out from heartbeats' arrival times; SWIM and gossip send none,
                      // so it would read 0 for ever and `expect … < 8` would pass for nothing.
                      guard let d = try? Membership.config(s).detector, d == .swim || d == .gossip else { return nil }
                      return "phi is worked out from heartbeats, which the \(d.rawValue) detector does not send (it reads 0 for ever); use detector: heartbeat or phi"
                  }) { c, l in
            Int(c.nodes[l.from].phi(l.to, now: c.clocks[l.from].local(c.now)))
        },
    ]

    // MARK: Conditions

    public enum Predicate: Sendable, Equatable {
        case suspects(NodeID, NodeID)
        case statusTo(NodeID, MemberStatus, observer: NodeID)
    }

    public static let predicateForms = ["nA suspects nB", "nB is dead to nA", "nB is alive to nA", "nB is suspect to nA"]

    public static func parsePredicate(_ w: inout Words) throws(Diagnostic) -> Predicate? {
        guard let first = w.peek?.text, w.isNode(first), let second = w.peekText(1) else { return nil }
        if second == "suspects" {
            let a = try w.node()
            _ = try w.next("suspects")
            return .suspects(a, try w.node())
        }
        // "n4 is dead to n1": only with "to" after the status, so "n4 is crashed" stays a role.
        guard second == "is", w.peekText(3) == "to", let status = w.peekText(2).flatMap(MemberStatus.init(rawValue:)) else { return nil }
        let b = try w.node()
        _ = try w.next("is"); _ = try w.next("a status"); _ = try w.next("to")
        return .statusTo(b, status, observer: try w.node())
    }

    public static func evaluate(_ p: Predicate, in c: Cluster<MembershipNode>) -> Verdict {
        switch p {
        case let .suspects(a, b):
            return Verdict(c.nodes[a].suspects(b), found: "\(c.name(b)) is \(c.nodes[a].peers[b].status.rawValue) to \(c.name(a))")
        case let .statusTo(b, s, a):
            let actual = c.nodes[a].peers[b].status
            return Verdict(actual == s, found: "\(c.name(b)) is \(actual.rawValue) to \(c.name(a))")
        }
    }

    // MARK: Player keys

    public static let sandboxHint = "space runs · 1-9 selects the observer · c crash · x isolate · h heal"
    public static var sandboxDefaults: [(key: String, value: String)] { [("nodes", "8")] }
    public static let interactions: [Interaction<Membership>] = []
}
