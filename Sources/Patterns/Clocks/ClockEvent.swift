import Simulation

/// A hybrid logical clock reading (Kulkarni et al.): `l` follows the largest physical time seen,
/// `c` counts events that happened while `l` stood still.
public struct HLC: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var l: SimTime
    public var c: Int
    public init(l: SimTime = 0, c: Int = 0) { self.l = l; self.c = c }
    public static func < (a: HLC, b: HLC) -> Bool { a.l < b.l || (a.l == b.l && a.c < b.c) }
    /// `l,c`, as the diagram, the selection and the lessons write it.
    public var description: String { "\(SimDuration.format(l)),\(c)" }
}

/// An event's identity before global numbering: which process, and its place there.
public struct EventRef: Sendable, Hashable, Comparable {
    public var process: NodeID
    public var index: Int
    public static func < (a: EventRef, b: EventRef) -> Bool { (a.process, a.index) < (b.process, b.index) }
}

/// One event on a process's timeline, with every clock's reading right after it.
public struct ClockEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case local
        case send(to: NodeID)
        case receive(from: NodeID, sender: EventRef)
    }
    public var ref: EventRef
    /// Place in the cluster's global order of handler calls: gives events their ids e1, e2, ….
    public var stamp: Int
    public var kind: Kind
    public var label: String
    /// True (simulated) time, and the node's own wall-clock reading.
    public var time: SimTime
    public var wall: SimTime
    public var lamport: Int
    public var vc: [Int]
    public var hlc: HLC

    public var process: NodeID { ref.process }
}

/// How two vector clocks compare.
public enum Causality: Sendable, Equatable {
    case before, after, equal, concurrent

    public static func compare(_ a: [Int], _ b: [Int]) -> Causality {
        var less = false, greater = false
        for (x, y) in zip(a, b) {
            if x < y { less = true }
            if x > y { greater = true }
        }
        switch (less, greater) {
        case (false, false): return .equal
        case (true, false): return .before
        case (false, true): return .after
        case (true, true): return .concurrent
        }
    }
}

public func formatVC(_ vc: [Int]) -> String { "[" + vc.map(String.init).joined(separator: ",") + "]" }

/// A value written to a replica, with the vector clock of the write (Dynamo, Riak).
public struct Version: Sendable, Equatable {
    public var key: String
    public var value: String
    public var vc: [Int]
}
