import Foundation

/// How long a message takes on a link.
public enum Latency: Sendable, Equatable, CustomStringConvertible {
    case fixed(SimTime)
    case uniform(SimTime, SimTime)
    /// Exponential around a mean; capped at 20× the mean so one draw cannot stall a lesson.
    case exponential(mean: SimTime)

    public func draw(_ rng: inout SplitMix64) -> SimTime {
        switch self {
        case .fixed(let d):
            return d
        case .uniform(let lo, let hi):
            return rng.next(in: lo...max(lo, hi))
        case .exponential(let mean):
            let u = rng.nextUnit()
            let d = -Double(mean) * log(1 - u)
            return SimTime(min(d, Double(mean) * 20).rounded())
        }
    }

    public var description: String {
        switch self {
        case .fixed(let d): return SimDuration.format(d)
        case .uniform(let lo, let hi): return "\(SimDuration.format(lo))–\(SimDuration.format(hi))"
        case .exponential(let m): return "exp(\(SimDuration.format(m)))"
        }
    }
}
