import Simulation

/// What a member believes about each peer, and which peers changed since it last looked.
///
/// A member needs the earliest moment any belief could change on its own (a silence reaching
/// the timeout, φ crossing its threshold, a suspicion running out) after every event. Asking
/// every peer every time made an event cost the group's size: at 200 members, 12 µs. Every
/// change to a peer goes through this subscript's `_modify`, which notes the peer, so only the
/// peers that changed are asked again (`MembershipNode.armCheck`).
public struct PeerTable: Sendable, Equatable {
    private var items: [MembershipNode.Peer]
    /// Peers changed since `takeChanged`, each once; `isChanged` says which.
    private var changed: [Int]
    private var isChanged: [Bool]

    /// `count` peers, all new, all changed.
    init(count: Int) {
        items = Array(repeating: MembershipNode.Peer(), count: count)
        changed = Array(0..<count)
        isChanged = Array(repeating: true, count: count)
    }

    public var count: Int { items.count }
    public var indices: Range<Int> { items.indices }

    /// Read in place (a copy of a peer retains its history's lists); changed in place, and noted.
    public subscript(p: Int) -> MembershipNode.Peer {
        _read { yield items[p] }
        _modify {
            if !isChanged[p] { isChanged[p] = true; changed.append(p) }
            yield &items[p]
        }
    }

    public func map<T>(_ body: (MembershipNode.Peer) -> T) -> [T] { items.map(body) }

    /// Hands over the peers changed since the last call, each once (into an empty `list`,
    /// whose storage it keeps for the next changes), and forgets them.
    mutating func takeChanged(into list: inout [Int]) {
        for p in changed { isChanged[p] = false }
        swap(&changed, &list)
    }

    /// The same beliefs, whoever has looked at them since.
    public static func == (a: PeerTable, b: PeerTable) -> Bool { a.items == b.items }
}

/// When one peer's belief could next change on its own, as queued in a member's heap. A peer's
/// older moments stay queued until they reach the top and are found out of date.
struct PeerDeadline: HeapOrdered {
    var at: SimTime
    var peer: Int
    @inline(__always) static func precedes(_ a: PeerDeadline, _ b: PeerDeadline) -> Bool {
        a.at < b.at || (a.at == b.at && a.peer < b.peer)
    }
}
