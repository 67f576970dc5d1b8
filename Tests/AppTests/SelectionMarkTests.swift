import Testing
import Canvas
import Lessons
import Scenes
@testable import App

/// 1-9 highlights a node for the room; every pattern's scene must show which (the clocks',
/// saga and event-sourcing scenes drew the same picture either way: only the presenter's band
/// title told).
@Suite struct SelectionMarkTests {
    @Test func everySceneMarksTheHighlightedNode() {
        var patterns: Set<String> = []
        for lesson in BuiltinLessons.all {
            let doc = LessonDocument(file: lesson.name + ".md", name: lesson.name, text: lesson.text)
            guard let pattern = doc.patternName, !patterns.contains(pattern),
                  case .success(let session) = Catalog.open(doc, atStep: min(2, doc.steps.count), interactive: false) else { continue }
            patterns.insert(pattern)
            func drawn(_ selected: Int?) -> String {
                var canvas = Canvas(width: 100, height: 30)
                session.drawScene(in: canvas.bounds, on: &canvas, SceneContext(glyphs: .unicode, selected: selected, sizeClass: .regular))
                return canvas.ansi(since: nil)
            }
            // The second node: with none highlighted, membership already shows the first's view.
            let marked = drawn(1) != drawn(nil)
            #expect(marked, "\(lesson.name): highlighting \(session.nodeName(1)) changes nothing on its scene")
        }
        #expect(patterns.count == Catalog.patterns.count)
    }
}
