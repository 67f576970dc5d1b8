import Experiments
import Patterns

/// Where a step's `experiment` block runs. Headless (`render`, `check`, tests) it runs before
/// the step is drawn, so the frame shows its trials. In the interactive player it runs off the
/// frame: a block may take seconds (a few hundred trials of a fifty-member failure detector),
/// and a step that froze the keyboard that long would look like a hang, q included.
public enum ExperimentRunMode: Sendable { case inline, background }

extension PlayerState {
    /// Starts the step's experiment: runs it here (inline), or leaves it pending for the loop
    /// to run and report back (background). The same block gives the same trials either way.
    mutating func loadExperiment() {
        experimentProgress = nil
        pendingExperiment = nil
        experiment = nil; experimentProblem = nil
        guard let line = session.experiment else { showingExperiment = false; return }
        showingExperiment = true
        if let earlier = experimentsRun.last(where: { $0.line == line }) { return finishExperiment(line, .success(earlier.result)) }
        switch experimentMode {
        case .inline:
            finishExperiment(line, LessonExperiment.parse(line).flatMap { $0.run(jobs: 2) })
        case .background:
            // A block that does not parse says so at once; only a run waits.
            switch LessonExperiment.parse(line) {
            case .success: pendingExperiment = line
            case .failure(let d): finishExperiment(line, .failure(d))
            }
        }
    }

    /// The loop's report on the block it is running: ignored unless it is this step's.
    mutating func experimentProgressed(_ line: String, done: Int, total: Int, seconds: Int) {
        guard pendingExperiment == line else { return }
        experimentProgress = (done, total, seconds)
    }

    mutating func experimentFinished(_ line: String, _ outcome: Result<ExperimentResult, Diagnostic>) {
        guard pendingExperiment == line else { return }
        finishExperiment(line, outcome)
    }

    private mutating func finishExperiment(_ line: String, _ outcome: Result<ExperimentResult, Diagnostic>) {
        pendingExperiment = nil; experimentProgress = nil
        switch outcome {
        case .success(let r):
            experiment = r; experimentProblem = nil
            if !experimentsRun.contains(where: { $0.line == line }) {
                experimentsRun.append((line, r))
                if experimentsRun.count > Self.experimentsKept { experimentsRun.removeFirst() }
            }
        // `check` refuses such a block; a lesson played unchecked says why it shows no trials,
        // in the plot's place (a status line is gone at the next frame).
        case .failure(let d): experiment = nil; experimentProblem = d.message
        }
    }
}

extension AppModel {
    /// The experiment block the screen is waiting for, for the loop to run off the frame.
    public var pendingExperiment: String? {
        switch screen {
        case .player(let p): return p.pendingExperiment
        case .presenter(let s): return s.player.pendingExperiment
        default: return nil
        }
    }

    /// Hands a report from the loop to the player on screen (the presenter's included).
    mutating func withPlayer(_ change: (inout PlayerState) -> Void) {
        switch screen {
        case .player(var p): change(&p); screen = .player(p)
        case .presenter(var s): change(&s.player); screen = .presenter(s)
        default: break
        }
    }
}
