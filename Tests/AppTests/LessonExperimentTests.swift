import Testing
import Experiments
import Lessons
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
        #expect(m.view().text.contains("raft-election: time to elect a new leader"))
        m.update(.key(.char("P")))
        #expect(!m.view().text.contains("raft-election: time to elect"))
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
        #expect(problem("raft-election --trials") != nil)
        // As on the command line: a second value for one key would silently win.
        #expect(problem("raft-election --set min=150ms --set min=300ms")?.contains("--set min is given twice") == true)
        #expect(problem("raft-election --set min=150ms --trials 20") == nil)
        #expect(problem("raft-election --trials 50") == nil)
        // One per step.
        let two = LessonDocument(file: "t.md", name: "t", text: "---\ntitle: T\npattern: raft\n---\n\n## S\n\n```experiment\nraft-election\n```\n\n```experiment\nraft-split-votes\n```\n")
        #expect(two.diagnostics.first?.message.contains("one experiment") == true)
    }
}
