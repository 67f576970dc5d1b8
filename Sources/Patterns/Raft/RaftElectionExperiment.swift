import Simulation

/// Figure 16 of the Raft paper (Ongaro & Ousterhout 2014, top): five servers, the leader crashed
/// at a random moment within a heartbeat interval, the time until a new leader is elected, for
/// election timeouts with more and more randomness.
public enum RaftElectionExperiment: Experiment {
    public static let name = "raft-election"
    public static let summary = "Time to elect a new leader after a crash against the timeouts' randomness (Raft paper, Figure 16)"
    public static let defaultTrials = 100
    public static let settings: [SettingSpec] = [
        SettingSpec("spread", example: "0,1,5,25,50,150", help: "randomness of the election timeout, in ms: the range is min to min+spread"),
        SettingSpec("min", example: "150ms", help: "the election timeout's lower end (the heartbeat is half of it)"),
        SettingSpec("latency", example: "5-10ms", help: "one-way message latency (a broadcast and its replies take about twice)"),
        SettingSpec("timer-jitter", example: "1ms", help: "how late a timer may fire (scheduling delay)"),
        SettingSpec("processing", example: "0.1-0.5ms", help: "time a server spends on each message"),
        SettingSpec("scale", example: "12,25,50,100,150", help: "the paper's lower figure instead: timeouts T to 2T for each T in ms (spread and min are then unused)"),
    ]

    public static func plan(_ s: Settings) throws(Diagnostic) -> ExperimentPlan {
        let spreads = try s.numbers("spread", default: [0, 1, 5, 25, 50, 150], in: 0...10_000)
        let low = try s.duration("min", default: 150_000, in: 1_000...10_000_000)
        let latency = try s.range("latency", default: 5_000...10_000, in: 0...1_000_000)
        let jitter = try s.duration("timer-jitter", default: 1_000, in: 0...100_000)
        let processing = try s.range("processing", default: 100...500, in: 0...100_000)
        // The lower figure sweeps the timeouts' scale (T to 2T) instead of their spread.
        let scales = s["scale"] == nil ? nil : try s.numbers("scale", default: [], in: 1...10_000)
        // Silently ignoring a setting the student gave would show them a run they did not ask for.
        if scales != nil, let both = ["spread", "min"].first(where: { s[$0] != nil }) {
            throw s.fail(both, "scale sets the timeouts (T to 2T), so \(both) has no effect with it: give one or the other")
        }
        // One trial, and whether its election split the vote: the new leader won a later term
        // than the first one started after the crash.
        let election: @Sendable (Double, UInt64) -> (value: Double?, flagged: Bool) = { x, seed in
                var config = RaftConfig()
                let from = scales == nil ? low : SimTime(x * 1_000)
                let measured = from...(scales == nil ? low + SimTime(x * 1_000) : 2 * from)
                // The first leader is not what is measured, only needed: it is elected with
                // timeouts T to 2T, then every server takes the range under test. In lockstep
                // (150-150 ms) that first election took as long as the measured one, half of
                // the whole run's work, and a trial it failed counted as one that never elected.
                config.electionTimeout = from...(2 * from)
                let heartbeat = from / 2
                config.heartbeat = heartbeat
                var network = Network(latency: .uniform(latency.lowerBound, latency.upperBound))
                network.timerJitter = jitter
                network.processing = processing.upperBound > 0 ? processing : nil
                var c = Cluster<RaftNode>(size: 5, config: config, seed: seed, network: network, journal: Journal(.off, digest: false))
                guard c.run(until: { Raft.holds(.leaderExists, in: $0) }, within: 60_000_000) == .met else { return (nil, false) }
                for n in 0..<c.size { c.reconfigure(n) { $0.config.electionTimeout = measured } }
                // Let it settle (four heartbeats: every follower's timer is drawn again from the
                // range under test), then crash the leader at a uniformly random moment within
                // a heartbeat interval.
                var draw = SplitMix64(seed: seed ^ 0x0C0F_FEE0)
                c.advance(to: c.now + heartbeat * 4 + draw.next(in: 0...(heartbeat - 1)))
                // With timeouts hardly longer than a round trip (the lower figure's 12 ms), the
                // leader may have lost its place meanwhile: the crash is of whoever leads next.
                // (Such trials used to count as not electing within 60 s, which they had not.)
                guard c.run(until: { Raft.holds(.leaderExists, in: $0) }, within: 60_000_000) == .met, let leader = Raft.leader(in: c) else { return (nil, false) }
                let term = c.nodes[leader].currentTerm
                c.crash(leader)
                let crashedAt = c.now
                guard c.run(until: { Raft.holds(.leaderExists, in: $0) }, within: 60_000_000) == .met, let next = Raft.leader(in: c) else { return (nil, true) }
                return (Double(c.now - crashedAt) / 1_000, c.nodes[next].currentTerm > term + 1)
        }
        let heartbeat = low / 2
        if let scales {
            var plan = ExperimentPlan(
                sweep: ("timeouts T ms", scales), measures: "time to elect a new leader", unit: "ms",
                trial: { election($0, $1).value },
                parameters: "5 servers, timeouts T to 2T, heartbeat T/2, latency \(SimDuration.format(latency.lowerBound))-\(SimDuration.format(latency.upperBound)) one way, timers up to \(SimDuration.format(jitter)) late, \(SimDuration.format(processing.lowerBound))-\(SimDuration.format(processing.upperBound)) per message",
                differences: "The paper's lower figure: shorter timeouts elect faster until they approach the broadcast time, where split votes and spurious elections take over. Only its 12-24 ms point is given as numbers (a mean of 35 ms, a worst case of 152 ms); the other curves are not read off the figure here.",
                published: scales.contains(12) ? [.init(x: 12, .mean, 35, said: "35 ms"), .init(x: 12, .max, 152, said: "152 ms (worst)")] : [])
            plan.flag = ExperimentPlan.Flag("split vote", trial: election)
            return plan
        }
        var plan = ExperimentPlan(
            sweep: ("spread ms", spreads), measures: "time to elect a new leader", unit: "ms",
            trial: { election($0, $1).value },
            parameters: "5 servers, timeouts \(SimDuration.format(low)) + spread, heartbeat \(SimDuration.format(heartbeat)), latency \(SimDuration.format(latency.lowerBound))-\(SimDuration.format(latency.upperBound)) one way, timers up to \(SimDuration.format(jitter)) late, \(SimDuration.format(processing.lowerBound))-\(SimDuration.format(processing.upperBound)) per message",
            differences: "The paper measured its own implementation on real machines; here the realism it had for free is added by hand (timers a little late, time spent per message), with values chosen, not measured. Without them, identical timeouts never elect: the candidates stay in lockstep. The first leader is elected with timeouts T to 2T (150-300 ms at the paper's settings) and the servers then take the range under test, settling for four heartbeats before the crash: only the election after the crash is measured. A trial that elects nobody within 60 s of the crash counts as not finished. The paper's figures are read off its text: the median for 5 ms of randomness, the worst of 1,000 trials for 50 ms.",
            published: low == 150_000 ? [
                .init(x: 5, .median, 287, said: "287 ms"),
                .init(x: 50, .max, 513, said: "513 ms (worst of 1,000)"),
                .init(x: 0, .median, 10_000, said: "over 10 s", atLeast: true),
            ] : low == 12_000 ? [
                // The paper's lower figure: timeouts of 12-24 ms.
                .init(x: 12, .mean, 35, said: "35 ms"),
                .init(x: 12, .max, 152, said: "152 ms (worst)"),
            ] : [])
        plan.flag = ExperimentPlan.Flag("split vote", trial: election)
        return plan
    }
}

/// How often a fresh five-node cluster's first election splits the vote (needs a second term or
/// more), against the network's latency: the longer a RequestVote takes to arrive, the more
/// likely another server's timer fires first.
public enum RaftSplitVotesExperiment: Experiment {
    public static let name = "raft-split-votes"
    public static let summary = "Share of first elections that split the vote, against network latency"
    public static let defaultTrials = 200
    public static let settings: [SettingSpec] = [
        SettingSpec("latency", example: "1,5,10,20,40", help: "one-way latencies to sweep, in ms (each message takes from L to 2L)"),
        SettingSpec("election-timeout", example: "150-300ms", help: "the election timeout's range"),
    ]

    public static func plan(_ s: Settings) throws(Diagnostic) -> ExperimentPlan {
        let latencies = try s.numbers("latency", default: [1, 5, 10, 20, 40, 80], in: 0.1...1_000)
        let timeout = try s.range("election-timeout", default: 150_000...300_000, in: 1_000...10_000_000)
        var plan = ExperimentPlan(
            sweep: ("latency ms", latencies), measures: "first elections with a split vote", unit: "%",
            trial: { l, seed in
                var config = RaftConfig()
                config.electionTimeout = timeout
                config.heartbeat = timeout.lowerBound / 2
                let lo = SimTime(l * 1_000)
                var c = Cluster<RaftNode>(size: 5, config: config, seed: seed, network: Network(latency: .uniform(lo, 2 * lo)), journal: Journal(.off, digest: false))
                guard c.run(until: { Raft.holds(.leaderExists, in: $0) }, within: 60_000_000) == .met, let leader = Raft.leader(in: c) else { return nil }
                // The first term is the first election: a leader in a later term means it split.
                return c.nodes[leader].currentTerm > 1 ? 100 : 0
            },
            parameters: "5 servers starting together, election timeout \(SimDuration.format(timeout.lowerBound))-\(SimDuration.format(timeout.upperBound)), latency L to 2L one way",
            differences: "No published curve: the Raft paper argues the rule broadcast time ≪ election timeout without measuring this. Each trial is 0 or 100, so the mean is the share of trials that split. Timers here fire exactly on time and servers spend no time per message (the raft-election experiment adds both).")
        plan.yesNo = true
        return plan
    }
}
