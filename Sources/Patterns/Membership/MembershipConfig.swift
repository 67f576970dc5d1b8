import Simulation

/// How members watch each other. Defaults: SWIM with memberlist's LAN profile (probe every 1 s,
/// ack timeout 500 ms, 3 indirect probes, suspicion multiplier 4); phi accrual with Akka's
/// cluster defaults (threshold 8, 1,000 samples, minimum deviation 100 ms, acceptable pause 3 s).
public struct MembershipConfig: Sendable, Equatable {
    /// `heartbeat`: everyone heartbeats everyone and suspects after a fixed silence.
    /// `gossip`: van Renesse's gossiped heartbeat tables. `phi`: heartbeats judged by phi
    /// accrual. `swim`: probes, indirect probes, suspicion and refutation.
    public enum Detector: String, Sendable, CaseIterable { case heartbeat, gossip, phi, swim }

    public var detector = Detector.swim
    /// The heartbeat interval, the gossip interval, or SWIM's protocol period.
    public var interval: SimTime = 1_000_000
    /// Silence after which `heartbeat` suspects a peer; for `gossip`, T_fail (a counter that has
    /// not moved for this long).
    public var timeout: SimTime = 3_000_000
    /// `gossip`: after T_fail, a member is removed (dead) this much later (T_cleanup).
    public var cleanup: SimTime = 3_000_000
    /// `gossip`: peers each node sends its table to per interval.
    public var fanout = 1

    public var phiThreshold = 8.0
    public var phiWindow = 1_000
    public var minStdDeviation: SimTime = 100_000
    public var acceptablePause: SimTime = 3_000_000

    public var ackTimeout: SimTime = 500_000
    /// Members asked to probe on our behalf when a direct ping goes unanswered.
    public var indirect = 3
    /// Suspicion lasts multiplier × max(1, log10 n) protocol periods before a member is dead.
    public var suspicionMultiplier = 4
    /// Each membership update rides on this × ⌈log10(n + 1)⌉ messages (SWIM's λ log n).
    public var retransmitMultiplier = 4

    public init() {}
}

/// What one member believes about another.
public enum MemberStatus: String, Sendable, Equatable, CaseIterable {
    case alive, suspect, dead
}

/// A membership update, spread by piggybacking on SWIM's pings and acks.
public struct MemberUpdate: Sendable, Equatable, CustomStringConvertible {
    public var member: NodeID
    public var status: MemberStatus
    public var incarnation: Int
    public var description: String { "\(nodeName(member)) \(status.rawValue)@\(incarnation)" }
}
