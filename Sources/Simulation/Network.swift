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

/// The network model: latency, loss and duplication everywhere, per-link faults, and cuts.
/// A cut is directed, so a two-way partition is two cuts and a one-way partition is one.
public struct Network: Sendable {
    public var latency: Latency
    public var lossPPM: Int
    public var duplicatePPM: Int
    public private(set) var faults: [Link: LinkFault] = [:]
    public private(set) var cuts: Set<Link> = []

    public init(latency: Latency = .uniform(10_000, 15_000), lossPPM: Int = 0, duplicatePPM: Int = 0) {
        self.latency = latency; self.lossPPM = lossPPM; self.duplicatePPM = duplicatePPM
    }

    public func isCut(_ link: Link) -> Bool { !cuts.isEmpty && cuts.contains(link) }
    public func fault(_ link: Link) -> LinkFault { faults.isEmpty ? LinkFault() : (faults[link] ?? LinkFault()) }

    public mutating func cut(_ link: Link) { if link.from != link.to { cuts.insert(link) } }
    public mutating func mend(_ link: Link) { cuts.remove(link) }

    public mutating func update(_ link: Link, _ change: (inout LinkFault) -> Void) {
        var f = fault(link)
        change(&f)
        faults[link] = f.isClear ? nil : f
    }

    /// Clears every cut and every per-link fault; the network-wide settings stay.
    public mutating func heal() { cuts.removeAll(); faults.removeAll() }

    /// Sorted, so anything shown or journaled from it is in a stable order.
    public var sortedCuts: [Link] { cuts.sorted() }
    public var sortedFaults: [(Link, LinkFault)] { faults.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
}

/// A node's own clock: an offset from true time and a rate error. Timers are set in local time,
/// so a fast clock fires its timers early in true time.
///
/// The rate error bends the clock only from the moment it is set: what an earlier rate added is
/// kept in `drifted`, so changing the rate mid-run never makes the clock jump.
public struct NodeClock: Sendable, Equatable {
    /// Steps and skew: affects the wall clock only.
    public var offset: SimTime = 0
    public private(set) var driftPPM: Int64 = 0
    var driftSince: SimTime = 0
    var drifted: SimTime = 0
    public init() {}

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
