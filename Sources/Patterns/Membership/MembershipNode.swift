import Simulation

/// One member watching the others with the configured detector. What it believes about each
/// peer is in `peers`; nothing here knows whether a peer really crashed (the simulator does, and
/// the screen marks a suspicion of a live member as false).
public struct MembershipNode: NodeModel {
    public enum Message: Sendable, CustomStringConvertible {
        case heartbeat(counter: Int)
        /// van Renesse's gossip: the sender's table of heartbeat counters.
        case table([Int])
        case ping(seq: Int, [MemberUpdate])
        case ack(seq: Int, [MemberUpdate])
        /// "Ping `target` for me and pass its ack back."
        case pingReq(seq: Int, target: NodeID, [MemberUpdate])

        public var description: String {
            switch self {
            case .heartbeat(let c): "heartbeat \(c)"
            case .table(let t): "table of \(t.count) counters"
            case let .ping(s, u): "ping #\(s)" + Self.list(u)
            case let .ack(s, u): "ack #\(s)" + Self.list(u)
            case let .pingReq(s, t, u): "ping-req #\(s) for \(nodeName(t))" + Self.list(u)
            }
        }
        static func list(_ u: [MemberUpdate]) -> String { u.isEmpty ? "" : " + " + u.map(\.description).joined(separator: ", ") }
    }

    public enum Timer: Int, TimerKind {
        case tick, check, ackTimeout
        public static let slotCount = 3
        public var description: String { ["tick", "check", "ack timeout"][rawValue] }
    }

    /// What this member believes about one peer.
    public struct Peer: Sendable, Equatable {
        public var status = MemberStatus.alive
        public var incarnation = 0
        /// Local time the status last changed (a suspicion's start).
        public var since: SimTime = 0
        /// Local time of the last heartbeat (or of boot, before any).
        public var lastHeard: SimTime = 0
        /// True times of recent heartbeat arrivals, newest last (for the screen's time line).
        public var arrivals: [SimTime] = []
        public var history = PhiAccrual()
        /// The silence after which φ passes the threshold, for the current history: worked out
        /// when a heartbeat changes the history, not for every peer after every event (a
        /// 200-member phi lesson spent minutes bisecting it).
        public var phiCrossing: SimTime = .max
        /// `gossip`: the highest heartbeat counter seen and when it last went up (local time).
        public var counter = 0
        public var counterChangedAt: SimTime = 0
    }

    /// A suspicion this member raised, with the true time (for counting false suspicions).
    public struct Suspicion: Sendable, Equatable {
        public var peer: NodeID
        public var at: SimTime
    }

    public let id: NodeID
    public internal(set) var config: MembershipConfig
    let size: Int
    public private(set) var peers: PeerTable
    /// Every peer's next deadline (`deadline(p)`), and older ones not yet found out of date.
    var deadlines = MinHeap<PeerDeadline>()
    /// `armCheck`'s list of changed peers, empty between calls (kept for its storage).
    var changedPeers: [Int] = []
    public private(set) var counter = 0
    /// SWIM: raised to refute a suspicion of this member. Kept across a crash (on disk).
    public private(set) var incarnation = 0
    var seq = 0
    /// SWIM: the probe of this protocol period.
    public private(set) var probe: Probe?
    public struct Probe: Sendable, Equatable {
        public var target: NodeID
        public var seq: Int
        public var acked: Bool
        public var indirect: Bool
    }
    /// Pings sent for another member: our seq → (who asked, their seq).
    var relays: [(seq: Int, origin: NodeID, originSeq: Int)] = []
    /// Membership updates still to piggyback, with how many more messages each rides on.
    public private(set) var pending: [(update: MemberUpdate, left: Int)] = []
    /// Suspicions raised, newest last (the newest 256).
    public private(set) var suspicions: [Suspicion] = []
    public private(set) var suspicionCount = 0

    public init(id: NodeID, clusterSize: Int, config: MembershipConfig) {
        self.id = id; self.size = clusterSize; self.config = config
        peers = PeerTable(count: clusterSize)
    }

    /// Whether this member currently suspects `peer` (or has declared it dead).
    public func suspects(_ peer: NodeID) -> Bool { peer != id && peers[peer].status != .alive }

    /// φ for `peer` now (0 before any heartbeat history).
    public func phi(_ peer: NodeID, now: SimTime) -> Double {
        peers[peer].history.phi(elapsed: now - peers[peer].lastHeard, acceptablePause: config.acceptablePause, minStd: config.minStdDeviation)
    }

    // MARK: NodeModel

    public mutating func boot(_ io: inout NodeIO<Self>) {
        for p in peers.indices {
            peers[p].lastHeard = io.localNow
            peers[p].counterChangedAt = io.localNow
        }
        io.setTimer(.tick, after: 1 + io.random(in: 0...(config.interval - 1)))
        checkAt = nil
        armCheck(&io)
        if config.detector == .swim && incarnation > 0 {
            // Back from a crash: say so with a new incarnation, over anything said meanwhile.
            incarnation += 1
            enqueue(MemberUpdate(member: id, status: .alive, incarnation: incarnation))
        }
    }

    /// Beliefs, probes and histories are memory; the incarnation is on disk.
    public mutating func crash() {
        peers = PeerTable(count: size)
        deadlines.removeAll()
        probe = nil; relays = []; pending = []; checkAt = nil
        if config.detector == .swim { incarnation = max(incarnation, 1) }
    }

    /// When the check timer is set for (local time): the earliest moment a belief could change.
    var checkAt: SimTime?

    /// Sets the check timer for the next deadline: a peer's silence reaching the timeout, φ
    /// reaching the threshold, a suspicion running out. Exact, and no timer fires in between:
    /// polling every few milliseconds would bury the event log in checks.
    mutating func armCheck(_ io: inout NodeIO<Self>) {
        // The earliest `deadline(p)` of every other member: only the peers changed since the
        // last look are asked again, and a queued moment is checked against its peer's own
        // when it reaches the top (asking all 199 others after every event was 12 µs an event).
        peers.takeChanged(into: &changedPeers)
        let next: SimTime?
        if config.detector == .gossip {
            // A gossiped table moves most peers' counters at once: the heap would take each
            // of them in turn, and asking every peer is cheaper (0.75 s against 2.0 s for
            // 200 members, `run 600s`).
            next = earliestDeadlineByScan()
        } else {
            for p in changedPeers where p != id { if let d = deadline(p) { deadlines.insert(PeerDeadline(at: d, peer: p)) } }
            while let top = deadlines.min, deadline(top.peer) != top.at { _ = deadlines.popMin() }
            // Out-of-date moments reach the top soon (a peer's moments only move later), but
            // a bound keeps a pathological run from hoarding them.
            if deadlines.count > 4 * size + 64 { rebuildDeadlines() }
            next = deadlines.min?.at
        }
        changedPeers.removeAll(keepingCapacity: true)
        guard next != checkAt else { return }
        checkAt = next
        if let next { io.setTimer(.check, after: max(1, next - io.localNow)) } else { io.cancelTimer(.check) }
    }

    /// Every other member's `deadline(p)`, asking each.
    func eachDeadline(_ body: (PeerDeadline) -> Void) {
        for p in peers.indices where p != id { if let d = deadline(p) { body(PeerDeadline(at: d, peer: p)) } }
    }

    /// The earliest `deadline(p)` of every other member, asking each.
    func earliestDeadlineByScan() -> SimTime? {
        var earliest = SimTime.max
        eachDeadline { earliest = min(earliest, $0.at) }
        return earliest == .max ? nil : earliest
    }

    private mutating func rebuildDeadlines() {
        var fresh = MinHeap<PeerDeadline>()
        eachDeadline { fresh.insert($0) }
        deadlines = fresh
    }

    /// When φ for `p` crosses the threshold with no news (a live peer heard from at least once).
    @inline(__always) func phiDeadline(_ p: NodeID) -> SimTime? {
        guard peers[p].status == .alive, peers[p].history.count > 0 else { return nil }
        return peers[p].lastHeard + peers[p].phiCrossing
    }

    /// The local time at which what this member believes about `p` would change with no news.
    func deadline(_ p: NodeID) -> SimTime? {
        // Field by field, in place: a copy of the peer (its history's arrays retained and
        // released) for each of the others at every heartbeat was most of a fifty-member run.
        let status = peers[p].status
        switch config.detector {
        case .heartbeat: return status == .alive ? peers[p].lastHeard + config.timeout + 1 : nil
        case .phi: return phiDeadline(p)
        case .gossip:
            switch status {
            case .alive: return peers[p].counterChangedAt + config.timeout + 1
            case .suspect: return peers[p].counterChangedAt + config.timeout + config.cleanup + 1
            case .dead: return nil
            }
        case .swim: return status == .suspect ? peers[p].since + suspicionTimeout + 1 : nil
        }
    }

    /// Silence after which φ for `p` first exceeds the threshold (φ grows with silence).
    public func phiCrossing(_ p: NodeID) -> SimTime {
        peers[p].history.crossing(threshold: config.phiThreshold, acceptablePause: config.acceptablePause, minStd: config.minStdDeviation)
    }

    public mutating func fire(_ timer: Timer, _ io: inout NodeIO<Self>) {
        defer { armCheck(&io) }
        switch timer {
        case .tick:
            tick(&io)
            io.setTimer(.tick, after: config.interval)
        case .check:
            checkAt = nil
            check(&io)
        case .ackTimeout:
            // No ack in time: ask k others to try (SWIM's indirect probe).
            guard var p = probe, !p.acked, !p.indirect else { return }
            p.indirect = true
            probe = p
            for helper in randomMembers(config.indirect, excluding: p.target, &io) {
                io.send(.pingReq(seq: p.seq, target: p.target, piggyback()), to: helper)
            }
        }
    }

    mutating func tick(_ io: inout NodeIO<Self>) {
        switch config.detector {
        case .heartbeat, .phi:
            counter += 1
            for p in io.peers { io.send(.heartbeat(counter: counter), to: p) }
        case .gossip:
            counter += 1
            peers[id].counter = counter
            let table = peers.map(\.counter)
            for p in randomMembers(config.fanout, excluding: nil, &io) { io.send(.table(table), to: p) }
        case .swim:
            // The end of the last protocol period: a probe never acked makes its target suspect.
            if let p = probe, !p.acked, peers[p.target].status == .alive {
                suspect(p.target, incarnation: peers[p.target].incarnation, &io)
            }
            probe = nil
            relays.removeAll()
            guard let target = randomMembers(1, excluding: nil, &io).first else { return }
            seq += 1
            probe = Probe(target: target, seq: seq, acked: false, indirect: false)
            io.send(.ping(seq: seq, piggyback()), to: target)
            io.setTimer(.ackTimeout, after: config.ackTimeout)
        }
    }

    /// Time-outs: silence, an unmoved counter, φ over the threshold, a suspicion gone stale.
    mutating func check(_ io: inout NodeIO<Self>) {
        let now = io.localNow
        for p in peers.indices where p != id {
            switch config.detector {
            case .heartbeat:
                if peers[p].status == .alive && now - peers[p].lastHeard > config.timeout { suspect(p, incarnation: 0, &io) }
            case .phi:
                if peers[p].status == .alive && phi(p, now: now) > config.phiThreshold { suspect(p, incarnation: 0, &io) }
            case .gossip:
                let silent = now - peers[p].counterChangedAt
                if peers[p].status == .alive && silent > config.timeout { suspect(p, incarnation: 0, &io) }
                if peers[p].status == .suspect && silent > config.timeout + config.cleanup { declareDead(p, &io) }
            case .swim:
                if peers[p].status == .suspect && now - peers[p].since > suspicionTimeout {
                    declareDead(p, &io)
                }
            }
        }
    }

    /// multiplier × max(1, log10 n) protocol periods, as memberlist computes it.
    public var suspicionTimeout: SimTime {
        let scale = max(1, log10Floor(size))
        return SimTime(config.suspicionMultiplier * scale) * config.interval
    }

    func log10Floor(_ n: Int) -> Int { var k = 0, v = n; while v >= 10 { v /= 10; k += 1 }; return k }

    public mutating func receive(_ m: Message, from peer: NodeID, _ io: inout NodeIO<Self>) {
        handle(m, from: peer, &io)
        armCheck(&io)
    }

    mutating func handle(_ m: Message, from peer: NodeID, _ io: inout NodeIO<Self>) {
        switch m {
        case .heartbeat:
            heard(peer, &io)
        case .table(let theirs):
            // The sender's table arrived: a tick on its time line, as a heartbeat would be.
            peers[peer].arrivals.append(io.trueNow)
            if peers[peer].arrivals.count > 16 { peers[peer].arrivals.removeFirst() }
            for k in theirs.indices where k < peers.count && k != id && theirs[k] > peers[k].counter {
                peers[k].counter = theirs[k]
                peers[k].counterChangedAt = io.localNow
                if peers[k].status != .alive { setStatus(k, .alive, &io, why: "its counter moved to \(theirs[k])") }
            }
        case let .ping(s, updates):
            absorb(updates, &io)
            io.send(.ack(seq: s, piggyback()), to: peer)
        case let .ack(s, updates):
            absorb(updates, &io)
            if var p = probe, p.seq == s, !p.acked {
                p.acked = true; probe = p
                io.cancelTimer(.ackTimeout)   // no "ack timeout" in the log for a probe that was answered
            }
            if let k = relays.firstIndex(where: { $0.seq == s }) {
                let r = relays.remove(at: k)
                io.send(.ack(seq: r.originSeq, piggyback()), to: r.origin)
            }
        case let .pingReq(s, target, updates):
            absorb(updates, &io)
            seq += 1
            relays.append((seq, peer, s))
            if relays.count > 32 { relays.removeFirst() }
            io.send(.ping(seq: seq, piggyback()), to: target)
        }
    }

    /// A heartbeat from `p`: a new sample for φ, and proof of life.
    mutating func heard(_ p: NodeID, _ io: inout NodeIO<Self>) {
        let now = io.localNow
        if peers[p].history.count == 0 {
            peers[p].history.start(expected: config.interval, window: config.phiWindow)
        } else {
            peers[p].history.add(Double(now - peers[p].lastHeard), window: config.phiWindow)
        }
        peers[p].lastHeard = now
        if config.detector == .phi { peers[p].phiCrossing = phiCrossing(p) }
        peers[p].arrivals.append(io.trueNow)
        if peers[p].arrivals.count > 16 { peers[p].arrivals.removeFirst() }
        if peers[p].status != .alive { setStatus(p, .alive, &io, why: "a heartbeat arrived") }
    }

    // MARK: Beliefs

    mutating func suspect(_ p: NodeID, incarnation inc: Int, _ io: inout NodeIO<Self>) {
        peers[p].incarnation = max(peers[p].incarnation, inc)
        let why: String
        switch config.detector {
        case .swim: why = "no ack, direct or indirect"
        case .phi: why = "φ passed \(Int(config.phiThreshold))"
        case .gossip: why = "its counter has not moved for \(config.timeout / 1_000_000) s"
        case .heartbeat: why = "no heartbeat for \(config.timeout / 1_000_000) s"
        }
        setStatus(p, .suspect, &io, why: why)
        suspicionCount += 1
        suspicions.append(Suspicion(peer: p, at: io.trueNow))
        if suspicions.count > 256 { suspicions.removeFirst() }
        if config.detector == .swim { enqueue(MemberUpdate(member: p, status: .suspect, incarnation: peers[p].incarnation)) }
    }

    mutating func declareDead(_ p: NodeID, _ io: inout NodeIO<Self>) {
        setStatus(p, .dead, &io, why: "no refutation in time")
        if config.detector == .swim { enqueue(MemberUpdate(member: p, status: .dead, incarnation: peers[p].incarnation)) }
    }

    mutating func setStatus(_ p: NodeID, _ s: MemberStatus, _ io: inout NodeIO<Self>, why: String) {
        guard peers[p].status != s else { return }
        peers[p].status = s
        peers[p].since = io.localNow
        io.note("\(s == .alive ? "trusts" : s == .suspect ? "suspects" : "declares dead") \(nodeName(p)): \(why)")
    }

    /// SWIM's rules: a higher incarnation wins; at the same one, dead beats suspect beats alive.
    /// A suspicion of this member is refuted with a new incarnation.
    mutating func absorb(_ updates: [MemberUpdate], _ io: inout NodeIO<Self>) {
        for u in updates where u.member >= 0 && u.member < size {
            if u.member == id {
                if u.status != .alive && u.incarnation >= incarnation {
                    incarnation = u.incarnation + 1
                    io.note("refutes being \(u.status.rawValue): incarnation \(incarnation)")
                    enqueue(MemberUpdate(member: id, status: .alive, incarnation: incarnation))
                }
                continue
            }
            let known = peers[u.member]
            let newer: Bool
            switch u.status {
            case .alive: newer = u.incarnation > known.incarnation
            case .suspect: newer = (known.status == .alive && u.incarnation >= known.incarnation) || u.incarnation > known.incarnation
            case .dead: newer = known.status != .dead && u.incarnation >= known.incarnation
            }
            guard newer else { continue }
            peers[u.member].incarnation = u.incarnation
            setStatus(u.member, u.status, &io, why: "heard \(u)")
            enqueue(u)
        }
    }

    mutating func enqueue(_ u: MemberUpdate) {
        pending.removeAll { $0.update.member == u.member }
        var digits = 1, v = size + 1
        while v >= 10 { v /= 10; digits += 1 }
        pending.append((u, config.retransmitMultiplier * digits))
    }

    /// Up to six updates ride on each message, those with the most sends left first.
    mutating func piggyback() -> [MemberUpdate] {
        guard !pending.isEmpty else { return [] }
        let order = pending.indices.sorted { pending[$0].left > pending[$1].left }.prefix(6)
        var out: [MemberUpdate] = []
        for k in order { out.append(pending[k].update); pending[k].left -= 1 }
        pending.removeAll { $0.left <= 0 }
        return out
    }

    /// `k` distinct members, not this one, not `excluding`, not believed dead.
    mutating func randomMembers(_ k: Int, excluding: NodeID?, _ io: inout NodeIO<Self>) -> [NodeID] {
        let candidates = peers.indices.filter { $0 != id && $0 != excluding && peers[$0].status != .dead }
        guard !candidates.isEmpty else { return [] }
        var chosen: [NodeID] = []
        var pool = candidates
        while chosen.count < k, !pool.isEmpty {
            chosen.append(pool.remove(at: io.random(below: pool.count)))
        }
        return chosen
    }
}
