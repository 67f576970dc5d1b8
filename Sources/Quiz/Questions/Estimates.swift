import Foundation
import Simulation

/// A generated back-of-envelope problem: parameters, the exact answer, the answer a person gets
/// with head-friendly rounding, and every step of the working.
public struct EstimateProblem: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case averageQPS, peakQPS, storage, bandwidth, cache }
    public var kind: Kind
    public var parameters: [String: Double]
    public var exact: Double
    public var mental: Double
    public var dimension: Dimension
    public var prompt: [String]
    public var steps: [String]

    /// Seconds in a day and a year, and the round numbers people use for them.
    static let day = 86_400.0, dayRounded = 1e5
    static let year = 31_536_000.0, yearRounded = 3e7

    public static func make(_ kind: Kind, _ rng: inout SplitMix64) -> EstimateProblem {
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next(below: UInt64(xs.count)))] }
        switch kind {
        case .averageQPS, .peakQPS:
            let users = pick([1e6, 2e6, 5e6, 10e6, 20e6, 50e6, 100e6, 300e6])
            let perUser = pick([2.0, 5, 10, 20, 50])
            let peakFactor = pick([2.0, 3])
            let perDay = users * perUser
            let average = perDay / day
            let mentalAverage = perDay / dayRounded
            var steps = [
                "Requests per day: \(Format.count(users)) users × \(Format.number(perUser)) = \(Format.count(perDay)).",
                "A day has 86,400 s; round it to 10^5 s.",
                "Average: \(Format.count(perDay)) ÷ 10^5 ≈ \(Format.number(mentalAverage)) QPS (exactly \(Format.number(average.rounded())) QPS).",
            ]
            var prompt = ["\(Format.count(users)) daily active users each make \(Format.number(perUser)) requests a day."]
            if kind == .averageQPS {
                prompt.append("About how many requests per second (QPS) does the service get on average?")
                return EstimateProblem(kind: kind, parameters: ["users": users, "perUser": perUser], exact: average, mental: mentalAverage,
                                       dimension: .count, prompt: prompt, steps: steps)
            }
            prompt.append("Peak traffic is \(Format.number(peakFactor))× the average. About what is the peak QPS?")
            steps.append("Peak: \(Format.number(peakFactor)) × \(Format.number(mentalAverage)) ≈ \(Format.number(mentalAverage * peakFactor)) QPS (exactly \(Format.number((average * peakFactor).rounded())) QPS).")
            return EstimateProblem(kind: kind, parameters: ["users": users, "perUser": perUser, "peakFactor": peakFactor],
                                   exact: average * peakFactor, mental: mentalAverage * peakFactor, dimension: .count, prompt: prompt, steps: steps)

        case .storage:
            let writes = pick([10.0, 50, 100, 500, 1_000, 5_000])
            let size = pick([200.0, 1e3, 5e3, 10e3, 100e3, 1e6])
            let perSecond = writes * size
            let exact = perSecond * year
            let mental = perSecond * yearRounded
            return EstimateProblem(
                kind: kind, parameters: ["writes": writes, "size": size], exact: exact, mental: mental, dimension: .bytes,
                prompt: ["A service stores \(Format.number(writes)) new objects a second, each \(Format.bytes(size)).",
                         "About how much storage does one year of writes need?"],
                steps: ["Per second: \(Format.number(writes)) × \(Format.bytes(size)) = \(Format.bytes(perSecond)).",
                        "A year has 31,536,000 s; round it to 3×10^7 s.",
                        "Per year: \(Format.bytes(perSecond)) × 3×10^7 ≈ \(Format.bytes(mental)) (exactly \(Format.bytes(exact)))."])

        case .bandwidth:
            let qps = pick([100.0, 500, 1_000, 2_000, 10_000, 50_000])
            let size = pick([2e3, 20e3, 100e3, 500e3, 2e6])
            let exact = qps * size
            return EstimateProblem(
                kind: kind, parameters: ["qps": qps, "size": size], exact: exact, mental: exact, dimension: .bandwidth,
                prompt: ["A service answers \(Format.number(qps)) requests a second; each response is \(Format.bytes(size)).",
                         "About how much outgoing bandwidth does it need?"],
                steps: ["Bandwidth = requests per second × bytes per response.",
                        "\(Format.number(qps)) × \(Format.bytes(size)) = \(Format.bandwidth(exact)).",
                        "In bits: × 8 = \(Format.number(exact * 8 / 1e6)) Mbps."])

        case .cache:
            let reads = pick([10e6, 50e6, 100e6, 500e6, 1e9])
            let size = pick([500.0, 1e3, 2e3, 10e3])
            let hot = 0.2
            let daily = reads * size
            let exact = daily * hot
            return EstimateProblem(
                kind: kind, parameters: ["reads": reads, "size": size, "hot": hot], exact: exact, mental: exact, dimension: .bytes,
                prompt: ["A service reads \(Format.count(reads)) objects a day, each \(Format.bytes(size)), and most reads hit the same few objects.",
                         "You cache the hottest 20% of a day's reads. About how much memory does the cache need?"],
                steps: ["Bytes read per day: \(Format.count(reads)) × \(Format.bytes(size)) = \(Format.bytes(daily)).",
                        "The hot 20%: 0.2 × \(Format.bytes(daily)) = \(Format.bytes(exact)).",
                        "(An upper bound: repeated reads of one object need only one copy.)"])
        }
    }
}
