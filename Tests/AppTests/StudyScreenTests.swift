import Testing
@testable import App
import Canvas
import Lessons
import Patterns
import Simulation
import Scenes

/// What the narration talks about is drawn: log entries, their commit state and replacement,
/// a selected node's exact state, the direction of a message.
@Suite struct StudyScreenTests {
    func builtin(_ name: String, step: Int, width: Int = 100, height: Int = 30) -> AppModel {
        let text = BuiltinLessons.all.first { $0.name == name }!.text
        guard case .success(let s) = Catalog.open(LessonDocument(file: name, name: name, text: text), atStep: step, interactive: true) else {
            fatalError(name)
        }
        return AppModel(screen: .player(PlayerState(session: s)), width: width, height: height, glyphs: .unicode)
    }

    @Test func raftLogsAreDrawnEntryByEntryWithCommitAndReplacement() {
        // Partition, step 6: the stale side holds x=1 uncommitted, the majority y=2 committed.
        let split = builtin("raft-partition", step: 6).view().text
        #expect(split.contains("n3 □1:t1 x=1"))
        #expect(split.contains("n2 ■1:t2 y=2"))
        // Step 7 heals: n3 and n4 replace x=1 with y=2, and the screen shows what went.
        let healed = builtin("raft-partition", step: 7).view().text
        #expect(healed.contains("n3 ■1:t2 y=2  ✗1:t1 x=1"))
        #expect(healed.contains("n4 ■1:t2 y=2  ✗1:t1 x=1"))
        // At 80x24 too.
        #expect(builtin("raft-partition", step: 7, width: 80, height: 24).view().text.contains("✗1:t1 x=1"))
    }

    @Test func aLongLogShowsItsTailAndSaysHowMuchIsHidden() {
        let requests = (1...12).map { "request k=\($0)" }.joined(separator: "\n")
        let text = "---\ntitle: Long\npattern: raft\nseed: 1\n---\n\n## Many\n\n```sim\nrun until leader exists within 2s\n\(requests)\nrun 500ms\n```\n"
        var m = Fixtures.player(lesson: text, step: 1, width: 80, height: 24)
        m.update(.tick(0))
        let screen = m.view().text
        let row = screen.split(separator: "\n").first { $0.contains("│n1 ") }.map(String.init) ?? ""
        #expect(row.contains("…"), "\(screen)")
        #expect(row.contains("12:t1 k=12"))
        #expect(!row.contains(" 1:t1 k=1 "))
    }

    @Test func aSelectedNodeShowsItsExactState() throws {
        var m = builtin("raft-log-replication", step: 3)
        m.update(.key(.char("3")))
        let text = m.view().text
        #expect(text.contains("n3 in full"))
        #expect(text.contains("nextIndex n1=4 n2=4 n4=4 n5=2"))
        #expect(text.contains("matchIndex n1=3 n2=3 n4=3 n5=1"))
        #expect(text.contains("next heartbeat in"))
        m.update(.key(.char("1")))
        let follower = m.view().text
        #expect(follower.contains("n1 follower • term 1 • voted for"))
        #expect(follower.contains("election timeout in"))
        m.update(.key(.escape))
        #expect(m.view().text.contains("┌ Events"))
    }

    @Test func aChoiceQuestionLeavesDigitsToSelectANode() {
        var m = Fixtures.quizPlayer()
        m.update(.key(.right))
        m.update(.key(.char("2")))
        #expect(m.player?.selected == 1)
        #expect(m.player?.quiz?.marking == nil)
        #expect(m.view().text.contains("n2 in full"))
        #expect(m.view().text.contains("Can five nodes"))
    }

    @Test func messageHeadsPointAtTheReceiver() {
        let g = GlyphSet.unicode
        #expect(g.head(dx: 10, dy: 0) == "→")
        #expect(g.head(dx: -10, dy: 0) == "←")
        #expect(g.head(dx: 0, dy: 4) == "↓")
        #expect(g.head(dx: 0, dy: -4) == "↑")
        #expect(g.head(dx: 8, dy: 4) == "↘")
        #expect(g.head(dx: -8, dy: -4) == "↖")
        #expect(GlyphSet.ascii.head(dx: 0, dy: 4) == "v")
        #expect(GlyphSet.ascii.head(dx: -3, dy: 0) == "<")
    }
}

@Suite struct ASCIIScreenTests {
    /// `--ascii` promises ASCII in every string: narration, status, key bar, panels, questions.
    @Test func everyLessonEveryStepIsASCII() {
        for (name, text) in BuiltinLessons.all {
            let doc = LessonDocument(file: name, name: name, text: text)
            for step in 0...doc.steps.count {
                guard case .success(let s) = Catalog.open(doc, atStep: step, interactive: true) else { Issue.record("\(name)"); continue }
                var m = AppModel(screen: .player(PlayerState(session: s)), width: 80, height: 24, glyphs: .ascii)
                m.update(.key(.char("2")))            // a node's panel
                m.update(.key(.right))                // the next step (and its question, if any)
                for (y, line) in m.view().text.split(separator: "\n").enumerated() where !line.unicodeScalars.allSatisfy(\.isASCII) {
                    Issue.record("\(name) step \(step + 1), row \(y): \(line)")
                }
            }
        }
    }

    @Test func foldingKeepsMeaning() {
        #expect(ASCIIFold.string("step done: → next step · space") == "step done: -> next step . space")
        #expect(ASCIIFold.string("a ≤ b, V✓, 2×, …") == "a <= b, V+, 2x, ...")
        #expect(ASCIIFold.string("plain") == "plain")
    }
}

@Suite struct EventLogTests {
    func e(_ kind: JournalEntry.Kind, _ text: String, _ t: SimTime = 0, node: NodeID? = nil) -> JournalEntry {
        JournalEntry(time: t, kind: kind, node: node, text: text)
    }

    @Test func checksFoldAndFailuresShow() {
        let entries = [e(.send, "RequestVote"), e(.expect, "✓ leader exists"), e(.command, "crash n3"), e(.expect, "✓ term == 1"),
                       e(.expect, "✗ leader is n2 — found n3"), e(.deliver, "Vote")]
        let folded = EventLog.lines(entries, folded: true)
        #expect(folded == [.entry(entries[0]), .entry(entries[2]), .checks(passed: 2, at: 0), .entry(entries[4]), .entry(entries[5])])
        #expect(EventLog.lines(entries, folded: false).count == entries.count)
    }

    @Test func checksFoldWithinTheirStep() {
        let entries = [e(.expect, "✓ a"), e(.step, "step 2: B"), e(.expect, "✓ b"), e(.expect, "✓ c")]
        #expect(EventLog.lines(entries, folded: true) == [.checks(passed: 1, at: 0), .entry(entries[1]), .checks(passed: 2, at: 0)])
    }

    @Test func thePlayerFoldsChecksUntilAskedAndScrolls() {
        var m = Fixtures.player(step: 1)
        var text = m.view().text
        #expect(text.contains("1 lesson check held"))
        #expect(!text.contains("✓ leader is n3"))
        m.update(.key(.char("l")))
        text = m.view().text
        #expect(text.contains("✓ leader is n3"))
        #expect(text.contains("Events: every line"))
        m.update(.key(.up)); m.update(.key(.up))
        #expect(m.view().text.contains("2 back"))
        #expect(m.view().text != text)
    }
}

@Suite struct SandboxTests {
    func sandbox(_ pattern: String, _ settings: [(String, String)] = [("nodes", "3")]) -> AppModel {
        guard case .success(let s) = Catalog.open(Catalog.sandboxDocument(pattern: pattern, settings: settings), atStep: 1, interactive: true) else { fatalError() }
        return AppModel(screen: .player(PlayerState(session: s, sandbox: true)), width: 100, height: 30, glyphs: .unicode)
    }

    @Test func sendAsksForTheReceiver() {
        var m = sandbox("clocks", [("nodes", "3"), ("workload", "0")])
        m.update(.key(.char("s")))
        #expect(m.player?.status?.contains("select a node first") == true)
        m.update(.key(.char("1")))
        m.update(.key(.char("s")))
        #expect(m.player?.status?.contains("from n1 to which node?") == true)
        m.update(.key(.char("3")))
        #expect(m.player?.status == "send: n1 to n3")
        m.update(.key(.char("s"))); m.update(.key(.char("1")))
        #expect(m.player?.status?.contains("does not send to itself") == true)
        m.update(.key(.char(" ")))
        for _ in 0..<200 { m.update(.tick(33_000)) }
        let text = m.view().text
        #expect(text.contains("n3 [1,0,1]"), "\(text)")          // n3 received n1's message
    }

    @Test func aBareClocksSandboxHasTrafficAndSaysWhatToPress() {
        var m = sandbox("clocks", [("nodes", "3"), ("seed", "1")])
        m.update(.key(.char(" ")))
        for _ in 0..<300 { m.update(.tick(33_000)) }
        #expect(m.view().text.contains(" events. [ and ] select"))   // background events appear by themselves
        // A student's own setting wins over the default.
        let quiet = Catalog.sandboxDocument(pattern: "clocks", settings: [("workload", "0")])
        #expect(quiet.settings["workload"] == "0")
        #expect(Catalog.sandboxDocument(pattern: "clocks", settings: []).settings["workload"] == "2")
    }

    @Test func aSandboxHelpListsOnlyKeysThatWork() {
        var m = sandbox("clocks")
        m.update(.key(.char("?")))
        let help = m.view().text
        #expect(!help.contains("next step"))
        #expect(!help.contains("restart this step"))
        #expect(help.contains("send (then a node)"))
    }

    @Test func everyPatternsSandboxDefaultsAreRealSettings() {
        for p in Catalog.patterns {
            #expect(!p.sandboxHint.isEmpty)
            // The pattern's own settings, or those every lesson has (nodes, seed, the network's).
            let common = ["nodes", "seed", "latency", "loss", "duplicate"]
            for d in p.sandboxDefaults { #expect(p.settings.contains { $0.key == d.key } || common.contains(d.key), "\(p.name): \(d.key)") }
        }
    }
}

@Suite struct PacingTests {
    /// Real seconds each step of a built-in lesson takes on screen at the default speed.
    static func screenTime(_ name: String) -> [Double] {
        let text = BuiltinLessons.all.first { $0.name == name }!.text
        guard case .success(let s) = Catalog.open(LessonDocument(file: name, name: name, text: text), atStep: 0, interactive: true) else { return [] }
        var m = AppModel(screen: .player(PlayerState(session: s)), width: 100, height: 30, glyphs: .unicode)
        var out: [Double] = []
        while true {
            let before = m.player!.session.step
            m.update(.key(.right))
            guard m.player!.session.step > before else { break }
            if m.player!.quiz != nil { m.update(.key(.escape)) }
            var seconds = 0.0
            m.update(.tick(0))
            while m.wantsTicks && seconds < 600 { m.update(.tick(33_000)); seconds += 0.033 }
            out.append(seconds)
        }
        return out
    }

    /// Waiting drags no step, and many rounds of the same exchange still end: every step of
    /// every built-in lesson plays in under half a minute at the default speed.
    @Test(arguments: BuiltinLessons.all.map(\.name))
    func noStepDrags(_ name: String) {
        let times = Self.screenTime(name)
        #expect(!times.isEmpty)
        for (k, t) in times.enumerated() { #expect(t < 30, "\(name) step \(k + 1) takes \(Int(t)) s on screen") }
    }

    @Test func aQuietRunOfTimeOnlyPassesQuickly() {
        // wall-monotonic's steps let time pass with nothing scheduled at all.
        let times = Self.screenTime("clocks-wall-monotonic")
        #expect(times.allSatisfy { $0 < 4 }, "\(times)")
    }
}

@Suite struct MessagesOnScreenTests {
    /// Plays into `step` of a built-in lesson and reports whether any frame drew one of `labels`.
    func seen(_ name: String, step: Int, width: Int, height: Int, labels: [String]) -> Bool {
        let text = BuiltinLessons.all.first { $0.name == name }!.text
        guard case .success(let s) = Catalog.open(LessonDocument(file: name, name: name, text: text), atStep: step - 1, interactive: true) else { return false }
        var m = AppModel(screen: .player(PlayerState(session: s)), width: width, height: height, glyphs: .unicode)
        m.update(.key(.right))
        if m.player?.quiz != nil { m.update(.key(.escape)) }
        m.update(.tick(0))
        for _ in 0..<2_000 where m.wantsTicks {
            m.update(.tick(33_000))
            let cluster = m.view().text.split(separator: "\n").dropFirst().prefix(height - 10).joined()
            if labels.contains(where: cluster.contains) { return true }
        }
        return false
    }

    /// Cards packed in a grid (120x34) or shrunk beside the log table (80x24) once hid every
    /// message; a ring is preferred and a label finds room along its way.
    @Test func votesAreSeenTravellingAtEverySize() {
        for (w, h) in [(80, 24), (100, 30), (120, 34), (160, 48)] {
            #expect(seen("raft-first-election", step: 4, width: w, height: h, labels: ["V✓"]), "\(w)x\(h)")
        }
    }

    @Test func replicationIsSeenBesideTheLogTable() {
        #expect(seen("raft-partition", step: 5, width: 80, height: 24, labels: ["AE+1", "ok"]))
        #expect(seen("raft-log-replication", step: 2, width: 80, height: 24, labels: ["AE+1", "ok"]))
    }
}

@Suite struct ClocksSubjectTests {
    func screen(_ name: String, step: Int, width: Int = 80, height: Int = 24) -> String {
        let text = BuiltinLessons.all.first { $0.name == name }!.text
        guard case .success(let s) = Catalog.open(LessonDocument(file: name, name: name, text: text), atStep: step, interactive: true) else { return "" }
        return AppModel(screen: .player(PlayerState(session: s)), width: width, height: height, glyphs: .unicode).view().text
    }

    @Test func conflictsShowVersionsAndSiblings() {
        let s = screen("clocks-conflicts", step: 4)
        #expect(s.contains("n2 x: 3 [2,2] │ 2 [3,0]  2 siblings"), "\(s)")
        #expect(screen("clocks-conflicts", step: 5).contains("n1 x: 5 [4,4]"))
    }

    @Test func wallAndMonotonicClocksAreDrawnWithTheStepAndTheMeasurement() {
        let s = screen("clocks-wall-monotonic", step: 3, width: 100, height: 30)
        #expect(s.contains("stepped -1.000s"), "\(s)")
        #expect(s.contains("measured: wall -500ms, mono 500ms"))
        #expect(screen("clocks-wall-monotonic", step: 2, width: 100, height: 30).contains("wall 1.300s"))
    }

    @Test func lessonLabelsAreOnTheDiagram() {
        let s = screen("clocks-lamport", step: 4, width: 100, height: 30)
        for label in ["e1 a", "e2 b", "e5 c", "e6 d"] { #expect(s.contains(label), "\(label)") }
    }

    @Test func aLongStepTitleIsShownWholeAt80x24() {
        let s = screen("raft-partition", step: 5)
        #expect(s.contains("Writes to the old leader go") && s.contains("nowhere"), "\(s)")
    }
}

@Suite struct QuestionRoomTests {
    /// While a question has the keys, a scene does not offer its own ("[ and ] select an
    /// event", "start one (s)"): pressing them would answer the question instead.
    @Test func scenesHideTheirKeyHintsWhileAQuestionIsOpen() {
        for (lesson, hint) in [("clocks-vector", "[ and ] select an event"), ("saga-outbox", "start one (s)")] {
            let (name, text) = BuiltinLessons.all.first { $0.name == lesson }!
            let doc = LessonDocument(file: name, name: name, text: text)
            guard let k = doc.steps.firstIndex(where: { !$0.quizzes.isEmpty }),
                  case .success(let s) = Catalog.open(doc, atStep: k, interactive: true) else { Issue.record("\(lesson) does not open at its question"); continue }
            var m = AppModel(screen: .player(PlayerState(session: s)), width: 100, height: 30, glyphs: .unicode)
            #expect(m.view().text.contains(hint), "\(lesson): no hint before the question")
            m.update(.key(.right))
            #expect(m.player?.quiz != nil && !m.view().text.contains(hint), "\(lesson): the hint shows under the question")
            m.update(.key(.escape))
            #expect(m.player?.quiz == nil)
        }
    }

    /// Every built-in question at 80x24: moving to each choice brings all of its rows on
    /// screen (a long last choice showed its first row only, over "more").
    @Test func aChosenChoiceIsShownWholeAt80x24() {
        for (name, text) in BuiltinLessons.all {
            let doc = LessonDocument(file: name, name: name, text: text)
            for (k, step) in doc.steps.enumerated() where !step.quizzes.isEmpty && !step.quizzes[0].choices.isEmpty {
                guard case .success(let s) = Catalog.open(doc, atStep: k, interactive: true) else { continue }
                var m = AppModel(screen: .player(PlayerState(session: s)), width: 80, height: 24, glyphs: .unicode)
                m.update(.key(.right))
                for (i, choice) in step.quizzes[0].choices.enumerated() {
                    if i > 0 { m.update(.key(.down)) }
                    let screen = m.view().text
                    let lastWord = String(choice.split(separator: " ").last ?? "")
                    #expect(screen.contains(lastWord), "\(name) step \(k + 1): choice \(i + 1) ends off screen ('\(lastWord)')")
                }
            }
        }
    }

    /// Every choice of every built-in question is on screen at 80x24 when it opens.
    @Test func everyChoiceIsVisibleAt80x24() {
        for (name, text) in BuiltinLessons.all {
            let doc = LessonDocument(file: name, name: name, text: text)
            for (k, step) in doc.steps.enumerated() where !step.quizzes.isEmpty {
                guard case .success(let s) = Catalog.open(doc, atStep: k, interactive: true) else { continue }
                var m = AppModel(screen: .player(PlayerState(session: s)), width: 80, height: 24, glyphs: .unicode)
                m.update(.key(.right))
                let screen = m.view().text
                for (i, choice) in step.quizzes[0].choices.enumerated() {
                    let start = "\(Array("abcdefghij")[i])) " + choice.split(separator: " ").prefix(1).joined()
                    #expect(screen.contains(start), "\(name) step \(k + 1): '\(start)' not on screen")
                }
            }
        }
    }
}
