/// When an event happens and which it is: the queue orders these small plain values and
/// nothing else (the events they stand for live in the cluster's own tables).
public struct EventKey: HeapOrdered, Equatable {
    public var time: SimTime
    /// Ties at the same time go in the order events were scheduled, so runs are reproducible.
    public var seq: UInt64
    /// What the key stands for; the cluster decides how to read it.
    public var what: Int

    @inlinable @inline(__always)
    public static func precedes(_ a: EventKey, _ b: EventKey) -> Bool {
        a.time < b.time || (a.time == b.time && a.seq < b.seq)
    }
}

/// The simulator's future, earliest first (by time, then by the order keys were queued).
///
/// A small queue is one heap. A large one is a calendar: later keys wait unsorted in buckets,
/// one per slice of time (and, further ahead, one per block of 1,024 slices), and when a slice
/// comes up its keys are sorted once and popped in order, with a small heap beside them for
/// keys queued into the slice after it began. At 100,000 gossiping nodes the one heap held
/// every node's timer and each pop walked eight levels of it, most of them cache misses taken
/// one after another: a third of the run. With the calendar a key's trip is two appends and a place in a sorted slice, and the cluster can
/// see which events come next and load what they will touch. The keys come out in exactly the
/// order one heap gives: a slice is taken up only once every earlier key is gone.
public struct EventQueue: Sendable {
    /// The keys before `nearEnd`: those of the current slice sorted, from `runAt` on, and those
    /// queued into the slice after it began in `extra`. While the queue is small, no slice:
    /// every key is in `extra`. In calendar mode never both empty unless the queue is.
    private var run: [EventKey] = []
    private var runAt = 0
    private var extra = KeyHeap()
    private var calendar = false
    private var nearEnd = SimTime.max
    /// Time is cut in slices of `1 << shift`; slice `b` is in block `b >> TimeWheel.bits`. The fine wheel
    /// holds the keys of the current block's later slices, one bucket per slice; the coarse
    /// wheel those of the next 1,023 blocks, one bucket per block, handed down to the fine wheel
    /// when their block comes up. (A single ring reached only 1,024 slices ahead: with slices
    /// narrow enough for 100,000 timers at one instant, the replies 10 ms later lay beyond it,
    /// in a heap as large as the one the calendar replaced.)
    private var fine = TimeWheel()
    private var coarse = TimeWheel()
    private var shift: SimTime = 0
    private var block: SimTime = 0
    /// The first slice not yet taken up: `nearEnd == cursor << shift`.
    private var cursor: SimTime = 0
    /// Keys beyond the coarse wheel, taken into the wheels as blocks come up.
    private var later = KeyHeap()
    /// Pops since the calendar was laid out: laying out again costs a pass over every key, so
    /// it waits until as many keys have been popped (constant cost per key, however it goes).
    private var popped = 0
    private var sorter = SliceSorter()
    public private(set) var count = 0

    /// Below this a heap is in the cache anyway, and the calendar only adds work.
    static let calendarFrom = 4_096
    /// Keys a slice should hold: enough to make a slice worth its bookkeeping.
    static let bucketTarget = 128
    /// A slice with more keys than this means the slices are too wide for how keys are spread.
    static let tooFull = 1_024

    public init() {}

    public var isEmpty: Bool { count == 0 }

    /// (Inlined, as the small queue's `insert` and `popMin` are: a queue read through a call
    /// from a mutating method of the cluster was copied whole, 152 bytes, for every read, and
    /// 101-node Raft lost 6 %.)
    @inline(__always)
    public var min: EventKey? {
        guard calendar else { return extra.min }
        return runIsNext ? run[runAt] : extra.min
    }

    /// Whether the next key is the sorted slice's (else it is `extra`'s, or there is none).
    @inline(__always)
    private var runIsNext: Bool {
        guard runAt < run.count else { return false }
        guard let e = extra.min else { return true }
        return !EventKey.precedes(e, run[runAt])
    }

    /// The key `ahead` places after the earliest, as far as the current slice knows now (keys
    /// queued later may come between): a hint for loading what those events will touch.
    @inline(__always)
    public func upcoming(_ ahead: Int) -> EventKey? {
        runAt + ahead < run.count ? run[runAt + ahead] : nil
    }

    /// For tests: whether the keys are in the calendar now.
    var usesCalendar: Bool { calendar }

    @inline(__always)
    public mutating func insert(_ key: EventKey) {
        count += 1
        if !calendar {
            extra.insert(key)
            if extra.count >= Self.calendarFrom { layOut() }
        } else {
            insertInCalendar(key)
        }
    }

    private mutating func insertInCalendar(_ key: EventKey) {
        if key.time < nearEnd { extra.insert(key) } else { placeFar(key) }
    }

    @inline(__always) @discardableResult
    public mutating func popMin() -> EventKey? {
        guard count > 0 else { return nil }
        count -= 1
        guard calendar else { return extra.popMin() }
        return popCalendar()
    }

    private mutating func popCalendar() -> EventKey {
        let top: EventKey
        if runIsNext {
            top = run[runAt]
            runAt += 1
        } else {
            top = extra.popMin()
        }
        popped += 1
        if runAt == run.count && extra.isEmpty {
            if count == 0 { calendar = false; nearEnd = .max } else { nextSlice() }
        }
        return top
    }

    public mutating func removeMin() { popMin() }

    // MARK: The calendar

    /// A key at or after `nearEnd` into its wheel, or into `later` beyond them.
    @inline(__always)
    private mutating func placeFar(_ key: EventKey) {
        let b = key.time >> shift, k = b >> TimeWheel.bits
        if k == block {
            fine.add(key, at: Int(b & TimeWheel.mask))
        } else if UInt64(bitPattern: k &- block) < UInt64(TimeWheel.size) {
            // k > block here, so the wrapping difference read unsigned is the true distance.
            coarse.add(key, at: Int(k & TimeWheel.mask))
        } else {
            later.insert(key)
        }
    }

    /// The slice ran dry: the next slice that has keys is sorted and becomes the run.
    private mutating func nextSlice() {
        while fine.count == 0 { nextBlock() }
        let b = cursor + SimTime(fine.distanceToOccupied(from: Int(cursor & TimeWheel.mask)))
        run.removeAll(keepingCapacity: true)
        fine.take(Int(b & TimeWheel.mask), into: &run)
        runAt = 0
        cursor = Self.slice(after: b)
        nearEnd = start(ofSlice: cursor)
        sorter.sort(&run, slice: b, shift: shift)
        guard popped >= count else { return }
        if (run.count > Self.tooFull && shift > 0) || later.count > count / 2 + Self.calendarFrom { layOut() }
    }

    /// The current block is done: the next one that has keys comes down to the fine wheel.
    private mutating func nextBlock() {
        if coarse.count > 0 {
            block += 1 + SimTime(coarse.distanceToOccupied(from: Int((block + 1) & TimeWheel.mask)))
        } else {
            block = (later.min!.time >> shift) >> TimeWheel.bits
        }
        cursor = block << TimeWheel.bits
        var keys: [EventKey] = []
        coarse.take(Int(block & TimeWheel.mask), into: &keys)
        for k in keys { fine.add(k, at: Int((k.time >> shift) & TimeWheel.mask)) }
        while let k = later.min, UInt64(bitPattern: ((k.time >> shift) >> TimeWheel.bits) &- block) < UInt64(TimeWheel.size) {
            placeFar(later.popMin())
        }
    }

    /// Chooses the slices' width from how the keys are spread now, and sorts every key into
    /// the run, a wheel or `later` again.
    private mutating func layOut() {
        var all = Array(run[runAt...])
        all.reserveCapacity(count)
        all += extra.elements
        fine.drain(into: &all)
        coarse.drain(into: &all)
        all += later.elements
        run.removeAll(keepingCapacity: true)
        runAt = 0
        extra.removeAll()
        later.removeAll()
        shift = Self.sliceShift(all)
        let first = all.lazy.map(\.time).min()! >> shift
        block = first >> TimeWheel.bits
        cursor = Self.slice(after: first)
        nearEnd = start(ofSlice: cursor)
        calendar = true
        for k in all {
            if k.time < nearEnd { run.append(k) } else { placeFar(k) }
        }
        sorter.sort(&run, slice: first, shift: shift)
        popped = 0
        // Only at the end of time, where the first slice has no next to end it, can every key
        // have gone to the wheel.
        if run.isEmpty && extra.isEmpty { nextSlice() }
    }

    /// When slice `b` begins (the end of time for a slice past it).
    private func start(ofSlice b: SimTime) -> SimTime { b > SimTime.max >> shift ? .max : b << shift }

    /// The slice after `b`; at the very end of time, `b` itself (there is none after it).
    private static func slice(after b: SimTime) -> SimTime { b == .max ? b : b + 1 }

    /// log2 of a slice's width: wide enough that the middle 80 % of the keys, spread as a
    /// sample of them is, give `bucketTarget` keys to a slice. (The extremes are left out so
    /// that one far-off timer does not make every slice wide.)
    static func sliceShift(_ keys: [EventKey]) -> SimTime {
        let stride = Swift.max(1, keys.count / 64)
        let sample = Swift.stride(from: 0, to: keys.count, by: stride).map { keys[$0].time }.sorted()
        let span = Swift.max(1, sample[sample.count * 9 / 10] - sample[sample.count / 10])
        let width = span.multipliedReportingOverflow(by: SimTime(bucketTarget))
        let w = width.overflow ? SimTime.max : width.partialValue / SimTime(Swift.max(1, keys.count * 8 / 10))
        return SimTime(Swift.min(40, 63 - Swift.max(1, w).leadingZeroBitCount))
    }
}
