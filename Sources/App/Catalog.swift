import Lessons
import Patterns
import Scenes

/// The patterns this build knows. Adding a pattern adds one name here (its model, commands and
/// scene live in their own folders and describe themselves).
public enum Catalog {
    public static let patterns: [any PatternScene.Type] = [Raft.self, Clocks.self]

    /// The same list, as the lesson checker wants it.
    public static var lessonPatterns: [any Pattern.Type] {
        var out: [any Pattern.Type] = []
        for p in patterns { out.append(p) }
        return out
    }

    public static func scene(named name: String) -> (any PatternScene.Type)? {
        for p in patterns where p.name == name { return p }
        return nil
    }

    /// Compiles `document` and opens it at the end of step `step` (0: before the first step).
    public static func open(_ document: LessonDocument, atStep step: Int = 0, interactive: Bool = true) -> Result<any Playable, Diagnostics> {
        switch pattern(for: document, among: lessonPatterns) {
        case .failure(let d): return .failure(d)
        case .success:
            guard let scene = scene(named: document.patternName ?? "") else {
                return .failure(Diagnostics([Diagnostic(file: document.file, line: 1, column: 1, "pattern has no scene")]))
            }
            return openSession(scene, document, step, interactive)
        }
    }

    private static func openSession<P: PatternScene>(_: P.Type, _ doc: LessonDocument, _ step: Int, _ interactive: Bool) -> Result<any Playable, Diagnostics> {
        CompiledLesson<P>.compile(doc).map { lesson in
            Session(LessonRun<P>.atEndOfStep(step, of: lesson, interactive: interactive)) as any Playable
        }
    }

    /// A sandbox: the pattern's cluster with no script, as a one-step lesson.
    public static func sandboxDocument(pattern: String, settings: [(String, String)]) -> LessonDocument {
        var text = "---\ntitle: Sandbox: \(pattern)\npattern: \(pattern)\n"
        for (k, v) in settings { text += "\(k): \(v)\n" }
        text += "---\n\n## Free play\n"
        return LessonDocument(file: "sandbox", name: "sandbox", text: text)
    }
}
