@testable import App
import Canvas
import Lessons

/// Lessons for screen tests, kept here so editing a built-in lesson does not churn snapshots.
enum Fixtures {
    static let lesson = """
    ---
    title: Fixture: an election
    pattern: raft
    seed: 1
    ---

    The **introduction**, with `code` and *emphasis*.

    ## First

    A paragraph that is long enough to wrap across more than one line of the narration pane.

    - a bullet
    - another bullet

    ```sim
    run until leader exists within 1s
    expect leader is n3
    ```

    ## Second

    ```sim
    crash n3
    partition n1 n2 | n4 n5
    drop n4 -> n5 50%
    run 300ms
    expect leader is n3
    ```
    """

    static var document: LessonDocument { LessonDocument(file: "fixture.md", name: "fixture", text: lesson) }

    static func player(lesson text: String = lesson, step: Int = 0, width: Int = 100, height: Int = 30, glyphs: GlyphSet = .unicode) -> AppModel {
        let doc = LessonDocument(file: "fixture.md", name: "fixture", text: text)
        guard case .success(let s) = Catalog.open(doc, atStep: step, interactive: true) else { fatalError("fixture") }
        return AppModel(screen: .player(PlayerState(session: s)), width: width, height: height, glyphs: glyphs)
    }

    /// A lesson whose first step asks two questions before it runs.
    static func quizPlayer() -> AppModel {
        let text = lesson.replacing("## First\n", with: "## First\n\n```quiz\n? Can five nodes that lose two still elect a leader?\n- no\n* yes\n> Three of five is still a majority.\n```\n\n```quiz\n? How many votes does a candidate need?\n= 3\n> A majority of five.\n```\n")
        guard case .success(let s) = Catalog.open(LessonDocument(file: "q.md", name: "q", text: text), atStep: 0) else { fatalError("quiz fixture") }
        return AppModel(screen: .player(PlayerState(session: s)), width: 80, height: 24, glyphs: .unicode)
    }

    static func menu(width: Int = 80, height: Int = 24) -> AppModel {
        let entries = [MenuEntry(document), MenuEntry(LessonDocument(file: "b.md", name: "b", text: lesson.replacing("Fixture: an election", with: "Second lesson")))]
        return AppModel(screen: .menu(MenuState(entries: entries)), width: width, height: height, glyphs: .unicode)
    }
}
