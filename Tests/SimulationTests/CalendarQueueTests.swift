import Testing
@testable import Simulation

/// The event queue past `calendarFrom` keys, where it keeps most keys in time-slice buckets:
/// whatever the keys' spread, it must pop exactly what one plain heap of every key pops.
@Suite struct CalendarQueueTests {
    /// Runs `rounds` pops, each after `insert` has queued what the popped key leads to, on the
    /// queue and on a plain heap side by side; returns how many keys agreed.
    func agree(seed: UInt64, start: [EventKey], rounds: Int,
               insert: (EventKey, inout SplitMix64, inout UInt64) -> [EventKey]) -> (agreed: Int, calendar: Bool) {
        var q = EventQueue(), heap = KeyHeap(), rng = SplitMix64(seed: seed)
        var seq = UInt64(start.count), agreed = 0, sawCalendar = false
        for k in start { q.insert(k); heap.insert(k) }
        for _ in 0..<rounds {
            guard !heap.isEmpty else { break }
            #expect(q.count == heap.count && q.min == heap.min)
            let expected = heap.popMin()
            guard let got = q.popMin(), got == expected else { Issue.record("popped \(String(describing: q.min)) for \(expected)"); break }
            agreed += 1
            sawCalendar = sawCalendar || q.usesCalendar
            for k in insert(got, &rng, &seq) { q.insert(k); heap.insert(k) }
        }
        while !heap.isEmpty {
            let expected = heap.popMin()
            guard q.popMin() == expected else { Issue.record("draining: expected \(expected)"); break }
            agreed += 1
        }
        #expect(q.isEmpty && q.popMin() == nil)
        return (agreed, sawCalendar)
    }

    func key(_ t: SimTime, _ seq: inout UInt64) -> EventKey { seq += 1; return EventKey(time: t, seq: seq, what: Int(seq)) }

    /// 20,000 gossiping nodes: a timer each, a period apart with its own phase, and the
    /// messages a firing sends, a few milliseconds long.
    @Test func gossipTimersAndMessagesComeOutInHeapOrder() {
        var rng = SplitMix64(seed: 1), seq: UInt64 = 0
        let start = (0..<20_000).map { _ in key(rng.next(in: 0...1_000_000), &seq) }
        let r = agree(seed: 2, start: start, rounds: 120_000) { k, rng, seq in
            guard k.what % 3 != 0 else { return [] }  // a message arrives and sends nothing
            return [self.key(k.time + 1_000_000, &seq), self.key(k.time + rng.next(in: 2_000...9_000), &seq)]
        }
        #expect(r.calendar && r.agreed >= 120_000)
    }

    /// Strict rounds: every node's timer at the same instant, so one slice holds them all and
    /// only the sequence numbers order them.
    @Test func keysAtOneInstantComeOutInTheOrderTheyWereQueued() {
        var seq: UInt64 = 0
        let start = (0..<10_000).map { _ in key(5_000, &seq) }
        let r = agree(seed: 3, start: start, rounds: 40_000) { k, _, seq in [self.key(k.time + 1_000, &seq)] }
        #expect(r.calendar && r.agreed >= 40_000)
    }

    /// Strict rounds with replies: every timer at one instant (so slices of a microsecond), each
    /// firing sending a message 10 to 15 ms later, well past a thousand slices ahead.
    @Test func repliesFarPastOneInstantComeOutInHeapOrder() {
        var seq: UInt64 = 0
        let start = (0..<8_000).map { _ in key(1_000_000, &seq) }
        let r = agree(seed: 6, start: start, rounds: 60_000) { k, rng, seq in
            guard k.what % 2 == 1 else { return [] }  // a reply arrives
            return [self.key(k.time + 200_000, &seq), self.key(k.time + rng.next(in: 10_000...15_000), &seq)]
        }
        #expect(r.calendar && r.agreed >= 60_000)
    }

    /// Spreads the calendar cannot be laid out for: most keys near, a few days ahead, some at
    /// the very end of time, negative times, and long stretches where only far keys are left.
    @Test func farAndUnevenKeysComeOutInHeapOrder() {
        var rng = SplitMix64(seed: 4), seq: UInt64 = 0
        var start = (0..<6_000).map { _ in key(rng.next(in: -50_000...50_000), &seq) }
        start += (0..<200).map { _ in key(rng.next(in: (1 << 40)...(1 << 41)), &seq) }
        start += (0..<5).map { _ in key(SimTime.max - rng.next(in: 0...3), &seq) }
        let r = agree(seed: 5, start: start, rounds: 200_000) { k, rng, seq in
            guard k.time < 1 << 39 else { return [] }
            switch rng.next(in: 0...9) {
            case 0: return []
            case 1: return [self.key(k.time, &seq), self.key(k.time + rng.next(in: 0...(1 << 36)), &seq)]
            case 2: return [self.key(k.time + rng.next(in: 0...3), &seq)]
            default: return [self.key(k.time + rng.next(in: 1...200_000), &seq)]
            }
        }
        #expect(r.calendar && r.agreed > 200_000)
    }

    /// Keys at the very end of time, all at one instant (slices of one microsecond): the slice
    /// after the last one does not exist, and the queue must not try to reach it.
    @Test func keysAtTheEndOfTimeComeOutInOrder() {
        var seq: UInt64 = 0
        let start = (0..<5_000).map { _ in key(SimTime.max - SimTime(seq % 2), &seq) }
        let r = agree(seed: 7, start: start, rounds: 8_000) { k, _, seq in
            k.what % 3 == 0 ? [self.key(SimTime.max, &seq)] : []
        }
        #expect(r.calendar && r.agreed >= 5_000)
    }

    /// Emptied, the queue drops back to a plain heap; filled again, it lays the calendar out
    /// anew; a copy taken in calendar mode is a value like any other.
    @Test func aCalendarQueueEmptiesRefillsAndCopiesAsAValue() {
        var q = EventQueue(), seq: UInt64 = 0
        for round in 0..<2 {
            for i in 0..<5_000 { q.insert(key(SimTime(i * 37 % 5_000) + SimTime(round) * 1_000_000_000, &seq)) }
            #expect(q.usesCalendar)
            var copy = q
            for _ in 0..<2_500 { copy.popMin() }
            copy.insert(EventKey(time: -1, seq: 0, what: -7))
            #expect(q.count == 5_000 && q.min?.time == SimTime(round) * 1_000_000_000)
            #expect(copy.count == 2_501 && copy.min?.what == -7)
            var last = EventKey(time: .min, seq: 0, what: 0)
            while let k = q.popMin() {
                #expect(EventKey.precedes(last, k))
                last = k
            }
            #expect(!q.usesCalendar && q.isEmpty)
        }
    }
}
