import Patterns
import Simulation

/// An `experiment` block of a lesson: one line, as the command line writes it,
/// `raft-election --trials 200 --seed 3 --set range=150-300ms`. A lesson shows its plot
/// beside the one run it narrates ("here is one election; here are two hundred"), so it runs
/// at a small number of trials; `check` runs it too.
public struct LessonExperiment: Sendable {
    public var experiment: any Experiment.Type
    public var settings: [(String, String)]
    public var trials: Int
    public var seed: UInt64
    /// The points of its sweep (1 without one), read from the plan when the block is parsed.
    public var points = 1
    /// Trials a lesson may ask for: enough for a picture, few enough for a step to open at once.
    public static let maxTrials = 500
    /// Simulated events a block may take in all, shared equally by its trials. Trials differ
    /// enormously in cost (a five-node election against a 100,000-node rumor), so the number
    /// of trials alone cannot keep a step quick; events can, and they are counted the same on
    /// every machine, so `check` and the player refuse the same blocks. Five million events is
    /// under a second on two cores for most experiments (release: 100 trials of a 1,000-node
    /// rumor, each under the 50,000 it may take, run in 0.3 s); fifty members' φ detectors
    /// take about 3 s, and 300 trials of 200 SWIM members under loss, the costliest events, 5 s.
    public static let eventBudget = 5_000_000
    /// The nodes and messages one trial may hold at once (`ExperimentPlan.footprint`). Events
    /// bound a block's time, not its memory: two trials of 100,000-node gossip at fanout 10,
    /// within the budget, held 358 MB. At 50,000 two trials hold about 50 MB.
    public static let maxFootprint = 50_000

    public static func parse(_ line: String) -> Result<LessonExperiment, Diagnostic> {
        // Tabs separate as spaces do (a tab-separated block was read as one glued-together name).
        let words = line.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        func fail(_ m: String) -> Result<LessonExperiment, Diagnostic> { .failure(Diagnostic(line: 0, column: 1, m)) }
        guard let name = words.first else { return fail("an experiment block names an experiment: \(ExperimentCatalog.all.map { $0.name }.joined(separator: ", "))") }
        let e: any Experiment.Type
        switch ExperimentCatalog.find(name) {
        case .success(let found): e = found
        case .failure(let problem): return fail(problem.message)
        }
        var out = LessonExperiment(experiment: e, settings: [], trials: min(e.defaultTrials, 100), seed: 1)
        var raws: [String] = []
        var k = 1
        while k < words.count {
            let flag = words[k]
            // The option is known before its value is looked for ("extra needs a value" misled).
            guard ["--trials", "--seed", "--set"].contains(flag) else {
                return fail("unknown option '\(flag)': an experiment block takes --trials, --seed and --set key=value")
            }
            guard k + 1 < words.count else { return fail("\(flag) needs a value") }
            let value = words[k + 1]
            switch flag {
            case "--trials":
                guard let n = Int(value), (1...maxTrials).contains(n) else { return fail("--trials in a lesson is from 1 to \(maxTrials), found '\(value)'") }
                out.trials = n
            case "--seed":
                guard let s = UInt64(value) else { return fail("--seed must be a whole number ≥ 0, found '\(value)'") }
                out.seed = s
            default:   // --set
                raws.append(value)
            }
            k += 2
        }
        let s: Settings
        switch e.readSettings(raws) {
        case .success(let read): s = read
        case .failure(let problem): return fail(problem.message)
        }
        out.settings = s.order.map { ($0, s[$0]!) }
        // The plan is read now, so a bad value is reported where the block is written.
        let plan: ExperimentPlan
        do { plan = try e.plan(s) } catch { return .failure(error) }
        out.points = plan.points.count
        if plan.footprint > maxFootprint {
            return fail("its largest trial holds about \(Words.grouped(plan.footprint)) nodes and messages at once, and a lesson's experiment may hold \(Words.grouped(maxFootprint)) (so the player stays small): ask for a smaller cluster or fanout; the command line has no such limit")
        }
        return .success(out)
    }

    /// Events one trial may take: the budget shared by every trial at every point.
    public var eventsPerTrial: Int { max(1, Self.eventBudget / (trials * points)) }

    /// Runs it (all the trials, on `jobs` threads), within the budget of events; a block that
    /// goes past it is refused with the trial that did, and what to change. `progress` and
    /// `stop` are for a player running it off the frame (see `ExperimentRunner.run`).
    public func run(jobs: Int = 2, progress: (@Sendable (Int, Int) -> Void)? = nil,
                    stop: StopSignal? = nil) -> Result<ExperimentResult, Diagnostic> {
        let cap = eventsPerTrial
        let r: ExperimentResult
        do {
            r = try ExperimentRunner.run(experiment, settings: settings, trials: trials, seed: seed, jobs: jobs,
                                         eventsPerTrial: cap, progress: progress, stop: stop)
        } catch { return .failure(error) }
        if stop?.isRaised == true { return .failure(Diagnostic(line: 0, column: 1, "the experiment was stopped before its trials were done")) }
        if let (p, k) = r.overran {
            let plan = r.plan
            let at = plan.sweep.map { " at \($0.name) \(Words.plain($0.values[p]))" } ?? ""
            return .failure(Diagnostic(line: 0, column: 1,
                "trial \(k + 1)\(at) needed more than \(Words.grouped(cap)) simulated events, its share of the \(Words.grouped(Self.eventBudget)) a lesson's experiment may take (so a step's trials stay quick): ask for fewer trials or points, or smaller settings; the command line has no such limit"))
        }
        if r.summaries.allSatisfy({ $0.finished == 0 }) {
            return .failure(Diagnostic(line: 0, column: 1, "the experiment ran, but none of its \(trials) trials finished"))
        }
        return .success(r)
    }
}
