import App
import Experiments
import Foundation
import Patterns
import Simulation

/// Runs the experiment block the screen waits for on threads of its own, so the player keeps
/// drawing and reading keys (q above all) while a few hundred trials run. The loop asks it
/// each time round what to tell the model; it never touches the model itself.
///
/// A block is known by its text: the same text gives the same trials (the seed is in it), so
/// a finished block is kept for when the student comes back to its step, and a block still
/// running when the step is left stops at its next trial.
final class ExperimentWorker: @unchecked Sendable {
    private let lock = NSLock()
    private var running: (block: String, stop: StopSignal)?
    private var progress: (done: Int, total: Int)?
    private var reportedProgress: (done: Int, total: Int, seconds: Int)?
    private var startedAt: Int64 = 0
    private var outcome: Result<ExperimentResult, Diagnostic>?
    /// The last few finished blocks, newest last.
    private var kept: [(block: String, outcome: Result<ExperimentResult, Diagnostic>)] = []
    private static let keep = 8

    /// Whether a block is running (the loop then wakes often enough to show its progress).
    var busy: Bool { lock.lock(); defer { lock.unlock() }; return running != nil }

    /// What to tell the model now that it waits for `wanted` (nil: for none): the outcome of a
    /// block already run, or its progress; a block it no longer waits for is stopped.
    func messages(for wanted: String?) -> [Msg] {
        lock.lock(); defer { lock.unlock() }
        if let r = running, r.block != wanted {
            // Finished just as the student left its step: kept for their return all the same.
            if let o = outcome { keep(r.block, o) } else { r.stop.raise() }
            running = nil; outcome = nil
        }
        guard let wanted else { return [] }
        if let done = kept.first(where: { $0.block == wanted }) { return [.experimentFinished(block: wanted, done.outcome)] }
        if running == nil { start(wanted) }
        if let o = outcome {
            running = nil; outcome = nil
            keep(wanted, o)
            return [.experimentFinished(block: wanted, o)]
        }
        // Trials done, and every new second: a long first trial has nothing else to show.
        let p = (done: progress?.done ?? 0, total: progress?.total ?? 0, seconds: Int((monotonicMicros() - startedAt) / 1_000_000))
        if reportedProgress.map({ $0 != p }) ?? true {
            reportedProgress = p
            return [.experimentProgress(block: wanted, done: p.done, total: p.total, seconds: p.seconds)]
        }
        return []
    }

    /// Called with the lock held.
    private func keep(_ block: String, _ o: Result<ExperimentResult, Diagnostic>) {
        kept.append((block, o))
        if kept.count > Self.keep { kept.removeFirst() }
    }

    /// Called with the lock held.
    private func start(_ block: String) {
        let stop = StopSignal()
        running = (block, stop)
        progress = nil; reportedProgress = nil; outcome = nil
        startedAt = monotonicMicros()
        Thread.detachNewThread { [self] in
            let result = LessonExperiment.parse(block).flatMap { e in
                e.run(jobs: 2, progress: { [self] done, total in
                    lock.lock(); if !stop.isRaised { progress = (done, total) }; lock.unlock()
                }, stop: stop)
            }
            lock.lock()
            if !stop.isRaised { outcome = result }
            lock.unlock()
        }
    }
}
