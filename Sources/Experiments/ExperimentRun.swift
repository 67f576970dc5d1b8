import Dispatch
import Patterns
import Simulation

/// Every trial of an experiment, run on `jobs` threads. Trial k at point p has its own seed,
/// derived from the run's seed, p and k, so the results are the same whatever `jobs` is.
public struct ExperimentResult: Sendable {
    public var name: String
    public var seed: UInt64
    public var trials: Int
    public var plan: ExperimentPlan
    /// `values[p][k]`: trial k at point p (nil: it did not finish).
    public var values: [[Double?]]
    /// `flags[p][k]`: whether trial k at point p reported the plan's flag (empty without one).
    public var flags: [[Bool]] = []
    /// The first trial (point, trial) that went past the run's cap on events, if one did: the
    /// run then stopped, and its values mean nothing.
    public var overran: (point: Int, trial: Int)?

    public var summaries: [Summary] { values.map { Summary($0) } }
}

public enum ExperimentRunner {
    /// The seed of trial `k` at point `p`: a SplitMix64 step over the three, so neighbouring
    /// trials are unrelated.
    public static func trialSeed(_ seed: UInt64, point p: Int, trial k: Int) -> UInt64 {
        var r = SplitMix64(seed: seed ^ (UInt64(p) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(k) &* 0xD1B5_4A32_D192_ED03))
        return r.next()
    }

    /// Plans `experiment` from `key=value` settings and runs it: the command line and tests alike.
    public static func run(_ experiment: any Experiment.Type, settings pairs: [(String, String)], trials: Int, seed: UInt64, jobs: Int,
                           eventsPerTrial: Int? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil,
                           stop: StopSignal? = nil) throws(Diagnostic) -> ExperimentResult {
        var s = Settings()
        for (k, v) in pairs { s.set(k, v) }
        return run(name: experiment.name, plan: try experiment.plan(s), trials: trials, seed: seed, jobs: jobs,
                   eventsPerTrial: eventsPerTrial, progress: progress, stop: stop)
    }

    /// Runs every trial; `progress` is called (from any thread, serialised) with trials done and
    /// total. With `eventsPerTrial`, a cluster of a trial that would process more stops there,
    /// and so does the run (`overran`): a lesson's block is refused rather than left to run.
    /// Once `stop` is raised (the player left the step), no further trial starts and the one
    /// running stops within a few thousand events (with a cap on events); the values are then
    /// incomplete, and the caller knows to throw them away.
    public static func run(name: String, plan: ExperimentPlan, trials: Int, seed: UInt64, jobs: Int,
                           eventsPerTrial: Int? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil,
                           stop: StopSignal? = nil) -> ExperimentResult {
        let points = plan.points
        let total = points.count * trials
        let box = Results(count: total)
        let workers = max(1, min(jobs, total))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            // Each worker takes the next trial not yet taken. (Each used to take every
            // `workers`-th, and trials go round the points: with two workers and an even number
            // of points, one worker ran every trial of every other point. `--set n=1000,100000`
            // gave all the 100,000-node trials to one thread: 10.2-10.6 s, now 4.4-5.0 s.) A
            // trial's seed and place come from its index, so which thread ran it changes nothing.
            while true {
                let i = box.claim()
                guard i < min(total, box.overrunAt), stop?.isRaised != true else { break }
                // Round the points, a trial of each in turn: a point whose trials go past the
                // cap (the largest cluster, usually the last) is found among the first trials
                // run, not after every trial of the others.
                let p = i % points.count, k = i / points.count
                let s = trialSeed(seed, point: p, trial: k)
                let one = { () -> (Double?, Bool) in
                    if let flag = plan.flag { return flag.trial(points[p], s) }
                    return (plan.trial(points[p], s), false)
                }
                let (v, f): (Double?, Bool)
                if let cap = eventsPerTrial {
                    let capped = EventBudget.limit(cap, stop: stop, one)
                    guard !capped.exceeded else { box.overran(i); break }
                    (v, f) = capped.result
                } else {
                    (v, f) = one()
                }
                box.set(p * trials + k, v, flag: f)
                // Under the lock, so the bar's figures arrive in order and never overlap.
                if let progress { box.finishedOne { progress($0, total) } }
            }
        }
        let flat = box.values, flags = box.flags
        return ExperimentResult(name: name, seed: seed, trials: trials, plan: plan,
                                values: (0..<points.count).map { p in Array(flat[p * trials..<(p + 1) * trials]) },
                                flags: plan.flag == nil ? [] : (0..<points.count).map { p in Array(flags[p * trials..<(p + 1) * trials]) },
                                overran: box.overrunAt < total ? (box.overrunAt % points.count, box.overrunAt / points.count) : nil)
    }
}

/// Trial results written from many threads, each to its own place.
final class Results: @unchecked Sendable {
    private var storage: [Double?]
    private var flagged: [Bool]
    private var done = 0
    private var overrun = Int.max
    private var claimed = 0
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count); flagged = Array(repeating: false, count: count) }
    func set(_ i: Int, _ v: Double?, flag: Bool = false) { lock.lock(); storage[i] = v; flagged[i] = flag; lock.unlock() }
    var flags: [Bool] { lock.lock(); defer { lock.unlock() }; return flagged }
    /// The next trial's index, in order: indices are taken once each, from 0 up.
    func claim() -> Int { lock.lock(); defer { lock.unlock() }; claimed += 1; return claimed - 1 }
    func finishedOne(_ report: (Int) -> Void) { lock.lock(); defer { lock.unlock() }; done += 1; report(done) }
    /// Trial `i` (in the order trials are started) went past the cap: no trial after it is
    /// started. Those before it still run, so the one named is the first to overrun whatever
    /// the number of threads.
    func overran(_ i: Int) { lock.lock(); defer { lock.unlock() }; overrun = Swift.min(overrun, i) }
    var overrunAt: Int { lock.lock(); defer { lock.unlock() }; return overrun }
    var values: [Double?] { lock.lock(); defer { lock.unlock() }; return storage }
}

/// A point's trials, summarised.
public struct Summary: Sendable, Equatable {
    public var count: Int
    /// Trials that finished (the others reached a limit).
    public var finished: Int
    public var mean: Double?
    public var median: Double?, p10: Double?, p90: Double?, p99: Double?, min: Double?, max: Double?

    public init(_ values: [Double?]) {
        count = values.count
        let v = values.compactMap { $0 }.sorted()
        finished = v.count
        guard !v.isEmpty else { return }
        mean = v.reduce(0, +) / Double(v.count)
        // Between the two nearest trials, in proportion (the usual definition, numpy's and
        // R's default): the median of 7 and 9 is 8, not 9.
        func q(_ f: Double) -> Double {
            let at = Double(v.count - 1) * f, lo = Int(at.rounded(.down)), hi = Swift.min(v.count - 1, lo + 1)
            return v[lo] + (v[hi] - v[lo]) * (at - Double(lo))
        }
        median = q(0.5); p10 = q(0.1); p90 = q(0.9); p99 = q(0.99); min = v.first; max = v.last
    }
}

import Foundation
