import Testing
import Canvas
import Lessons
@testable import App

/// Presenting to a room: driven by a clicker's keys only, questions put to the class and
/// revealed on the next click, the screen blanked and back, speaker notes kept off the screen.
@Suite struct PresenterTests {
    static func builtin(_ name: String) -> String { BuiltinLessons.all.first { $0.name == name }!.text }

    static func presenter(_ text: String, step: Int = 0, width: Int = 64, height: Int = 20) -> AppModel {
        let doc = LessonDocument(file: "p.md", name: "p", text: text)
        guard case .success(let s) = Catalog.open(doc, atStep: step, interactive: true) else { fatalError("presenter fixture") }
        return AppModel(screen: .presenter(PresenterState(player: PlayerState(session: s))), width: width, height: height, glyphs: .unicode)
    }

    static func clickUntil(_ m: inout AppModel, _ done: (AppModel) -> Bool, limit: Int = 40) {
        for _ in 0..<limit where !done(m) {
            m.update(.key(.pageDown))
            for _ in 0..<60 { m.update(.tick(33_333)) }
        }
    }

    /// Every built-in class question at 80x24 and 100x30: each choice is shown to its last word
    /// (long ones were cut with "…" at half the line), before and after hands are counted.
    @Test func classQuestionsShowEveryChoiceWhole() {
        for (name, text) in BuiltinLessons.all {
            let doc = LessonDocument(file: name, name: name, text: text)
            for (k, step) in doc.steps.enumerated() where !step.quizzes.isEmpty && !step.quizzes[0].choices.isEmpty {
                for (w, h) in [(80, 24), (100, 30)] {
                    var m = Self.presenter(text, step: k, width: w, height: h)
                    m.update(.key(.right))
                    if m.presenter?.pendingQuestion != nil { m.update(.key(.right)) }   // the narration, then the question
                    guard m.presenter?.question != nil else { continue }
                    for pass in 0..<2 {
                        let screen = m.view().text
                        for choice in step.quizzes[0].choices {
                            let last = String(choice.split(separator: " ").last ?? "")
                            #expect(screen.contains(last), "\(name) step \(k + 1) at \(w)x\(h)\(pass == 1 ? ", hands counted" : ""): '\(choice)' is cut")
                        }
                        m.update(.key(.char("a")))   // a raised hand: the bars take room too
                    }
                }
            }
        }
    }

    /// Choices too long to wrap within the box are cut to a row each instead, so none of
    /// them (nor its raised hands) is missing; a box that still overflows says "more".
    @Test func choicesTooLongToWrapAreCutNotLost() {
        let long = String(repeating: "A", count: 300), longer = String(repeating: "B", count: 300)
        let text = Fixtures.lesson.replacing("## First\n", with: "## First\n\n```quiz\n? Which one?\n- \(long)\n* \(longer)\n- short\n> Because.\n```\n")
        var m = Self.presenter(text, width: 80, height: 24)
        m.update(.key(.right)); m.update(.key(.right))   // the step's narration, then its question
        for k in ["a", "b", "b"] { m.update(.key(.char(Character(k)))) }
        let screen = m.view().text
        #expect(screen.contains("a) AAAA") && screen.contains("b) BBBB") && screen.contains("c) short"), "\(screen)")
        #expect(screen.contains(" 2 "), "b's two hands are shown:\n\(screen)")
    }

    @Test func aClickerAloneGoesThroughAQuestionRevealingItOnTheNextClick() {
        var m = Self.presenter(Self.builtin("raft-first-election"))
        #expect(!m.isTooSmall)                        // 64x20 is enough to present
        Self.clickUntil(&m) { $0.presenter?.question != nil }
        let asked = m.view().text
        #expect(asked.contains("Question for the class") && asked.contains("a) n1"))
        #expect(!asked.contains("✓"))                  // not revealed yet
        // The room's hands: a, a, c; a capital takes one back.
        for k in ["a", "a", "c", "c", "C"] { m.update(.key(.char(Character(k)))) }
        #expect(m.presenter?.question?.hands == [2, 0, 1, 0, 0])
        m.update(.key(.char("t")))
        m.update(.tick(5_000_000))
        #expect(m.view().text.contains("0:25"))        // thinking time counts down
        m.update(.key(.pageDown))                      // reveal
        let revealed = m.view().text
        #expect(revealed.contains("✓ c) n3"), "\(revealed)")
        m.update(.key(.pageUp))                        // hide it again
        #expect(!m.view().text.contains("✓ c) n3"))
        m.update(.key(.pageDown)); m.update(.key(.pageDown))   // reveal, close
        #expect(m.presenter?.question == nil)
        let step = m.presenter!.player.session.step
        Self.clickUntil(&m) { $0.presenter!.player.session.step > step }   // and on, by clicks alone
        #expect(m.presenter!.player.session.step == step + 1)
    }

    /// clocks-vector says "pin e3 with Enter"; in the presenter Enter was a click and went on
    /// to the next step. Right after a diagram key it pins; otherwise it is a click again.
    @Test func enterRightAfterADiagramKeyPinsTheEvent() {
        var m = Self.presenter(Self.builtin("clocks-vector"), step: 4)
        let step = m.presenter!.player.session.step
        m.update(.key(.char("]")))
        m.update(.key(.enter))
        #expect(m.presenter!.player.session.step == step)
        #expect(m.presenter?.status?.hasPrefix("pinned e") == true, "\(String(describing: m.presenter?.status))")
        m.update(.key(.enter))                          // once only: the next Enter is a click
        #expect(m.presenter!.player.session.step > step || m.presenter?.pendingQuestion != nil || m.presenter?.question != nil
                || m.presenter!.player.playing || m.presenter!.scroll > 0, "Enter after a pin stayed on the diagram")
        #expect(m.presenter?.status?.hasPrefix("unpinned") != true)
    }

    /// A clicker has no ↓: at 60x18 the end of a long narration ("a read-your-writes
    /// violation") was out of reach. A click on a step that stands still pages the band first,
    /// then goes on.
    @Test func aClickPagesNarrationTheBandCannotHold() {
        var m = Self.presenter(Self.builtin("eventsourcing-cqrs"), step: 6, width: 60, height: 18)
        var seen = m.view().text.contains("violation")
        var clicks = 0
        while m.presenter!.player.session.step == 6 && clicks < 10 {
            m.update(.key(.pageDown)); clicks += 1
            if m.presenter!.player.session.step == 6 { seen = seen || m.view().text.contains("violation") }
        }
        #expect(seen, "the narration's end was never shown")
        #expect(clicks > 1 && m.presenter!.player.session.step == 7)
        // Before a question too: first-election's Predict step at 60x18 asked before its last
        // sentence ("…to read its exact time left.") could be read.
        var q = Self.presenter(Self.builtin("raft-first-election"), step: 1, width: 60, height: 18)
        var read = false
        for _ in 0..<8 where q.presenter?.question == nil {
            q.update(.key(.pageDown))
            if q.presenter?.question == nil { read = read || q.view().text.contains("exact time left.") }
        }
        #expect(read && q.presenter?.question != nil)
    }

    /// At 60x18 the log rows left n5 out, with nothing said, on the steps about n5 catching
    /// up: the key line gives way first, and a row that still does not fit is counted.
    @Test func everyServersLogRowFitsAProjector() {
        let doc = LessonDocument(file: "r.md", name: "r", text: Self.builtin("raft-log-replication"))
        guard case .success(let s) = Catalog.open(doc, atStep: 2, interactive: false) else { Issue.record("open"); return }
        let screen = AppModel(screen: .presenter(PresenterState(player: PlayerState(session: s))), width: 60, height: 18, glyphs: .unicode).view().text
        for n in 1...5 { #expect(screen.contains("n\(n) ■1:t1"), "n\(n)'s log row: \(screen)") }
    }

    /// membership-phi's third step points at the who-suspects-whom matrix; at 60x18 it was one
    /// row short and not drawn. The band gives up the rows its text does not need.
    @Test func theMatrixTheNarrationPointsAtFitsAProjector() {
        let doc = LessonDocument(file: "m.md", name: "m", text: Self.builtin("membership-phi"))
        guard case .success(let s) = Catalog.open(doc, atStep: 3, interactive: false) else { Issue.record("open"); return }
        let screen = AppModel(screen: .presenter(PresenterState(player: PlayerState(session: s))), width: 60, height: 18, glyphs: .unicode).view().text
        #expect(screen.contains("who suspects whom") && screen.contains("in the matrix"), "\(screen)")
        #expect(screen.contains("whose links to n3 are steady, suspect n3 too."), "the narration is whole: \(screen)")
    }

    /// A Predict step's narration is the question's setup: the room reads it first, and the
    /// next click asks (the question had replaced it at once, and the text came after the
    /// answer). Back from the open question returns to that narration.
    @Test func thePredictStepsNarrationComesBeforeItsQuestion() {
        var m = Self.presenter(Self.builtin("raft-log-replication"))
        Self.clickUntil(&m) { $0.presenter?.pendingQuestion != nil }
        let step = m.presenter!.player.session.step
        let narration = m.view().text
        #expect(m.presenter?.question == nil && !narration.contains("Question for the class"))
        #expect(narration.contains("next: the question"), "\(narration)")
        m.update(.key(.pageDown))
        #expect(m.presenter?.question != nil && m.view().text.contains("Question for the class"))
        m.update(.key(.pageUp))
        #expect(m.presenter?.question == nil && m.presenter?.pendingQuestion != nil)
        #expect(m.view().text.contains("next: the question"))   // still told, after going back
        #expect(m.presenter!.player.session.step == step)
        m.update(.key(.pageDown)); m.update(.key(.pageDown))   // ask, reveal
        #expect(m.presenter?.question?.revealed == true)
    }

    /// At a projector's 60x18 the revealed answer's explanation lies below the question's box:
    /// ↓ scrolls to it (it could not be reached), ↑ back; and a node highlighted during the
    /// question is shown in full in its place, 0 bringing the question back.
    @Test func aSmallScreenScrollsTheQuestionAndShowsANodeInFullDuringIt() {
        var m = Self.presenter(Self.builtin("raft-first-election"), width: 60, height: 18)
        Self.clickUntil(&m) { $0.presenter?.question != nil }
        m.update(.key(.char("3")))
        let node = m.view().text
        #expect(node.contains("n3 in full (0 or Esc: the question again)") && node.contains("election timeout in"), "\(node)")
        #expect(!node.contains("Question for the class"))
        m.update(.key(.char("0")))
        #expect(m.view().text.contains("Question for the class"))
        m.update(.key(.pageDown))                      // reveal
        let explanation = "shortest"
        var seen = m.view().text.contains(explanation)
        for _ in 0..<12 where !seen { m.update(.key(.down)); seen = m.view().text.contains(explanation) }
        #expect(seen, "the explanation is never shown: \(m.view().text)")
        #expect(m.presenter?.question?.revealed == true)   // scrolling is not a click
        for _ in 0..<12 { m.update(.key(.up)) }
        #expect(m.view().text.contains("✓"))
    }

    @Test func blankingHidesEverythingAndAnyClickBringsItBack() {
        var m = Self.presenter(Self.builtin("raft-first-election"), step: 1)
        m.update(.key(.char("b")))
        #expect(m.view().text.allSatisfy { $0 == " " || $0 == "\n" })
        m.update(.key(.pageDown))
        #expect(m.view().text.contains("n1"))
        m.update(.key(.function(5)))
        #expect(m.presenter?.blanked == true)
        m.update(.key(.escape))
        #expect(m.presenter?.blanked == false)
    }

    @Test func aNumberQuestionCollectsTheClassGuessesAndShowsTheSpread() {
        let text = Self.builtin("raft-first-election").replacing("## Five followers wait\n", with: "## Five followers wait\n\n```quiz\n? How many votes make a majority of five?\n= 3\n> More than half.\n```\n")
        var m = Self.presenter(text)
        Self.clickUntil(&m) { $0.presenter?.question != nil }
        for guess in ["2", "3", "3", "5"] {
            for c in guess { m.update(.key(.char(c))) }
            m.update(.key(.enter))
        }
        #expect(m.presenter?.question?.guesses == [2, 3, 3, 5])
        #expect(m.view().text.contains("4 guesses: smallest 2, median 3, largest 5"))
        m.update(.key(.enter))                          // nothing typed: a click, the reveal
        #expect(m.view().text.contains("the answer: 3"))
        // Before a digit, letters are the presenter's: R restarts the step, g goes to one (they
        // were typed into the guess as "3R" and "g5").
        var n = Self.presenter(text)
        Self.clickUntil(&n) { $0.presenter?.question != nil }
        for k in ["g", "3"] { n.update(.key(.char(Character(k)))) }
        n.update(.key(.enter))
        #expect(n.presenter?.player.session.step == 3 && n.presenter?.question?.typing ?? "" == "")
    }

    @Test func goToAStepAndHighlightANode() {
        var m = Self.presenter(Self.builtin("raft-first-election"))
        for k in ["g", "4"] { m.update(.key(.char(Character(k)))) }
        m.update(.key(.enter))
        #expect(m.presenter?.player.session.step == 4)
        m.update(.key(.char("3")))
        #expect(m.presenter?.player.selected == 2)
        m.update(.key(.char("3")))
        #expect(m.presenter?.player.selected == nil)
    }

    /// A highlighted node's whole state (its term, vote, timer and log) is shown to the room in
    /// the narration's band, as the player shows it in the event log's place; 0, Esc or the
    /// digit again bring the narration back.
    @Test func aHighlightedNodeIsShownInFullInTheBand() {
        for (width, height) in [(64, 20), (100, 30)] {
            var m = Self.presenter(Self.builtin("raft-first-election"), step: 2, width: width, height: height)
            let narration = m.view().text
            m.update(.key(.char("3")))
            let shown = m.view().text
            #expect(shown.contains("n3 in full (0 or Esc: the text again)"), "\(shown)")
            #expect(shown.contains("voted for") && shown.contains("election timeout in"), "\(shown)")
            #expect(shown.contains("log 0 entries, committed through 0"), "\(shown)")
            for key in [Key.escape, .char("0"), .char("3")] {
                if m.presenter?.player.selected == nil { m.update(.key(.char("3"))) }
                m.update(.key(key))
                #expect(m.presenter?.player.selected == nil)
                #expect(m.view().text == narration, "\(key) at \(width)x\(height)")
            }
        }
    }

    @Test func speakerNotesAreParsedCheckedAndNeverDrawn() {
        let text = Self.builtin("raft-first-election").replacing("## Five followers wait\n", with: "## Five followers wait\n\n```notes\nAsk the room what a follower does with no leader.\n```\n")
        let doc = LessonDocument(file: "n.md", name: "n", text: text)
        #expect(doc.steps[0].notes.first == "Ask the room what a follower does with no leader.")
        #expect(!doc.steps[0].narration.joined().contains("Ask the room"))
        var m = Self.presenter(text)
        Self.clickUntil(&m) { $0.presenter?.player.session.step == 1 }
        #expect(m.presenter?.player.session.notes.first == "Ask the room what a follower does with no leader.")
        #expect(!m.view().text.contains("Ask the room"))
        let empty = LessonDocument(file: "e.md", name: "e", text: text.replacing("Ask the room what a follower does with no leader.\n", with: ""))
        #expect(empty.diagnostics.first?.message.contains("notes block is empty") == true)
    }

    @Test func aRecordingIsValidAsciicastAndEndsOnTheRenderedScreen() {
        let doc = LessonDocument(file: "r.md", name: "r", text: Self.builtin("clocks-vector"))
        guard case .success(let s) = Catalog.open(doc, atStep: 0, interactive: true) else { fatalError() }
        var o = Recording.Options()
        o.width = 80; o.height = 24; o.speed = 4
        let frames = Recording.frames(of: s, steps: 1...2, o)
        let cast = Recording.asciicast(frames, width: 80, height: 24, title: "t")
        let lines = cast.split(separator: "\n")
        #expect(lines[0].contains("\"version\": 2") && lines[0].contains("\"width\": 80"))
        var last = -1.0
        for l in lines.dropFirst() {
            #expect(l.hasPrefix("[") && l.contains(", \"o\", \""))
            let t = Double(l.dropFirst().prefix { $0 != "," })!
            #expect(t >= last)
            last = t
        }
        // Its last frame is what `render --present` shows at the end of step 2.
        guard case .success(let end) = Catalog.open(doc, atStep: 2, interactive: false) else { fatalError() }
        let rendered = AppModel(screen: .presenter(PresenterState(player: PlayerState(session: end))), width: 80, height: 24, glyphs: .unicode).view()
        #expect(frames.last!.canvas.text == rendered.text)
    }
}

/// The menu shows what a student finished and where they left the rest.
@Suite struct MenuProgressTests {
    @Test func finishedAndLeftLessonsAreMarkedAndAFinishedOneIsRemembered() {
        let entries = BuiltinLessons.all.prefix(3).map { MenuEntry(LessonDocument(file: $0.name, name: $0.name, text: $0.text)) }
        var m = AppModel(screen: .menu(MenuState(entries: Array(entries))), width: 100, height: 30, glyphs: .unicode)
        m.positions = [entries[0].document.name: -1, entries[1].document.name: 3]
        let text = m.view().text
        #expect(text.contains("✓ done") && text.contains("left at step 3"))
        // Quitting at the end of a lesson records it as finished (not as "left at" its last step).
        let doc = entries[2].document
        guard case .success(let s) = Catalog.open(doc, atStep: doc.steps.count, interactive: true) else { fatalError() }
        var p = AppModel(screen: .player(PlayerState(session: s)), width: 100, height: 30, glyphs: .unicode)
        p.update(.key(.char("q")))
        #expect(p.positions[doc.name] == -1)
        #expect(p.effects.contains { if case .savePosition(_, let step) = $0 { step == -1 } else { false } })
    }
}
