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

    /// Akka's `PhiAccrualFailureDetector.phi`: a logistic approximation of the normal CDF's tail.
    public static func phi(elapsed t: Double, mean: Double, std: Double) -> Double {
        let y = (t - mean) / std
        let e = exp(-y * (1.5976 + 0.070566 * y * y))
        let p = t > mean ? e / (1 + e) : 1 - 1 / (1 + e)
        // Beyond what a Double can tell from certainty, φ is as large as it gets.
        return p <= 0 ? 1_000 : min(1_000, -log10(p))
    }
}
