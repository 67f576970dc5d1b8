import Patterns

/// An `experiment` block of a lesson: one line, as the command line writes it,
/// `raft-election --trials 200 --seed 3 --set range=150-300ms`. A lesson shows its plot
/// beside the one run it narrates ("here is one election; here are two hundred"), so it runs
/// at a small number of trials; `check` runs it too.
public struct LessonExperiment: Sendable {
    public var experiment: any Experiment.Type
    public var settings: [(String, String)]
    public var trials: Int
    public var seed: UInt64
    /// Trials a lesson may ask for: enough for a picture, few enough for a step to open at once.
    public static let maxTrials = 500

    public static func parse(_ line: String) -> Result<LessonExperiment, Diagnostic> {
        let words = line.split(separator: " ").map(String.init)
        func fail(_ m: String) -> Result<LessonExperiment, Diagnostic> { .failure(Diagnostic(line: 0, column: 1, m)) }
        guard let name = words.first else { return fail("an experiment block names an experiment: \(ExperimentCatalog.all.map { $0.name }.joined(separator: ", "))") }
        guard let e = ExperimentCatalog.named(name) else {
            let names = ExperimentCatalog.all.map { $0.name }
            return fail("unknown experiment '\(name)'" + didYouMean(name, names) + "; the experiments are \(names.joined(separator: ", "))")
        }
        var out = LessonExperiment(experiment: e, settings: [], trials: min(e.defaultTrials, 100), seed: 1)
        var raws: [String] = []
        var k = 1
        while k < words.count {
            let flag = words[k]
            guard k + 1 < words.count else { return fail("\(flag) needs a value") }
            let value = words[k + 1]
            switch flag {
            case "--trials":
                guard let n = Int(value), (1...maxTrials).contains(n) else { return fail("--trials in a lesson is from 1 to \(maxTrials), found '\(value)'") }
                out.trials = n
            case "--seed":
                guard let s = UInt64(value) else { return fail("--seed must be a whole number ≥ 0, found '\(value)'") }
                out.seed = s
            case "--set":
                raws.append(value)
            default:
                return fail("unknown option '\(flag)': an experiment block takes --trials, --seed and --set key=value")
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
        do { _ = try e.plan(s) } catch { return .failure(error) }
        return .success(out)
    }

    /// Runs it (all the trials, on `jobs` threads).
    public func run(jobs: Int = 2) -> ExperimentResult {
        (try? ExperimentRunner.run(experiment, settings: settings, trials: trials, seed: seed, jobs: jobs))
            ?? ExperimentResult(name: experiment.name, seed: seed, trials: 0, plan: try! experiment.plan(Settings()), values: [])
    }
}
