/// A directed link between two nodes.
public struct Link: Hashable, Sendable, Comparable {
    public var from: NodeID
    public var to: NodeID
    public init(_ from: NodeID, _ to: NodeID) { self.from = from; self.to = to }
    public static func < (a: Link, b: Link) -> Bool { (a.from, a.to) < (b.from, b.to) }
}

/// Faults on one direction of one link, on top of the network-wide settings.
public struct LinkFault: Sendable, Equatable {
    public var lossPPM = 0
    public var duplicatePPM = 0
    public var extraDelay: SimTime = 0
    /// This link's own latency distribution, instead of the network-wide one.
    public var latency: Latency?
    public init() {}
    var isClear: Bool { lossPPM == 0 && duplicatePPM == 0 && extraDelay == 0 && latency == nil }
}

/// Why the network lost a message.
public enum LossReason: Sendable, Equatable {
    /// A partition or a cut link lay between sender and receiver.
    case partition
    /// Random loss (the network's or the link's loss rate).
    case lost
}

/// The network model: latency, loss and duplication everywhere, per-link faults, and cuts.
///
/// Partitions are stored per node, not per link, so a 1,000-node partition costs 1,000 small
/// numbers and "is this link cut?" is a few array reads:
/// - every node has a partition group; group 0 reaches everyone (a node a `partition` did not
///   name stays connected to both sides, like a bridge), and two nodes in different non-zero
///   groups are cut off from each other when their groups are cut (both ways, or one way);
/// - an isolated node is cut off from every other node;
/// - single directed links can be cut on their own (`cut`).
public struct Network: Sendable {
    public var latency: Latency
    public var lossPPM: Int
    public var duplicatePPM: Int
    public private(set) var faults: [Link: LinkFault] = [:]
    /// Directed cuts of single links.
    public private(set) var cuts: Set<Link> = []
    /// Partition group per node (empty: nobody is partitioned).
    public private(set) var group: [Int] = []
    /// Directed cuts between groups: (from, to).
    public private(set) var groupCuts: Set<Link> = []
    /// Nodes cut off from everyone (empty: none).
    public private(set) var isolated: [Bool] = []
    /// True when anything at all is cut, so the common case costs one branch.
    public private(set) var anyCut = false

    /// What real machines add and an idealised model lacks (both off by default, so lessons
    /// run as written): a timer fires up to `timerJitter` late (scheduling delay), and handling
    /// a message keeps a node busy for a draw from `processing` (what arrives meanwhile waits).
    /// Without them, equal election timeouts stay in lockstep for ever.
    public var timerJitter: SimTime = 0
    public var processing: ClosedRange<SimTime>?

    public init(latency: Latency = .uniform(10_000, 15_000), lossPPM: Int = 0, duplicatePPM: Int = 0) {
        self.latency = latency; self.lossPPM = lossPPM; self.duplicatePPM = duplicatePPM
    }

    /// Inlined for the common case, nothing cut: called as a method of the cluster's `network`,
    /// the call copied the whole network struct to the stack for every message sent and every
    /// one that arrived.
    @inline(__always)
    public func isCut(_ link: Link) -> Bool { anyCut && isCutSomewhere(link) }

    func isCutSomewhere(_ link: Link) -> Bool {
        if !isolated.isEmpty, isolated[link.from] || isolated[link.to] { return link.from != link.to }
        if !group.isEmpty {
            let a = group[link.from], b = group[link.to]
            if a != 0, b != 0, a != b, groupCuts.contains(Link(a, b)) { return true }
        }
        return !cuts.isEmpty && cuts.contains(link)
    }
    @inline(__always)
    public func fault(_ link: Link) -> LinkFault { faults.isEmpty ? LinkFault() : faultOnLink(link) }
    func faultOnLink(_ link: Link) -> LinkFault { faults[link] ?? LinkFault() }

    /// Cuts one direction of one link.
    public mutating func cut(_ link: Link) { if link.from != link.to { cuts.insert(link); anyCut = true } }
    public mutating func mend(_ link: Link) { cuts.remove(link); refresh() }

    /// Splits the nodes into `groups` (of a cluster of `size`); nodes not named stay connected to
    /// everyone. Two-way unless `oneWay`, which loses only messages from the first group to the
    /// second. A new partition replaces the groups of an earlier one; isolations and cut links stay.
    public mutating func partition(_ groups: [[NodeID]], oneWay: Bool, size: Int) {
        group = Array(repeating: 0, count: size)
        groupCuts = []
        for (i, g) in groups.enumerated() { for n in g where n < size { group[n] = i + 1 } }
        for i in groups.indices { for j in groups.indices where i != j && (!oneWay || i < j) {
            groupCuts.insert(Link(i + 1, j + 1))
        } }
        refresh()
    }

    /// Cuts a node off from every other node, both ways.
    public mutating func isolate(_ node: NodeID, size: Int) {
        if isolated.count != size { isolated = Array(repeating: false, count: size) }
        isolated[node] = true
        anyCut = true
    }

    public mutating func update(_ link: Link, _ change: (inout LinkFault) -> Void) {
        var f = fault(link)
        change(&f)
        faults[link] = f.isClear ? nil : f
    }

    /// Clears every partition, isolation, cut and per-link fault; the network-wide settings stay.
    public mutating func heal() {
        cuts.removeAll(); faults.removeAll(); group = []; groupCuts = []; isolated = []; anyCut = false
    }

    private mutating func refresh() {
        anyCut = !cuts.isEmpty || !groupCuts.isEmpty || isolated.contains(true)
    }

    /// Sorted, so anything shown or journaled from it is in a stable order.
    public var sortedCuts: [Link] { cuts.sorted() }
    public var sortedGroupCuts: [Link] { groupCuts.sorted() }
    public var sortedFaults: [(Link, LinkFault)] { faults.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
}

/// A node's own clock: an offset from true time and a rate error. Timers are set in local time,
/// so a fast clock fires its timers early in true time.
///
/// The rate error bends the clock only from the moment it is set: what an earlier rate added is
/// kept in `drifted`, so changing the rate mid-run never makes the clock jump.
public struct ClockStep: Sendable, Equatable {
    public var at: SimTime
    public var by: SimTime
}

public struct NodeClock: Sendable, Equatable {
    /// Steps and skew: affects the wall clock only.
    public var offset: SimTime = 0
    public private(set) var driftPPM: Int64 = 0
    var driftSince: SimTime = 0
    var drifted: SimTime = 0
    /// The last step of the wall clock (an NTP correction), for the screen.
    public private(set) var lastStep: ClockStep?
    public init() {}

    /// Steps the wall clock by `d` at true time `now`; the monotonic clock does not move.
    public mutating func step(by d: SimTime, at now: SimTime) {
        offset += d
        lastStep = ClockStep(at: now, by: d)
    }

    public mutating func setDrift(_ ppm: Int64, at now: SimTime) {
        drifted += (now - driftSince) * driftPPM / 1_000_000
        driftSince = now
        driftPPM = ppm
    }

    /// What a monotonic clock reads: the node's rate, but no offset and no steps.
    public func monotonic(_ now: SimTime) -> SimTime { now + drifted + (now - driftSince) * driftPPM / 1_000_000 }
    public func local(_ now: SimTime) -> SimTime { monotonic(now) + offset }
    public func trueDuration(ofLocal d: SimTime) -> SimTime {
        driftPPM == 0 ? d : d * 1_000_000 / (1_000_000 + driftPPM)
    }
}
