import Simulation

/// One server with Poisson arrivals and exponential service (M/M/1): the mean time a request
/// spends in the system against utilisation, beside 1/(μ−λ).
public enum QueueLatencyExperiment: Experiment {
    public static let name = "queue-latency"
    public static let summary = "Mean time in system of one server (M/M/1) against utilisation, beside 1/(μ−λ)"
    public static let defaultTrials = 10
    public static let settings: [SettingSpec] = [
        SettingSpec("utilisation", example: "0.5,0.8,0.9", help: "utilisations ρ = λ/μ to sweep, below 1"),
        SettingSpec("service-time", example: "10ms", help: "mean service time 1/μ"),
        SettingSpec("seconds", example: "300", help: "simulated seconds per trial"),
    ]

    public static func plan(_ s: Settings) throws(Diagnostic) -> ExperimentPlan {
        let rhos = try s.numbers("utilisation", default: [0.1, 0.3, 0.5, 0.7, 0.8, 0.9], in: 0.01...0.99)
        let mean = try s.duration("service-time", default: 10_000, in: 100...1_000_000)
        let seconds = try s.integer("seconds", default: 300, in: 1...3_600)
        let mu = 1e6 / Double(mean)
        return ExperimentPlan(
            sweep: ("utilisation", rhos), measures: "mean time in system", unit: "ms",
            trial: { rho, seed in
                // The load is a whole number of requests a second: λ is rounded, and the
                // reference uses the λ the simulation ran.
                let lambda = max(1, Int((rho * mu).rounded()))
                var c = serverCluster(lambda: lambda, mean: mean, seed: seed)
                c.advance(to: SimTime(seconds) * 1_000_000)
                let m = c.nodes[1].metrics.lifetime
                return m.departed > 0 ? Double(m.sojourn) / 1e3 / Double(m.departed) : nil
            },
            reference: { rho in
                let lambda = max(1, (rho * mu).rounded())
                return lambda < mu ? 1e3 / (mu - lambda) : .infinity
            }, referenceLabel: "1/(μ−λ) (M/M/1)",
            parameters: "one worker, unbounded queue, Poisson arrivals, exponential service of mean \(SimDuration.format(mean)), \(seconds) s per trial",
            differences: "A trial's mean starts from an empty system, so short trials at high utilisation fall below the formula (the queue has not reached its steady state); at ρ = 0.9 successive waits are strongly correlated and trials spread widely.")
    }

    static func serverCluster(lambda: Int, mean: SimTime, seed: UInt64) -> Cluster<ServiceNode> {
        try! Resilience.cluster([("services", "client->server"), ("load", "poisson \(lambda)/s"), ("workers", "1"), ("queue", "unbounded"),
                                 ("service-time", "exp \(SimDuration.format(mean))"), ("timeout", "600s")], seed: seed)
    }
}

/// How long a breaker takes to open once its dependency starts failing a share of calls:
/// against the share, or (`windows`) against the size of a count-based window at one share.
public enum BreakerTripExperiment: Experiment {
    public static let name = "breaker-trip"
    public static let summary = "Time for a circuit breaker to open against the dependency's failure rate or its window"
    public static let defaultTrials = 50
    public static let settings: [SettingSpec] = [
        SettingSpec("failure", example: "20,40,60,80,100", help: "failure shares to sweep, in percent (one share with windows)"),
        SettingSpec("windows", example: "5,10,20,50", help: "count-based window sizes to sweep instead, each needing as many calls (breaker-window and breaker-min-calls are then unused)"),
        SettingSpec("breaker-window", example: "count 10", help: "the breaker's window"),
        SettingSpec("breaker-min-calls", example: "10", help: "calls before a rate is computed"),
        SettingSpec("failure-threshold", example: "50%", help: "open at this failure rate"),
        SettingSpec("load", example: "50/s", help: "the client's load"),
    ]

    public static func plan(_ s: Settings) throws(Diagnostic) -> ExperimentPlan {
        let windows = s["windows"] == nil ? nil : try s.numbers("windows", default: [], in: 2...1_000, whole: true)
        if windows != nil, let both = ["breaker-window", "breaker-min-calls"].first(where: { s[$0] != nil }) {
            throw s.fail(both, "windows sets the window and its minimum, so \(both) has no effect with it: give one or the other")
        }
        let shares = try s.numbers("failure", default: windows == nil ? [30, 40, 50, 60, 80, 100] : [100], in: 1...100)
        if windows != nil, shares.count > 1 { throw s.fail("failure", "with windows, failure is one share, found \(shares.count)") }
        // One configuration per point: the window is part of the breaker's policy.
        func configured(window: Int?) throws(Diagnostic) -> (Topology, ResilienceConfig) {
            var base = Settings()
            for (k, v) in [("services", "client->front->payments"), ("tune", "front->payments breaker on"),
                           ("breaker-window", "count 10"), ("breaker-min-calls", "10"), ("failure-threshold", "50%"), ("load", "50/s")] {
                base.set(k, s[k] ?? v)
            }
            if let n = window { base.set("breaker-window", "count \(n)"); base.set("breaker-min-calls", "\(n)") }
            let t = try Resilience.topology(base, nodes: 0)
            return (t, try Resilience.config(base, topology: t))
        }
        var built: [Double: (Topology, ResilienceConfig)] = [:]
        for n in windows ?? [] { built[n] = try configured(window: Int(n)) }
        let setups = built
        let fixed = try configured(window: nil)
        let policy = fixed.1.policies[1][0].breaker
        let share0 = shares[0]
        let trial: @Sendable (Double, UInt64) -> Double? = { x, seed in
            let (t, config) = windows == nil ? fixed : setups[x]!
            let share = windows == nil ? x : share0
            var c = Cluster<ServiceNode>(size: t.count, config: config, seed: seed, journal: Journal(.off, digest: false), topology: t)
            c.advance(to: 1_000_000)
            _ = Resilience.perform(.fail(2, ppm: Int(share * 10_000)), on: &c)
            let start = c.now
            guard c.run(until: { Resilience.holds(.breaker(Link(1, 2), .open), in: $0) }, within: 60_000_000) == .met else { return nil }
            return Double(c.now - start) / 1e3
        }
        let load = s["load"] ?? "50/s", threshold = policy.failureThreshold
        if let windows {
            return ExperimentPlan(
                sweep: ("window calls", windows), measures: "time until the breaker opens", unit: "ms", trial: trial,
                parameters: "front->payments, count-based windows each needing as many calls, \(Words.plain(share0)) % failing, threshold \(threshold)%, load \(load), payments answering in 20 ms",
                differences: "No published figure. A breaker judges only once its window holds its minimum of calls, so at a share well above the threshold the time grows in step with the window (at 50 requests a second about 10 ms per call of window: 58, 98, 198 and 498 ms for 5, 10, 20 and 50 at seed 1); near the threshold a larger window judges a steadier rate, so chance runs of failures trip it less often.")
        }
        return ExperimentPlan(
            sweep: ("failure %", shares), measures: "time until the breaker opens", unit: "ms", trial: trial,
            parameters: "front->payments, window \(policy.window.text), min \(policy.minimumCalls) calls, threshold \(threshold)%, load \(load), payments answering in 20 ms",
            differences: "No published figure: the time is set by the load and the window (`--set windows=5,10,20,50` sweeps the window instead). At or above the threshold the breaker opens once enough failures are in the window; below it, only a run of failures that happens to fill half the window opens it, so trials that never open in 60 s are counted apart.")
    }
}

import Foundation
