import Foundation
import Testing
import Canvas
import Lessons
@testable import App

@Suite struct BuiltinLessonsTests {
    @Test func embeddedCopiesMatchTheLessonsFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Lessons")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
        #expect(BuiltinLessons.all.map { $0.name + ".md" } == files, "run: python3 Scripts/embed-lessons.py")
        for (name, text) in BuiltinLessons.all {
            let onDisk = try String(contentsOf: folder.appendingPathComponent(name + ".md"), encoding: .utf8)
            #expect(text == onDisk, "\(name) is stale; run: python3 Scripts/embed-lessons.py")
        }
    }

    @Test func everyBuiltinLessonPassesCheck() {
        #expect(BuiltinLessons.all.count >= 5)
        for (name, text) in BuiltinLessons.all {
            let o = checkLesson(LessonDocument(file: name, name: name, text: text), among: Catalog.lessonPatterns)
            #expect(o.passed, "\(name): \(o.diagnostics) \(o.failure ?? "")")
        }
    }

    @Test func everyBuiltinLessonHasAQuiz() {
        for (name, text) in BuiltinLessons.all {
            let doc = LessonDocument(file: name, name: name, text: text)
            #expect(doc.steps.contains { !$0.quizzes.isEmpty }, "\(name) has no quiz")
        }
    }

    /// The right choice is not the one that is half as long again as every other: students
    /// learn to pick the longest answer (a walk-through found 14 such questions).
    @Test func noRightChoiceGivesItselfAwayByItsLength() {
        for (name, text) in BuiltinLessons.all {
            for step in LessonDocument(file: name, name: name, text: text).steps {
                for q in step.quizzes {
                    guard case .choice(let right) = q.answer else { continue }
                    let wrong = q.choices.indices.filter { $0 != right }.map { q.choices[$0].count }.max() ?? 0
                    let length = q.choices[right].count
                    #expect(Double(length) < 1.5 * Double(wrong) || length - wrong < 10, "\(name): '\(q.choices[right])' is the longest by far")
                }
            }
        }
    }

    @Test func everyBuiltinLessonAsksBeforeItReveals() {
        // House style: each lesson has at least one step that poses a question before the answer.
        for (name, text) in BuiltinLessons.all {
            #expect(text.contains("## Predict"), "\(name) has no prediction step")
        }
    }
}

@Suite struct ReadmeTests {
    /// The README opens with a real screen: it must be what `render` prints today.
    @Test func theReadmeCaptureIsTheCurrentRender() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let (name, text) = BuiltinLessons.all.first { $0.name == "raft-partition" }!
        guard case .success(let s) = Catalog.open(LessonDocument(file: name, name: name, text: text), atStep: 7, interactive: false) else {
            Issue.record("open"); return
        }
        let screen = AppModel(screen: .player(PlayerState(session: s)), width: 100, height: 34, glyphs: .unicode).view().text
        #expect(readme.contains("```\n" + screen + "```"),
                "README's capture is stale: clustertutor render raft-partition --step 7 --width 100 --height 34")
    }

    /// A question's narration usually ends with what to look at before answering ("press a
    /// node's number to read its time left"): at 80x24, with the question open, it is on
    /// screen to the last line, or the key bar offers PgDn and PgDn brings it.
    @Test func atEightyByTwentyFourAQuestionLeavesItsNarrationReadable() {
        var checked = 0, scrolled = 0
        for (name, text) in BuiltinLessons.all {
            let doc = LessonDocument(file: name, name: name, text: text)
            for step in doc.steps.indices where !doc.steps[step].quizzes.isEmpty {
                guard case .success(let s) = Catalog.open(doc, atStep: step, interactive: true) else {
                    Issue.record("\(name): step \(step) does not open"); continue
                }
                var m = AppModel(screen: .player(PlayerState(session: s)), width: 80, height: 24, glyphs: .unicode)
                m.update(.key(.right))
                guard let p = m.player, p.quiz != nil else { continue }
                var screen = m.view().text
                let width = PlayerScreen.layout(Rect(x: 0, y: 0, width: 80, height: 24), needs: PlayerScreen.needs(p, .compact),
                                                sandbox: false, question: true).narration?.width ?? 0
                let lines = PlayerScreen.narration(p, width: width, glyphs: .unicode).lines
                    .map { $0.map(\.text).joined().trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard let last = lines.last else { continue }
                checked += 1
                if screen.contains(last) { continue }
                #expect(screen.contains("PgDn read on"), "\(name) step \(step + 1): the narration is cut and nothing says how to read on:\n\(screen)")
                for _ in 0..<10 where !screen.contains(last) { m.update(.key(.pageDown)); screen = m.view().text }
                #expect(screen.contains(last), "\(name) step \(step + 1): PgDn never shows \(last):\n\(screen)")
                #expect(m.player?.quiz?.marking == nil)   // reading on answered nothing
                scrolled += 1
            }
        }
        #expect(checked >= 30 && scrolled < checked / 2)
    }
}
