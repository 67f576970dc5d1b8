import Foundation
import Simulation

/// Hayashibara et al.'s phi accrual failure detector, as Akka's cluster implements it: a window
/// of heartbeat inter-arrival times, φ = −log10(P(the next heartbeat comes later than now)) under
/// a normal distribution of the window's mean (plus an acceptable pause) and deviation (at least
/// a minimum), with Akka's logistic approximation of the normal tail.
public struct PhiAccrual: Sendable, Equatable {
    /// Inter-arrival times in microseconds, oldest first once the ring has wrapped.
    var samples: [Int32] = []
    var next = 0
    var sum = 0.0
    var squares = 0.0

    public init() {}

    public var count: Int { samples.count }
    public var mean: Double { samples.isEmpty ? 0 : sum / Double(samples.count) }
    public var standardDeviation: Double {
        guard !samples.isEmpty else { return 0 }
        let m = mean
        return max(0, squares / Double(samples.count) - m * m).squareRoot()
    }

    /// The first heartbeat: Akka seeds the history with the expected interval ± a quarter of it,
    /// so φ means something before real samples exist.
    public mutating func start(expected: SimTime, window: Int) {
        let sd = Double(expected) / 4
        add(Double(expected) - sd, window: window)
        add(Double(expected) + sd, window: window)
    }

    public mutating func add(_ interval: Double, window: Int) {
        let v = Int32(clamping: Int64(interval.rounded()))
        if samples.count < window {
            samples.append(v)
        } else {
            let old = Double(samples[next])
            sum -= old; squares -= old * old
            samples[next] = v
            next = (next + 1) % window
        }
        sum += Double(v); squares += Double(v) * Double(v)
    }

    /// φ after `elapsed` microseconds without a heartbeat.
    public func phi(elapsed: SimTime, acceptablePause: SimTime, minStd: SimTime) -> Double {
        guard !samples.isEmpty else { return 0 }
        let m = mean + Double(acceptablePause)
        let sd = max(standardDeviation, Double(minStd))
        return Self.phi(elapsed: Double(elapsed), mean: m, std: sd)
    }

    /// Where φ would reach `threshold`, estimated from the logistic curve itself: p = e/(1+e)
    /// with e = exp(−y(1.5976 + 0.070566 y²)) is 10^−threshold where the cubic
    /// 0.070566 y³ + 1.5976 y + ln(q/(1−q)) = 0, q = 10^−threshold, has its one real root
    /// (a few steps of Newton's method). nil without samples or when the estimate is not finite.
    public func crossingEstimate(threshold: Double, acceptablePause: SimTime, minStd: SimTime) -> Double? {
        guard !samples.isEmpty else { return nil }
        let q = pow(10, -threshold)
        let l = log(q / (1 - q))
        var y = -l / 1.5976
        for _ in 0..<8 { y -= (0.070566 * y * y * y + 1.5976 * y + l) / (3 * 0.070566 * y * y + 1.5976) }
        let t = mean + Double(acceptablePause) + y * max(standardDeviation, Double(minStd))
        return t.isFinite ? t : nil
    }

    /// The silence after which φ first exceeds `threshold`: the smallest whole microsecond past
    /// it (φ only grows with silence).
    public func crossing(threshold: Double, acceptablePause: SimTime, minStd: SimTime) -> SimTime {
        func above(_ t: SimTime) -> Bool { phi(elapsed: t, acceptablePause: acceptablePause, minStd: minStd) > threshold }
        // Halving from nothing to a day took some forty evaluations of log and exp at every
        // heartbeat, half of a fifty-member run. The curve says where to look; a few steps
        // out from there bracket the crossing, and halving that finds the same microsecond.
        guard let estimate = crossingEstimate(threshold: threshold, acceptablePause: acceptablePause, minStd: minStd),
              estimate >= 2, estimate < 40_000_000_000 else { return Self.crossingByHalving(above) }
        let guess = SimTime(estimate)
        var lo = guess - 1, hi = guess + 1, step: SimTime = 2
        while !above(hi) {
            lo = hi; hi += step; step *= 2
            if hi > 86_400_000_000 { return Self.crossingByHalving(above) }
        }
        while lo > 0 && above(lo) { hi = lo; lo = max(0, lo - step); step *= 2 }
        return Self.halve(lo, hi, above)
    }

    /// The crossing found by halving from 0, doubling a second until φ is past it (past a day
    /// it gives up and answers that): what `crossing` must agree with.
    static func crossingByHalving(_ above: (SimTime) -> Bool) -> SimTime {
        var lo: SimTime = 0, hi: SimTime = 1_000_000
        while !above(hi) {
            hi *= 2
            if hi > 86_400_000_000 { return hi }
        }
        return halve(lo, hi, above)
    }

    /// The first microsecond above, between `lo` (not above) and `hi` (above).
    private static func halve(_ lo: SimTime, _ hi: SimTime, _ above: (SimTime) -> Bool) -> SimTime {
        var lo = lo, hi = hi
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if above(mid) { hi = mid } else { lo = mid }
        }
        return hi
    }

    /// Akka's `PhiAccrualFailureDetector.phi`: a logistic approximation of the normal CDF's tail.
    public static func phi(elapsed t: Double, mean: Double, std: Double) -> Double {
        let y = (t - mean) / std
        let e = exp(-y * (1.5976 + 0.070566 * y * y))
        let p = t > mean ? e / (1 + e) : 1 - 1 / (1 + e)
        // Beyond what a Double can tell from certainty, φ is as large as it gets.
        return p <= 0 ? 1_000 : min(1_000, -log10(p))
    }
}
