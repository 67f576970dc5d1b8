import Foundation
import Testing
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
}
