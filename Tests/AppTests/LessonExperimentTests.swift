import Foundation
import Testing
import Experiments
import Lessons
import Simulation
@testable import App

/// A lesson step that shows an experiment's trials beside its one run.
@Suite struct LessonExperimentTests {
    @Test func aStepShowsItsExperimentAndPSwitchesToTheCluster() {
        let text = BuiltinLessons.all.first { $0.name == "raft-split-vote" }!.text
        let doc = LessonDocument(file: "s.md", name: "s", text: text)
        let k = doc.steps.firstIndex { !$0.experiments.isEmpty }!
        #expect(doc.steps[k].experiments.first?.text == "raft-election --trials 100 --set spread=25,50,150")
        #expect(!doc.steps[k].narration.joined().contains("raft-election --trials"))
        guard case .success(let s) = Catalog.open(doc, atStep: k + 1, interactive: true) else { fatalError() }
        var m = AppModel(screen: .player(PlayerState(session: s)), width: 100, height: 30, glyphs: .unicode)
        #expect(m.player?.experiment?.summaries.map(\.finished) == [100, 100, 100])
        #expect(m.view().text.contains("raft-election: 3 points, 100 trials each"))
        #expect(m.view().text.contains("time to elect a new leader (ms) against spread ms"))
        m.update(.key(.char("P")))
        #expect(!m.view().text.contains("raft-election: 3 points"))
        #expect(m.view().text.contains("n5"))
    }

    @Test func aBadBlockSaysWhatIsWrong() {
        func problem(_ line: String) -> String? {
            if case .failure(let d) = LessonExperiment.parse(line) { return d.message }
            return nil
        }
        #expect(problem("raft-electon")?.contains("did you mean 'raft-election'") == true)
        #expect(problem("raft-election --trials 100000")?.contains("from 1 to 500") == true)
        #expect(problem("raft-election --set nope=1")?.contains("has no setting 'nope'") == true)
        #expect(problem("raft-election --set =5")?.hasPrefix("--set =5 names no setting: write key=value, with a key of spread, min") == true)
        #expect(problem("raft-election --trials") != nil)
        // As on the command line: a second value for one key would silently win.
        #expect(problem("raft-election --set min=150ms --set min=300ms")?.contains("--set min is given twice") == true)
        #expect(problem("raft-election --set min=150ms --trials 20") == nil)
        #expect(problem("raft-election --trials 50") == nil)
        // Memory: a hundred thousand nodes at fanout 10 is refused before a trial runs (two such
        // trials held 358 MB within the budget of events); ten thousand at fanout 1 is not.
        #expect(problem("gossip-rounds --trials 2 --set n=10,100000 --set fanout=10")?.hasPrefix("its largest trial holds about 1,100,000 nodes and messages at once") == true)
        #expect(problem("rumor-residue --set nodes=40000")?.contains("about 80,000 nodes and messages") == true)
        #expect(problem("gossip-rounds --set n=10000 --set mode=push-pull") == nil)
        #expect(problem("raft-election\t--trials 50") == nil)
        let twoLines = LessonDocument(file: "l.md", name: "l", text: "---\ntitle: T\npattern: raft\n---\n\n## S\n\n```experiment\nraft-election\nraft-split-votes\n```\n")
        #expect(twoLines.diagnostics.first?.message.hasPrefix("an experiment block is one line") == true, "\(twoLines.diagnostics)")
        // Said once however long the block: 10,000 lines used to give 9,999 problems.
        let long = LessonDocument(file: "l.md", name: "l", text: "---\ntitle: T\npattern: raft\n---\n\n## S\n\n```experiment\n" + String(repeating: "raft-election\n", count: 500) + "```\n")
        #expect(long.diagnostics.filter { $0.message.hasPrefix("an experiment block is one line") }.count == 1, "\(long.diagnostics.count) problems")
        // One per step.
        let two = LessonDocument(file: "t.md", name: "t", text: "---\ntitle: T\npattern: raft\n---\n\n## S\n\n```experiment\nraft-election\n```\n\n```experiment\nraft-split-votes\n```\n")
        #expect(two.diagnostics.first?.message.contains("one experiment") == true)
        // An empty block is a mistake, named at its line, not a step without an experiment.
        let empty = LessonDocument(file: "e.md", name: "e", text: "---\ntitle: E\npattern: raft\n---\n\n## S\n\nWords.\n\n```experiment\n\n```\n")
        #expect(empty.diagnostics.first.map { ($0.line, $0.message.hasPrefix("this experiment block is empty")) } ?? (0, false) == (10, true), "\(empty.diagnostics)")
    }

    /// A block's trials share a budget of events: past it, the block is refused, in `check` and
    /// in the player alike, naming the same trial whatever the number of threads.
    @Test func aBlockPastItsBudgetIsRefusedTheSameOnAnyThreads() {
        func refusal(_ line: String, jobs: Int) -> String? {
            guard case .success(let e) = LessonExperiment.parse(line) else { return "did not parse" }
            if case .failure(let d) = e.run(jobs: jobs) { return d.message }
            return nil
        }
        // Identical timeouts never elect: each trial runs the full minute.
        let lockstep = "raft-election --trials 500 --set spread=0"
        let one = refusal(lockstep, jobs: 1)
        #expect(one?.contains("at spread ms 0 needed more than 10,000 simulated events") == true, "\(one ?? "ran")")
        #expect(refusal(lockstep, jobs: 2) == one)
        // Twenty thousand nodes: the first trial is refused, not 500 of them run.
        #expect(refusal("gossip-rounds --trials 500 --set n=20000", jobs: 2)?.hasPrefix("trial 1 at n 20000 needed more than") == true)
        // Trials that never finish are refused too: at 1 % failures the breaker never opens.
        #expect(refusal("breaker-trip --trials 2 --set failure=1", jobs: 2) == "the experiment ran, but none of its 2 trials finished")
        // A doomed point is found at once: its first trial runs third, not after 200 others.
        let counter = Counter()
        let doomed = LessonExperiment.parse("gossip-rounds --trials 100 --set n=10,100,20000").flatMap { $0.run(jobs: 1, progress: { _, _ in counter.add() }) }
        if case .failure(let d) = doomed { #expect(d.message.hasPrefix("trial 1 at n 20000 needed more than")) } else { Issue.record("ran") }
        #expect(counter.value == 2)
        // The lesson's own block fits well within it.
        #expect(refusal("raft-election --trials 100 --set spread=25,50,150", jobs: 2) == nil)
    }

    /// A lesson played without `check` says why its step shows no trials, in the plot's place,
    /// and it stays there as time passes (a status line was overwritten at the next frame).
    @Test func thePlayerSaysWhyABlockDidNotRun() {
        let doc = LessonDocument(file: "b.md", name: "b", text: "---\ntitle: B\npattern: raft\n---\n\n## S\n\nOne election, then many.\n\n```experiment\nraft-election --trials 500 --set spread=0\n```\n")
        guard case .success(let s) = Catalog.open(doc, atStep: 1, interactive: true) else { Issue.record("did not open"); return }
        var m = AppModel(screen: .player(PlayerState(session: s)), width: 100, height: 30, glyphs: .unicode)
        #expect(m.player?.experiment == nil)
        m.update(.tick(100_000))
        m.update(.tick(100_000))
        let screen = m.view().text
        #expect(screen.contains("This step's experiment cannot run:") && screen.contains("needed more than 10,000"), "\(screen)")
        m.update(.key(.char("P")))
        #expect(!m.view().text.contains("This step's experiment cannot run:") && m.view().text.contains("n5"))
    }
}

/// The interactive player runs a step's block off the frame: the model waits for it, takes its
/// progress and outcome as messages, and drops reports for a step it has left.
@Suite struct BackgroundExperimentTests {
    static let text = "---\ntitle: B\npattern: raft\n---\n\n## One\n\nOne election.\n\n## Many\n\nMany.\n\n```experiment\nraft-election --trials 20 --set spread=25\n```\n\n## Bad\n\nOops.\n\n```experiment\nraft-election --set nope=1\n```\n"
    static let block = "raft-election --trials 20 --set spread=25"

    func model(atStep k: Int) -> AppModel {
        let doc = LessonDocument(file: "b.md", name: "b", text: Self.text)
        guard case .success(let s) = Catalog.open(doc, atStep: k, interactive: true) else { fatalError("did not open") }
        return AppModel(screen: .player(PlayerState(session: s, experiments: .background)), width: 100, height: 30, glyphs: .unicode)
    }

    @Test func theModelWaitsShowsProgressAndTakesTheOutcome() {
        var m = model(atStep: 2)
        #expect(m.pendingExperiment == Self.block)
        #expect(m.player?.experiment == nil)
        #expect(m.view().text.contains("Running this step's experiment: starting"))
        m.update(.experimentProgress(block: Self.block, done: 0, total: 20, seconds: 3))
        #expect(m.view().text.contains("Running this step's experiment: 0 of 20 trials, 3 s"))
        m.update(.experimentProgress(block: Self.block, done: 7, total: 20, seconds: 0))
        #expect(m.view().text.contains("Running this step's experiment: 7 of 20 trials"))
        // A report for another block (a step already left) changes nothing.
        m.update(.experimentProgress(block: "raft-election --trials 9", done: 1, total: 9, seconds: 1))
        #expect(m.view().text.contains("7 of 20 trials"))
        let outcome = LessonExperiment.parse(Self.block).flatMap { $0.run(jobs: 1) }
        m.update(.experimentFinished(block: "raft-election --trials 9", outcome))
        #expect(m.pendingExperiment == Self.block && m.player?.experiment == nil)
        m.update(.experimentFinished(block: Self.block, outcome))
        #expect(m.pendingExperiment == nil)
        #expect(m.player?.experiment?.summaries.map(\.finished) == [20])
        #expect(m.view().text.contains("raft-election: 20 trials"))
        // Left and returned to, the step shows the same trials at once: nothing runs again.
        m.update(.key(.right))
        m.update(.key(.left))
        #expect(m.pendingExperiment == nil, "the block was run again")
        #expect(m.player?.experiment?.values == (try? outcome.get())?.values)
        #expect(m.view().text.contains("raft-election: 20 trials"))
    }

    @Test func leavingTheStepStopsWaitingAndABadBlockSaysSoAtOnce() {
        var m = model(atStep: 2)
        m.update(.key(.right))
        // Step 3's block cannot parse: nothing to run, the reason is shown at once.
        #expect(m.pendingExperiment == nil)
        #expect(m.view().text.contains("This step's experiment cannot run:"))
        m.update(.key(.left))
        #expect(m.pendingExperiment == Self.block)
        m.update(.key(.left))
        #expect(m.pendingExperiment == nil && m.player?.hasExperiment == false)
    }

    /// Run off the frame or before it, a block gives the same trials.
    @Test func theSameBlockGivesTheSameTrialsEitherWay() {
        let doc = LessonDocument(file: "b.md", name: "b", text: Self.text)
        guard case .success(let s) = Catalog.open(doc, atStep: 2, interactive: true) else { Issue.record("did not open"); return }
        let inline = PlayerState(session: s).experiment?.values
        let outcome = LessonExperiment.parse(Self.block).flatMap { $0.run(jobs: 2, progress: { _, _ in }, stop: StopSignal()) }
        #expect(inline != nil && (try? outcome.get())?.values == inline)
        // Stopped at once, it says so rather than showing a part of the trials.
        let raised = StopSignal()
        raised.raise()
        let stopped = LessonExperiment.parse(Self.block).flatMap { $0.run(jobs: 2, stop: raised) }
        if case .failure(let d) = stopped { #expect(d.message.contains("stopped before its trials were done")) } else { Issue.record("a stopped run gave trials") }
    }
}

/// Counts calls from any thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
