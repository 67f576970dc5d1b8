import Simulation

/// SWIM's first detection of a crashed member: each protocol period every member pings one
/// member chosen at random, so the first period in which someone pings the failed one comes
/// after e/(e−1) ≈ 1.58 periods on average (Das, Gupta & Motivala 2002), whatever the loss.
public enum SwimDetectionExperiment: Experiment {
    public static let name = "swim-detection"
    public static let summary = "Protocol periods until a crashed member is first probed, against message loss, beside e/(e-1)"
    public static let defaultTrials = 100
    public static let settings: [SettingSpec] = [
        SettingSpec("loss", example: "0,5,10,20", help: "message loss to sweep, in percent"),
        SettingSpec("members", example: "20", help: "members in the group"),
    ]

    public static func plan(_ s: Settings) throws(Diagnostic) -> ExperimentPlan {
        let losses = try s.numbers("loss", default: [0, 5, 10, 20, 30], in: 0...90)
        let n = try s.integer("members", default: 20, in: 3...200)
        let period = MembershipConfig().interval
        return ExperimentPlan(
            sweep: ("loss %", losses), measures: "periods to first detection", unit: "periods",
            trial: { loss, seed in
                var network = Network(latency: .uniform(5_000, 10_000))
                network.lossPPM = Int(loss * 10_000)
                var c = Cluster<MembershipNode>(size: n, config: MembershipConfig(), seed: seed, network: network, journal: Journal(.off))
                // Crash a member at a moment unrelated to anyone's period.
                var draw = SplitMix64(seed: seed ^ 0x5111_7A11)
                let at = 5_000_000 + draw.next(in: 0...(period - 1))
                // Records are kept from just before the crash, a period at a time, read as
                // they are (never turned into text), and the trial ends at the first ping to
                // the crashed member: keeping all 35 s of a 200-member group and printing it
                // to search it took most of the time, and 200 MB.
                c.advance(to: at - 1)
                c.journal = Journal(.everything)
                c.advance(to: at)
                let victim = Int(draw.next(below: UInt64(n)))
                let crashedAt = c.now
                c.crash(victim)
                let end = crashedAt + 30 * period
                var until = crashedAt
                while true {
                    // The first ping sent to it after the crash, counted in whole periods.
                    if let t = c.journal.records.first(where: { r in
                        guard r.time >= crashedAt, r.kind == .send, r.peer == victim, case .message(.ping, _) = r.detail else { return false }
                        return true
                    })?.time {
                        return (Double(t - crashedAt) / Double(period)).rounded(.up)
                    }
                    guard until < end else { return nil }
                    until = min(end, until + period)
                    c.journal = Journal(.everything)
                    c.advance(to: until)
                }
            },
            reference: { _ in M_E / (M_E - 1) }, referenceLabel: "e/(e-1) (Das, Gupta & Motivala 2002)",
            parameters: "SWIM with its defaults (1 s periods, 500 ms ack timeout, 3 indirect probes), \(n) members, latency 5-10 ms",
            differences: "Members keep their own phases, as real ones do, and a period is counted whole from the crash. Loss does not change when the failed member is first probed (it changes how often a live one is wrongly suspected), so the curve is flat. The paper's figure holds for large groups: with n members the exact value is 1/(1-(1-1/(n-1))^(n-1)), 1.56 at 20. Trials scatter (a period is 1, 2, 3 …), so 100 trials give the mean to about ±0.2. Under heavy loss a member can crash while most others already suspect it wrongly; a member held dead is not probed, so the suspicion may run out with no probe at all, and the trial counts as not finished (2 of 400 trials at 30 % loss with 20 members, where 15 and 16 of the 19 held the victim suspect or dead at the crash).")
    }
}

import Foundation
