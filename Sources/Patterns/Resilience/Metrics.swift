import Simulation

/// A service's measurements over the last seconds of simulated time, in buckets of a quarter of
/// a second: arrivals, completions, time spent in the system, requests in the system integrated
/// over time, and a latency histogram per bucket. Everything the screen plots and every number a
/// lesson asks about (throughput, p50, p99, and both sides of Little's law) is read from here,
/// so it is measured, never computed from the settings.
public struct Metrics: Sendable, Equatable {
    public static let bucketWidth: SimTime = 250_000
    public static let kept = 64
    /// Histogram bins: ten to an octave from 1 ms (a percentile is read to within 7 %), up to
    /// about two minutes; bin 0 holds everything under 1 ms.
    public static let bins = 172
    /// Buckets that keep a histogram: the last six seconds, enough for every window read.
    public static let histKept = 24

    /// One ring slot: a quarter second's counts. All of a bucket's counts sit in one place (a
    /// cache line), so recording a request writes to one list, not up to nine: each write to a
    /// list first checks that the list is not shared, and with a list per count that was a
    /// third of the instructions `Metrics` took on the resilience benchmark.
    struct Bucket: Sendable, Equatable {
        /// Which bucket number this ring slot holds (-1: none yet).
        var number: Int64 = -1
        var arrivals: Int32 = 0
        var completed: Int32 = 0    // served: worked on and answered (the percentiles' requests)
        var departed: Int32 = 0     // every request that left after being let in (Little's law's)
        var offered: Int32 = 0      // every request at the door, refused ones too
        var ok: Int32 = 0
        var sojourn: Int64 = 0      // µs, summed over departures
        var area: Int64 = 0         // µs × requests in the system
        /// p50 and p99 (µs, -1: none), worked out when the bucket's histogram row is reused.
        var p50: Int64 = -1, p99: Int64 = -1

        /// A request that was let in left: one write to the ring for all its counts.
        @inline(__always) mutating func leave(took: SimTime, served: Bool, succeeded: Bool) {
            departed += 1
            sojourn += took
            guard served else { return }
            completed += 1
            if succeeded { ok += 1 }
        }
    }
    var ring: [Bucket]
    var hist: [UInt16]        // histKept × bins, saturating
    var histBucket: [Int64]   // which bucket each histogram row holds
    /// The bucket the last `slot` and `histRow` gave, and where: nearly every request is
    /// recorded in the bucket the one before it was, and then neither list need be read (each
    /// read of a list from a mutating method first checks it is not shared). Nothing else
    /// clears a ring slot or a row, so the place still holds that bucket.
    var lastBucket: Int64 = -1, lastSlot = 0
    var lastHistBucket: Int64 = -1, lastHistRow = 0
    /// Requests in the system now (queued or being served), and since when that count held.
    public private(set) var inSystem = 0
    var changedAt: SimTime = 0
    /// The highest arrivals in one bucket seen so far (for retry storms).
    public private(set) var peakArrivals = 0
    /// Since the start: for long runs that check queueing theory.
    public private(set) var lifetime = Lifetime()
    public struct Lifetime: Sendable, Equatable {
        public var arrivals = 0, departed = 0
        /// µs summed over departures, and µs × requests in the system.
        public var sojourn: Int64 = 0, area: Int64 = 0
        public var since: SimTime = 0, until: SimTime = 0
    }

    public init() {
        ring = Array(repeating: Bucket(), count: Self.kept)
        hist = Array(repeating: 0, count: Self.histKept * Self.bins)
        histBucket = Array(repeating: -1, count: Self.histKept)
    }

    @inline(__always) static func bucket(_ t: SimTime) -> Int64 { t / bucketWidth }

    /// The ring slot for time `t`, cleared if it held an older bucket.
    @inline(__always) mutating func slot(_ t: SimTime) -> Int {
        let b = Self.bucket(t)
        if b == lastBucket { return lastSlot }
        let k = Int(b % Int64(Self.kept))
        if ring[k].number != b { ring[k] = Bucket(number: b) }
        lastBucket = b; lastSlot = k
        return k
    }

    /// Ring slot `k` holds bucket `b`.
    @inline(__always) func holds(_ k: Int, _ b: Int64) -> Bool { ring[k].number == b }

    /// The histogram row for time `t`, cleared if it held an older bucket.
    @inline(__always) mutating func histRow(_ t: SimTime) -> Int {
        let b = Self.bucket(t)
        if b == lastHistBucket { return lastHistRow }
        return newHistRow(b)
    }

    private mutating func newHistRow(_ b: Int64) -> Int {
        let k = Int(b % Int64(Self.histKept))
        lastHistBucket = b; lastHistRow = k
        if histBucket[k] != b {
            // The bucket leaving keeps its percentiles for the sparklines.
            let old = histBucket[k], oldSlot = Int(old % Int64(Self.kept))
            if old >= 0, holds(oldSlot, old) {
                let row = Array(hist[k * Self.bins..<(k + 1) * Self.bins]).map(Int.init)
                ring[oldSlot].p50 = Self.percentile(row, 0.5) ?? -1
                ring[oldSlot].p99 = Self.percentile(row, 0.99) ?? -1
            }
            histBucket[k] = b
            for j in 0..<Self.bins { hist[k * Self.bins + j] = 0 }
        }
        return k
    }

    /// Credits the time since the last change to the buckets it covers.
    @inline(__always) mutating func integrate(to now: SimTime) {
        // Most often the last change was in this same bucket: one slot to credit.
        if now >= changedAt, Self.bucket(changedAt) == Self.bucket(now) {
            let area = Int64(inSystem) * (now - changedAt)
            lifetime.area += area
            lifetime.until = max(lifetime.until, now)
            ring[slot(now)].area += area
            changedAt = now
            return
        }
        integrateAcross(to: now)
    }

    private mutating func integrateAcross(to now: SimTime) {
        lifetime.area += Int64(inSystem) * max(0, now - changedAt)
        lifetime.until = max(lifetime.until, now)
        var t = changedAt
        while t < now {
            let end = min(now, (Self.bucket(t) + 1) * Self.bucketWidth)
            if now - t > SimTime(Self.kept) * Self.bucketWidth { t = now - SimTime(Self.kept) * Self.bucketWidth; continue }
            let k = slot(t)
            ring[k].area += Int64(inSystem) * (end - t)
            t = end
        }
        changedAt = now
    }

    mutating func arrived(at now: SimTime) {
        integrate(to: now)
        let k = slot(now)
        ring[k].arrivals += 1
        lifetime.arrivals += 1
        inSystem += 1
    }

    /// A request reached the door, whether it is let in or refused (a retry storm's size).
    mutating func knocked(at now: SimTime) {
        let k = slot(now)
        ring[k].offered += 1
        peakArrivals = max(peakArrivals, Int(ring[k].offered))
    }

    /// A request that was let in left after `took`: `served` when it was worked on and
    /// answered (it counts in throughput and the percentiles), not when it was dropped from the
    /// queue or shed. Every departure counts for Little's law.
    mutating func left(at now: SimTime, took: SimTime, succeeded: Bool, served: Bool = true) {
        integrate(to: now)
        inSystem = max(0, inSystem - 1)
        let k = slot(now)
        ring[k].leave(took: took, served: served, succeeded: succeeded)
        lifetime.departed += 1
        lifetime.sojourn += took
        guard served else { return }
        let j = histRow(now) * Self.bins + Self.bin(took)
        if hist[j] < .max { hist[j] += 1 }
    }

    /// Forget requests in the system (a crash); the history stays (it is the observer's).
    mutating func reset(at now: SimTime) { integrate(to: now); inSystem = 0 }

    static func bin(_ us: SimTime) -> Int {
        guard us >= 1_000 else { return 0 }
        // Ten bins per octave above 1 ms: floor(10·log2(us/1000)) + 1.
        let octaves = log2(Double(us) / 1_000)
        return min(bins - 1, Int(octaves * 10) + 1)
    }
    /// The upper edge of a bin, in µs: what a percentile read from it reports.
    static func upperEdge(_ bin: Int) -> SimTime { bin == 0 ? 1_000 : SimTime(1_000 * pow(2, Double(bin) / 10)) }

    // MARK: Reading

    /// The buckets of the last `span` (whole buckets, the current one up to now), oldest first,
    /// and when the first of them began.
    func slots(now: SimTime, span: SimTime) -> (slots: [Int], from: SimTime) {
        let last = Self.bucket(now), first = max(0, last - max(1, span / Self.bucketWidth) + 1)
        return ((first...last).compactMap { b in
            let k = Int(b % Int64(Self.kept))
            return holds(k, b) ? k : nil
        }, first * Self.bucketWidth)
    }

    public struct Window: Sendable, Equatable {
        /// Requests let in, served, served ok, and gone (served, dropped or shed).
        public var arrivals = 0, completed = 0, ok = 0, departed = 0
        public var seconds = 0.0
        /// Mean requests in the system (L), arrivals per second (λ), mean time in system (W, s).
        public var meanInSystem = 0.0
        public var arrivalRate: Double { seconds > 0 ? Double(arrivals) / seconds : 0 }
        public var throughput: Double { seconds > 0 ? Double(completed) / seconds : 0 }
        public var meanSojourn = 0.0
        public var p50: SimTime?, p99: SimTime?
    }

    /// The last `span` of measurements (the current bucket counted up to `now`).
    public func window(now: SimTime, span: SimTime = 5_000_000) -> Window {
        var w = Window()
        let (slots, start) = slots(now: now, span: span)
        w.seconds = Double(now - start) / 1e6
        var merged = Array(repeating: 0, count: Self.bins)
        var sojournSum: Int64 = 0, areaSum: Int64 = 0
        for k in slots {
            let r = ring[k]
            w.arrivals += Int(r.arrivals); w.completed += Int(r.completed); w.ok += Int(r.ok); w.departed += Int(r.departed)
            sojournSum += r.sojourn; areaSum += r.area
            let h = Int(r.number % Int64(Self.histKept))
            guard histBucket[h] == r.number else { continue }
            for j in 0..<Self.bins { merged[j] += Int(hist[h * Self.bins + j]) }
        }
        // The time since the last change has not been credited yet.
        areaSum += Int64(inSystem) * (now - max(changedAt, start))
        w.meanInSystem = w.seconds > 0 ? Double(areaSum) / 1e6 / w.seconds : 0
        w.meanSojourn = w.departed > 0 ? Double(sojournSum) / 1e6 / Double(w.departed) : 0
        w.p50 = Self.percentile(merged, 0.50)
        w.p99 = Self.percentile(merged, 0.99)
        return w
    }

    static func percentile(_ h: [Int], _ q: Double) -> SimTime? {
        let n = h.reduce(0, +)
        guard n > 0 else { return nil }
        let rank = Int((Double(n) * q).rounded(.up))
        var seen = 0
        for (j, c) in h.enumerated() {
            seen += c
            if seen >= rank { return upperEdge(j) }
        }
        return upperEdge(h.count - 1)
    }

    /// One bucket as a sparkline shows it.
    public struct Point: Sendable, Equatable {
        public var throughput = 0.0
        /// Requests answered ok per second.
        public var ok = 0.0
        public var arrivals = 0
        public var p50: SimTime?, p99: SimTime?
        /// A bucket before time zero: nothing to plot, not a measured zero.
        public var beforeStart = false
    }

    /// The most requests answered ok per second in any bucket up to `now` still kept (the last
    /// 16 s): the scale a throughput plot keeps when it shows fewer seconds than that, so a
    /// service that slowed to a trickle is drawn low, not stretched to the plot's full height.
    public func peakOK(now: SimTime) -> Double {
        let last = Self.bucket(now)
        var best: Int32 = 0
        for back in 0..<Int64(Self.kept) where last - back >= 0 {
            let b = last - back, k = Int(b % Int64(Self.kept))
            if holds(k, b) { best = max(best, ring[k].ok) }
        }
        return Double(best) * 1e6 / Double(Self.bucketWidth)
    }

    /// Per bucket over the last `count` buckets, oldest first: completions per second, arrivals,
    /// and the bucket's own p50 and p99.
    public func series(now: SimTime, count: Int) -> [Point] {
        let last = Self.bucket(now)
        return (0..<count).reversed().map { back in
            let b = last - Int64(back)
            guard b >= 0 else { var p = Point(); p.beforeStart = true; return p }
            let k = Int(b % Int64(Self.kept))
            guard holds(k, b) else { return Point() }
            let r = ring[k]
            var p = Point(throughput: Double(r.completed) * 1e6 / Double(Self.bucketWidth),
                          ok: Double(r.ok) * 1e6 / Double(Self.bucketWidth), arrivals: Int(r.arrivals))
            let h = Int(b % Int64(Self.histKept))
            if histBucket[h] == b {
                let row = (0..<Self.bins).map { Int(hist[h * Self.bins + $0]) }
                p.p50 = Self.percentile(row, 0.5); p.p99 = Self.percentile(row, 0.99)
            } else {
                p.p50 = r.p50 >= 0 ? r.p50 : nil; p.p99 = r.p99 >= 0 ? r.p99 : nil
            }
            return p
        }
    }
}

import Foundation
