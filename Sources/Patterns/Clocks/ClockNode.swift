import Simulation

public struct ClockMessage: Sendable, Equatable, CustomStringConvertible {
    public var sender: EventRef
    public var label: String
    public var lamport: Int
    public var vc: [Int]
    public var hlc: HLC
    /// Replica versions, when the message is a sync.
    public var versions: [Version]

    public var description: String {
        "\"\(label)\" L=\(lamport) VC=\(formatVC(vc)) HLC=\(hlc)" + (versions.isEmpty ? "" : " +\(versions.count) versions")
    }
}

public enum ClockTimer: Int, TimerKind {
    case workload
    public var description: String { "workload" }
    public static let slotCount = 1
}

/// What the diagram labels events with.
public enum ClockDisplay: String, Sendable, Equatable, CaseIterable { case lamport, vector, hlc, all }

public struct ClockConfig: Sendable, Equatable {
    /// Random events per second per process, in the sandbox (0: only what a script does).
    public var workload: Double = 0
    public var display: ClockDisplay = .vector
    public init() {}
}

/// A process with three logical clocks at once, so a lesson can set them side by side:
/// Lamport timestamps, a vector clock and a hybrid logical clock. Clocks and history are kept
/// across a crash (the lessons are about order, not about recovery).
public struct ClockNode: NodeModel {
    public let id: NodeID
    let size: Int
    public let config: ClockConfig
    public private(set) var lamport = 0
    public private(set) var vc: [Int]
    public private(set) var hlc = HLC()
    /// The events kept, oldest first; `events[0]` is this process's event number `firstIndex`
    /// (older ones were let go by `compact`).
    public private(set) var events: [ClockEvent] = []
    public private(set) var firstIndex = 0
    /// Labels of messages received, each once, in the order first received.
    public private(set) var received: [String] = []
    /// Versions per key; more than one for a key are siblings (concurrent writes).
    public private(set) var store: [String: [Version]] = [:]
    /// The last duration measured with both clocks (`measure nK start/stop`).
    public private(set) var wallElapsed: SimTime?
    public private(set) var monoElapsed: SimTime?
    public private(set) var measureStart: (wall: SimTime, mono: SimTime)?

    public init(id: NodeID, clusterSize: Int, config: ClockConfig) {
        self.id = id; size = clusterSize; self.config = config
        vc = Array(repeating: 0, count: clusterSize)
    }

    public mutating func boot(_ io: inout NodeIO<Self>) { armWorkload(&io) }
    public mutating func crash() { measureStart = nil }

    // MARK: The three clocks' rules

    /// Before a local event or a send: Lamport ticks, the own vector entry ticks, HLC follows
    /// physical time or counts.
    mutating func tick(_ io: NodeIO<Self>) {
        lamport += 1
        vc[id] += 1
        let l = max(hlc.l, io.localNow)
        hlc = l == hlc.l ? HLC(l: l, c: hlc.c + 1) : HLC(l: l, c: 0)
    }

    /// On receive: Lamport takes max + 1, vectors merge element-wise then tick, HLC takes the
    /// largest of its own, the message's and physical time.
    mutating func merge(_ m: ClockMessage, _ io: NodeIO<Self>) {
        lamport = max(lamport, m.lamport) + 1
        for i in vc.indices { vc[i] = max(vc[i], m.vc[i]) }
        vc[id] += 1
        let l = max(hlc.l, m.hlc.l, io.localNow)
        let c: Int
        if l == hlc.l && l == m.hlc.l { c = max(hlc.c, m.hlc.c) + 1 }
        else if l == hlc.l { c = hlc.c + 1 }
        else if l == m.hlc.l { c = m.hlc.c + 1 }
        else { c = 0 }
        hlc = HLC(l: l, c: c)
    }

    mutating func record(_ kind: ClockEvent.Kind, _ label: String, _ io: NodeIO<Self>, time: SimTime) {
        events.append(ClockEvent(ref: EventRef(process: id, index: firstIndex + events.count), stamp: io.stamp, kind: kind, label: label,
                                 time: time, wall: io.localNow, lamport: lamport, vc: vc, hlc: hlc))
    }

    // MARK: What scripts and the sandbox do

    public mutating func localEvent(_ label: String, at time: SimTime, _ io: inout NodeIO<Self>) {
        tick(io)
        record(.local, label, io, time: time)
        io.note("\(eventText(events.count - 1))")
    }

    public mutating func send(_ label: String, to peer: NodeID, at time: SimTime, withVersions: Bool = false, _ io: inout NodeIO<Self>) {
        tick(io)
        record(.send(to: peer), label, io, time: time)
        let versions = withVersions ? store.keys.sorted().flatMap { store[$0]! } : []
        io.send(ClockMessage(sender: EventRef(process: id, index: firstIndex + events.count - 1), label: label, lamport: lamport, vc: vc,
                             hlc: hlc, versions: versions), to: peer)
    }

    public mutating func put(_ key: String, _ value: String, at time: SimTime, _ io: inout NodeIO<Self>) {
        tick(io)
        record(.local, "put \(key)=\(value)", io, time: time)
        // A write on this replica supersedes every version this replica has seen.
        store[key] = [Version(key: key, value: value, vc: vc)]
    }

    public mutating func measure(start: Bool, _ io: inout NodeIO<Self>) {
        if start {
            measureStart = (io.localNow, io.monotonicNow)
        } else if let s = measureStart {
            wallElapsed = io.localNow - s.wall
            monoElapsed = io.monotonicNow - s.mono
            measureStart = nil
            io.note("measured \(SimDuration.format(wallElapsed!)) on the wall clock, \(SimDuration.format(monoElapsed!)) on the monotonic clock")
        }
    }

    public func eventText(_ k: Int) -> String {
        let e = events[k]
        return "event \"\(e.label)\" L=\(e.lamport) VC=\(formatVC(e.vc)) HLC=\(e.hlc)"
    }

    // MARK: NodeModel

    public mutating func receive(_ m: ClockMessage, from peer: NodeID, _ io: inout NodeIO<Self>) {
        merge(m, io)
        if !received.contains(m.label) { received.append(m.label) }
        // The receive happens now, in true time; the node knows only its own clock.
        record(.receive(from: peer, sender: m.sender), m.label, io, time: io.trueNow)
        for v in m.versions { absorb(v) }
    }

    /// Events recorded so far on this process, including those let go.
    public var eventCount: Int { firstIndex + events.count }

    /// The most events kept across all processes; past it, the oldest are let go down to
    /// `keptAfterCompaction`. A lesson makes dozens; a busy sandbox makes thousands a second,
    /// and the diagram shows the newest hundred or so.
    public static let maxKept = 4_000
    /// The most keys a replica holds (a `put` of one more fails the lesson).
    public static let maxKeys = 64
    public static let keptAfterCompaction = 2_000

    /// Lets go of the oldest events everywhere at once, by one cut in the global order (a stamp),
    /// so the events kept are exactly the newest ones and ids stay stable (e4001 stays e4001).
    public static func compact(_ nodes: inout [ClockNode]) {
        let kept = nodes.reduce(0) { $0 + $1.events.count }
        guard kept > maxKept else { return }
        // The cut: the smallest stamp such that at most `keptAfterCompaction` events have one at
        // or above it. Stamps are sorted within each process.
        var stamps = nodes.flatMap { $0.events.map(\.stamp) }
        stamps.sort()
        let cut = stamps[stamps.count - keptAfterCompaction]
        for i in nodes.indices {
            let drop = nodes[i].events.prefix { $0.stamp < cut }.count
            nodes[i].events.removeFirst(drop)
            nodes[i].firstIndex += drop
        }
    }

    /// Dynamo-style reconciliation: drop what the incoming version supersedes; keep it unless an
    /// existing version already supersedes it. Concurrent versions stay side by side: siblings.
    mutating func absorb(_ v: Version) {
        var kept = store[v.key] ?? []
        if kept.contains(where: { [.after, .equal].contains(Causality.compare($0.vc, v.vc)) }) { return }
        kept.removeAll { Causality.compare($0.vc, v.vc) == .before }
        kept.append(v)
        store[v.key] = kept
    }

    public mutating func fire(_ timer: ClockTimer, _ io: inout NodeIO<Self>) {
        guard config.workload > 0 else { return }
        if size > 1, io.random(in: 0...99) < 70 {
            var peer = NodeID(io.random(in: 0...SimTime(size - 2)))
            if peer >= id { peer += 1 }
            send("m", to: peer, at: io.trueNow, &io)
        } else {
            localEvent("x", at: io.trueNow, &io)
        }
        armWorkload(&io)
    }

    mutating func armWorkload(_ io: inout NodeIO<Self>) {
        guard config.workload > 0, config.workload.isFinite else { return }
        // Settings are range checked; this clamp keeps a config built in code from trapping.
        let mean = SimTime(min(1e12, max(1, 1_000_000 / config.workload)))
        io.setTimer(.workload, after: io.random(in: max(1, mean / 2)...max(1, mean * 3 / 2)))
    }
}
