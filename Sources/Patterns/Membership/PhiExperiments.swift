import Simulation

/// Phi accrual (Hayashibara et al. 2004, with Akka's defaults): the higher the threshold, the
/// later a crash is noticed and the fewer live members are wrongly suspected. Two experiments,
/// one for each side of that trade, on the same jittery network.
enum PhiSetup {
    static let settings: [SettingSpec] = [
        SettingSpec("threshold", example: "1,2,4,8,12", help: "phi thresholds to sweep"),
        SettingSpec("jitter", example: "200ms", help: "mean of the exponential network delay (the heartbeats' jitter)"),
        SettingSpec("members", example: "5", help: "members, each watching all the others"),
        SettingSpec("acceptable-pause", example: "0s", help: "silence allowed before φ rises (Akka's default 3s hides the trade; 0s here)"),
    ]

    struct Setup: Sendable { var thresholds: [Double]; var jitter: SimTime; var members: Int; var pause: SimTime }

    static func read(_ s: Settings) throws(Diagnostic) -> Setup {
        Setup(thresholds: try s.numbers("threshold", default: [0.5, 1, 2, 4, 8, 12], in: 0.1...100),
              jitter: try s.duration("jitter", default: 200_000, in: 1_000...10_000_000),
              members: try s.integer("members", default: 5, in: 2...50),
              pause: try s.duration("acceptable-pause", default: 0, in: 0...60_000_000))
    }

    static func cluster(threshold: Double, _ p: Setup, seed: UInt64) -> Cluster<MembershipNode> {
        let jitter = p.jitter, members = p.members
        var config = MembershipConfig()
        config.detector = .phi
        config.acceptablePause = p.pause
        config.phiThreshold = threshold
        return Cluster(size: members, config: config, seed: seed, network: Network(latency: .exponential(mean: jitter)), journal: Journal(.off, digest: false))
    }

    static func parameters(_ p: Setup) -> String {
        "phi accrual, 1 s heartbeats, \(SimDuration.format(p.pause)) acceptable pause, 100 ms minimum deviation, \(p.members) members, exponential delay of mean \(SimDuration.format(p.jitter))"
    }
}

public enum PhiDetectionExperiment: Experiment {
    public static let name = "phi-detection"
    public static let summary = "Seconds until a crashed member is suspected, against the phi threshold"
    public static let defaultTrials = 50
    public static var settings: [SettingSpec] { PhiSetup.settings }

    public static func plan(_ s: Settings) throws(Diagnostic) -> ExperimentPlan {
        let setup = try PhiSetup.read(s)
        let members = setup.members
        return ExperimentPlan(
            sweep: ("threshold", setup.thresholds), measures: "seconds until a crash is suspected", unit: "s",
            trial: { threshold, seed in
                var c = PhiSetup.cluster(threshold: threshold, setup, seed: seed)
                var draw = SplitMix64(seed: seed ^ 0x0F1D_E7EC)
                c.advance(to: 30_000_000 + draw.next(in: 0...999_999))
                let victim = Int(draw.next(below: UInt64(members)))
                // Crash it at a moment when nobody suspects it: a false suspicion already under
                // way (common at low thresholds) would be "detected" 0 s after the crash.
                func suspected(_ c: Cluster<MembershipNode>) -> Bool {
                    (0..<members).contains { $0 != victim && c.isUp[$0] && c.nodes[$0].suspects(victim) }
                }
                var waited = 0
                while suspected(c) && waited < 600 { c.advance(to: c.now + 100_000); waited += 1 }
                guard !suspected(c) else { return nil }
                let crashedAt = c.now
                c.crash(victim)
                guard c.run(until: suspected, within: 120_000_000) == .met else { return nil }
                return Double(c.now - crashedAt) / 1e6
            },
            parameters: PhiSetup.parameters(setup),
            differences: "No single published figure: Hayashibara et al. plot detection time against the false-suspicion rate for their traces. The crash comes at a moment when no member suspects the victim, so a false suspicion under way is never taken for a detection. φ grows with the silence past the mean gap, so a higher threshold waits longer; with Akka's 3 s acceptable pause (--set acceptable-pause=3s) every threshold waits about 3 s more and false suspicions all but vanish. The other side of the trade is phi-false-suspicions.")
    }
}

public enum PhiFalseSuspicionsExperiment: Experiment {
    public static let name = "phi-false-suspicions"
    public static let summary = "Wrong suspicions of live members per minute, against the phi threshold"
    public static let defaultTrials = 20
    public static var settings: [SettingSpec] { PhiSetup.settings }

    public static func plan(_ s: Settings) throws(Diagnostic) -> ExperimentPlan {
        let setup = try PhiSetup.read(s)
        return ExperimentPlan(
            sweep: ("threshold", setup.thresholds), measures: "false suspicions per minute", unit: "per min",
            trial: { threshold, seed in
                var c = PhiSetup.cluster(threshold: threshold, setup, seed: seed)
                // A minute to learn the gaps, then ten minutes counted. Nobody crashes, so every
                // suspicion is false: the running totals count them all (a member's list of
                // recent suspicions keeps only the last 256, which capped the count).
                func raised(_ c: Cluster<MembershipNode>) -> Int { c.nodes.reduce(0) { $0 + $1.suspicionCount } }
                c.advance(to: 60_000_000)
                let before = raised(c)
                c.advance(to: 660_000_000)
                return Double(raised(c) - before) / 10
            },
            parameters: PhiSetup.parameters(setup),
            differences: "Nobody crashes, so every suspicion is false. With exponential delays a heartbeat sometimes arrives seconds late; a low threshold suspects on such a gap, a high one seldom (Akka adds a 3 s acceptable pause on top, which hides almost all of them).")
    }
}
