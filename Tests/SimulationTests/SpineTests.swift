import Testing
@testable import Simulation

/// Pause, busy time, random streams, the digest, the event queue and `run(until:)`.
@Suite struct SpineTests {
    func cluster(_ config: PingNode.Config = .init(), seed: UInt64 = 1) -> Cluster<PingNode> {
        Cluster<PingNode>(size: 2, config: config, seed: seed, network: Network(latency: .fixed(10_000)))
    }

    @Test func aPausedNodeQueuesWhatArrivesAndHandlesItOnResume() {
        var c = cluster()
        c.pause(1)
        #expect(c.state(of: 1) == .paused && c.isUp[1])
        c.advance(to: 350_000)                       // pings at 110, 210, 310 ms arrive while paused
        #expect(c.nodes[1].received.isEmpty)
        #expect(c.waiting(at: 1) == 3)
        c.resume(1)
        c.advance(to: 350_000)
        #expect(c.nodes[1].received.map(\.1) == [350_000, 350_000, 350_000])   // all handled at resume
        #expect(c.waiting(at: 1) == 0)
        c.advance(to: 361_000)
        #expect(c.nodes[0].received.count == 3)       // the three pongs come back
    }

    @Test func overdueTimersFireWhenATimedPauseEnds() {
        var c = cluster()
        c.pause(0, for: 250_000)                      // the pinger's 100 ms tick falls due at 100 and stays due
        c.advance(to: 249_999)
        #expect(c.journal.entries.filter { $0.kind == .timer }.isEmpty)
        c.advance(to: 250_000)
        #expect(c.state(of: 0) == .up)
        let fired = c.journal.entries.filter { $0.kind == .timer }.map(\.time)
        #expect(fired == [250_000])                   // once, late: the node missed its beat
        c.advance(to: 260_000)
        #expect(c.nodes[1].received.map(\.1) == [260_000])
    }

    @Test func aResumeByHandOutdatesTheTimedEnd() {
        var c = cluster()
        c.pause(1, for: 500_000)
        c.advance(to: 100_000)
        c.resume(1)
        c.pause(1)                                    // paused again, with no end
        c.advance(to: 600_000)
        #expect(c.state(of: 1) == .paused)            // the old timed end did not wake it
    }

    @Test func aCrashEmptiesTheInbox() {
        var c = cluster()
        c.pause(1)
        c.advance(to: 250_000)
        #expect(c.waiting(at: 1) == 2)
        c.crash(1)
        c.restart(1)
        c.advance(to: 250_000)
        #expect(c.waiting(at: 1) == 0 && c.nodes[1].received.isEmpty)
    }

    @Test func busyTimeMakesMessagesWaitTheirTurn() {
        // n2 works 250 ms on each ping; pings come every 100 ms, so they queue and answers space out.
        var c = cluster(.init(period: 100_000, service: 250_000))
        c.advance(to: 1_000_000)
        let handled = c.nodes[1].received.map(\.1)
        #expect(handled.prefix(4) == [110_000, 360_000, 610_000, 860_000])
        #expect(c.waiting(at: 1) >= 4)               // the queue grows: arrivals outpace service
    }

    @Test func partitionsAreStoredPerNodeAndRangesWork() {
        var n = Network()
        n.partition([[0, 1], [3, 4]], oneWay: false, size: 5)
        #expect(n.isCut(Link(0, 3)) && n.isCut(Link(4, 1)))
        #expect(!n.isCut(Link(0, 1)) && !n.isCut(Link(2, 0)) && !n.isCut(Link(4, 2)))   // n3 bridges
        n.partition([[0], [1, 2]], oneWay: true, size: 5)                                 // replaces
        #expect(n.isCut(Link(0, 1)) && !n.isCut(Link(1, 0)) && !n.isCut(Link(0, 3)))
        n.isolate(4, size: 5)
        #expect(n.isCut(Link(4, 3)) && n.isCut(Link(3, 4)))
        n.heal()
        #expect(!n.anyCut && !n.isCut(Link(4, 3)))
    }

    @Test func eachNodeHasItsOwnRandomStream() {
        // Streams of one seed are different from each other and the same every time.
        let a = (0..<4).map { (k: UInt64) -> UInt64 in var r = SplitMix64.stream(9, k); return r.next() }
        let b = (0..<4).map { (k: UInt64) -> UInt64 in var r = SplitMix64.stream(9, k); return r.next() }
        #expect(a == b && Set(a).count == 4)
        // A node that draws more does not change what another node draws.
        var quiet = Cluster<DiceNode>(size: 3, config: .init(greedy: nil), seed: 5)
        var greedy = Cluster<DiceNode>(size: 3, config: .init(greedy: 0), seed: 5)
        quiet.advance(to: 1_000_000); greedy.advance(to: 1_000_000)
        #expect(quiet.nodes[1].rolls == greedy.nodes[1].rolls && quiet.nodes[2].rolls == greedy.nodes[2].rolls)
        #expect(quiet.nodes[0].rolls != greedy.nodes[0].rolls)
    }

    /// Note texts go into the digest eight bytes at a time: every byte, its place and the
    /// length still count ("ab" and "ab\0", texts that differ only in their ninth byte).
    @Test func theDigestSeesEveryByteOfANote() {
        func digest(_ texts: [String]) -> UInt64 {
            var j = Journal<Int>(.off)
            for t in texts { j.append(time: 5, kind: .note, node: 1, text: t) }
            return j.digest
        }
        let texts = ["", "a", "ab", "ab\0", "ba", "12345678", "123456789", "123456780", "became candidate (term 3)", "became candidate (term 4)", "é", "e\u{301}"]
        #expect(Set(texts.map { digest([$0]) }).count == texts.count)
        #expect(digest(["became leader"]) == digest(["became leader"]))
        #expect(digest(["ab", "c"]) != digest(["a", "bc"]))
    }

    @Test func theDigestIsTheSameWhateverTheJournalKeeps() {
        func digest(_ mode: Journal<PingNode.Message>.Mode, seed: UInt64) -> (UInt64, Int) {
            var c = Cluster<PingNode>(size: 2, config: .init(), seed: seed,
                                      network: Network(latency: .uniform(5_000, 30_000)), journal: Journal(mode))
            c.advance(to: 5_000_000)
            return (c.journal.digest, c.journal.count)
        }
        let everything = digest(.everything, seed: 3)
        #expect(everything == digest(.off, seed: 3))
        #expect(everything == digest(.bounded(10), seed: 3))
        #expect(everything.0 != digest(.everything, seed: 4).0)
    }

    @Test func theEventQueuePopsInTimeThenSequenceOrder() {
        var q = EventQueue()
        var rng = SplitMix64(seed: 11)
        var keys: [EventKey] = []
        for s in 1...2_000 {
            // Envelope slots are ≥ 0, timer codes < 0: both come back as they went in.
            let k = EventKey(time: rng.next(in: 0...50), seq: UInt64(s), what: s % 2 == 0 ? s * 4_001 : -s * 4_001)
            keys.append(k); q.insert(k)
        }
        var popped: [EventKey] = []
        while let k = q.popMin() { popped.append(k) }
        #expect(popped == keys.sorted { ($0.time, $0.seq) < ($1.time, $1.seq) })
    }

    /// A copy of a queue (a cluster's checkpoint) is a value: what one does, the other does not see.
    @Test func aCopiedQueueIsIndependent() {
        var a = EventQueue()
        for s in 1...100 { a.insert(EventKey(time: SimTime(100 - s), seq: UInt64(s), what: -s)) }
        var b = a
        for _ in 0..<60 { b.popMin() }
        b.insert(EventKey(time: -1, seq: 1_000, what: 7))
        var c = b
        c.insert(EventKey(time: -2, seq: 1_001, what: 8))
        #expect(a.count == 100 && a.min == EventKey(time: 0, seq: 100, what: -100))
        #expect(b.count == 41 && b.min == EventKey(time: -1, seq: 1_000, what: 7))
        #expect(c.count == 42 && c.min == EventKey(time: -2, seq: 1_001, what: 8))
        var fromA: [Int] = []
        while let k = a.popMin() { fromA.append(k.what) }
        #expect(fromA == (1...100).reversed().map { -$0 })
    }

    /// Pops interleaved with inserts, as a simulation does them: every key at or after the last
    /// one popped, many at the same time, some re-queued under an older number.
    @Test func theEventQueueKeepsTimeThenSequenceOrderWhileItIsUsed() {
        var q = EventQueue()
        var model: [EventKey] = []
        var rng = SplitMix64(seed: 5)
        var now: SimTime = 0, seq: UInt64 = 0, popped = 0
        for round in 0..<20_000 {
            for _ in 0..<rng.next(in: 0...2) {
                seq += 2
                // Mostly near, sometimes far, often exactly now (ties are the hard part).
                let ahead: SimTime = rng.chance(ppm: 300_000) ? 0 : rng.chance(ppm: 50_000) ? rng.next(in: 0...(1 << 40)) : rng.next(in: 0...5_000)
                // Odd numbers are never given out fresh, so an older one is still unique.
                let reused = round % 97 == 0 && seq > 10 ? seq - 9 : seq
                let k = EventKey(time: now + ahead, seq: reused, what: Int(seq))
                q.insert(k); model.append(k)
            }
            #expect(q.count == model.count)
            guard let i = model.indices.min(by: { EventKey.precedes(model[$0], model[$1]) }) else { continue }
            #expect(q.min == model[i])
            let k = q.popMin()
            #expect(k == model.remove(at: i))
            now = k?.time ?? now
            popped += 1
        }
        while let k = q.popMin() {
            let i = model.indices.min { EventKey.precedes(model[$0], model[$1]) }!
            #expect(k == model.remove(at: i))
        }
        #expect(model.isEmpty && q.isEmpty && popped > 10_000)
    }

    @Test func theWireRefusesMessagesBeyondItsLimitAndARunMayRaiseIt() {
        var c = cluster()
        c.inFlightLimit = 4
        c.poke(0) { _, io in for _ in 0..<10 { io.send(.ping, to: 1) } }
        #expect(c.inFlightCount == 4 && c.saturated == 6)
        #expect(c.journal.entries.contains { $0.text.contains("network saturated: 4 messages") })
        var roomy = cluster()
        roomy.inFlightLimit = 20
        roomy.poke(0) { _, io in for _ in 0..<10 { io.send(.ping, to: 1) } }
        #expect(roomy.inFlightCount == 10 && roomy.saturated == 0)
        #expect(cluster().inFlightLimit == Cluster<PingNode>.maxInFlight)
    }

    /// Until a clock is set, handlers read true time without touching the clocks; a clock set
    /// mid-run (one element of the array) must still be read from then on.
    @Test func aClockSetMidRunIsReadByTheNextHandler() {
        var c = cluster()
        c.advance(to: 150_000)
        #expect(c.nodes[1].received.map(\.1) == [110_000])
        c.clocks[1].offset = 7_000
        c.advance(to: 250_000)
        #expect(c.nodes[1].received.map(\.1) == [110_000, 217_000])
        c.clocks[0].setDrift(100_000, at: c.now)   // n1 runs 10 % fast: its next 100 ms tick takes 90.9 ms
        c.advance(to: 401_000)
        // The tick armed at 200 ms still fires at 300 (sent, arriving at 310); the one armed
        // then fires at 390.909 ms and arrives 10 ms later, read on n2's clock 7 ms ahead.
        let expected: [SimTime] = [110_000, 217_000, 317_000, 407_909]
        #expect(c.nodes[1].received.map(\.1) == expected)
    }

    @Test func runUntilStopsAtTheEventThatMadeItTrueOrAtTheDeadline() {
        var c = cluster()
        #expect(c.run(until: { $0.nodes[0].received.count == 2 }, within: 1_000_000) == .met)
        #expect(c.now == 220_000)
        #expect(c.run(until: { $0.nodes[0].received.count == 100 }, within: 500_000) == .timedOut)
        #expect(c.now == 720_000)
        #expect(c.run(until: { _ in false }, within: 10_000_000, maxEvents: 3) == .eventLimit)
        #expect(c.inFlightCount == c.inFlight.count && c.upCount == 2)
    }

    @Test func peersAreEveryoneElseWithoutAList() {
        #expect(Array(Peers(of: 2, in: 5)) == [0, 1, 3, 4])
        #expect(Array(Peers(of: 0, in: 1)).isEmpty)
    }
}

/// Each node rolls a die on every tick; node `greedy` rolls twice.
struct DiceNode: NodeModel {
    enum Message: Sendable, CustomStringConvertible { case none; var description: String { "none" } }
    enum Timer: Int, TimerKind {
        case tick
        var description: String { "tick" }
        static let slotCount = 1
    }
    struct Config: Sendable { var greedy: NodeID? }
    let id: NodeID
    let config: Config
    var rolls: [SimTime] = []
    init(id: NodeID, clusterSize: Int, config: Config) { self.id = id; self.config = config }
    mutating func boot(_ io: inout NodeIO<Self>) { io.setTimer(.tick, after: 100_000) }
    mutating func receive(_ m: Message, from: NodeID, _ io: inout NodeIO<Self>) {}
    mutating func fire(_ t: Timer, _ io: inout NodeIO<Self>) {
        rolls.append(io.random(in: 1...6))
        if config.greedy == id { rolls.append(io.random(in: 1...6)) }
        io.setTimer(.tick, after: 100_000)
    }
    mutating func crash() {}
}

/// A node that dies inside its handler, between two sends (a lesson's "crash after commit,
/// before publish"): what it asked for before the crash happens, nothing after it does.
struct HalfwayNode: NodeModel {
    enum Message: String, Sendable, CustomStringConvertible { case before, after, go; var description: String { rawValue } }
    enum Timer: Int, TimerKind {
        case later
        var description: String { "later" }
        static let slotCount = 1
    }
    struct Config: Sendable {}
    let id: NodeID
    var got: [Message] = []
    var committed = 0
    init(id: NodeID, clusterSize: Int, config: Config) { self.id = id }
    mutating func boot(_ io: inout NodeIO<Self>) {}
    mutating func receive(_ m: Message, from: NodeID, _ io: inout NodeIO<Self>) {
        got.append(m)
        guard m == .go else { return }
        committed += 1
        io.send(.before, to: 1)
        io.crashHere()
        io.send(.after, to: 1)
        io.setTimer(.later, after: 1_000)
    }
    mutating func fire(_ t: Timer, _ io: inout NodeIO<Self>) { io.send(.after, to: 1) }
    mutating func crash() {}
}

@Suite struct CrashInsideAHandlerTests {
    @Test func effectsBeforeTheCrashHappenAndNoneAfter() {
        var c = Cluster<HalfwayNode>(size: 2, config: HalfwayNode.Config(), seed: 1)
        c.poke(1) { _, io in io.send(.go, to: 0) }
        c.advance(to: 1_000_000)
        #expect(!c.isUp[0])
        #expect(c.nodes[0].committed == 1)          // what it did to its own state stays
        #expect(c.nodes[1].got == [.before])        // the send before the crash went out
        #expect(c.timer(.later, of: 0) == nil)      // the timer after it was never armed
    }
}
