import Testing
@testable import Simulation

/// A node whose one timer is armed from outside (`poke`), recording when it fires.
private struct Watchdog: NodeModel {
    enum Message: String, Sendable, CustomStringConvertible { case none; var description: String { rawValue } }
    enum Timer: Int, TimerKind {
        case alarm
        var description: String { "alarm" }
        static let slotCount = 1
    }
    let id: NodeID
    var fired: [SimTime] = []
    init(id: NodeID, clusterSize: Int, config: Void) { self.id = id }
    mutating func boot(_ io: inout NodeIO<Self>) {}
    mutating func receive(_ m: Message, from: NodeID, _ io: inout NodeIO<Self>) {}
    mutating func fire(_ t: Timer, _ io: inout NodeIO<Self>) { fired.append(io.trueNow) }
    mutating func crash() {}
}

/// Re-arming a timer for later keeps its queued key, which carries the new arming forward when
/// it comes up; these check the timer still fires exactly when its last arming says.
@Suite struct TimerTests {
    fileprivate func cluster() -> Cluster<Watchdog> { Cluster<Watchdog>(size: 1, config: (), seed: 1) }

    fileprivate func arm(_ c: inout Cluster<Watchdog>, after d: SimTime, busy: SimTime = 0) {
        c.poke(0) { _, io in io.setTimer(.alarm, after: d); io.busy(for: busy) }
    }

    @Test func aTimerPushedBackFiresOnceAtItsLastDeadline() {
        var c = cluster()
        arm(&c, after: 100_000)
        for t in stride(from: 20_000, through: 400_000, by: 20_000) {   // a heartbeat every 20 ms
            c.advance(to: SimTime(t))
            arm(&c, after: 100_000)
        }
        c.advance(to: 1_000_000)
        #expect(c.nodes[0].fired == [500_000])
        #expect(c.nextEventTime == nil)
    }

    @Test func aTimerBroughtForwardFiresAtTheEarlierDeadline() {
        var c = cluster()
        arm(&c, after: 300_000)
        c.advance(to: 50_000)
        arm(&c, after: 10_000)
        #expect(c.nextEventTime == 60_000)
        c.advance(to: 1_000_000)
        #expect(c.nodes[0].fired == [60_000])
    }

    @Test func cancelledThenArmedAgainFiresOnlyForTheNewArming() {
        var c = cluster()
        arm(&c, after: 100_000)
        c.advance(to: 30_000)
        c.poke(0) { _, io in io.cancelTimer(.alarm) }
        c.advance(to: 150_000)
        #expect(c.nodes[0].fired.isEmpty)
        arm(&c, after: 100_000)
        c.advance(to: 1_000_000)
        #expect(c.nodes[0].fired == [250_000])
    }

    /// The key came up while the node was busy (the timer waits its turn); re-armed meanwhile,
    /// the timer must queue a key of its own: the one that came up is gone.
    @Test func aTimerReArmedAfterItsKeyCameUpWhileBusyStillFires() {
        var c = cluster()
        arm(&c, after: 100_000, busy: 200_000)     // due at 100 ms, but busy until 200 ms
        c.advance(to: 150_000)
        #expect(c.waiting(at: 0) == 1)
        arm(&c, after: 100_000)                    // now due at 250 ms
        c.advance(to: 1_000_000)
        #expect(c.nodes[0].fired == [250_000])
    }

    @Test func theQueueHoldsOneKeyPerTimerHoweverOftenItIsPushedBack() {
        var c = cluster()
        for t in 0..<1_000 {
            c.advance(to: SimTime(t) * 1_000)
            arm(&c, after: 50_000)
        }
        #expect(c.queue.count == 1)
    }
}
