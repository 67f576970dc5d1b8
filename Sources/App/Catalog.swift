import Lessons
import Patterns
import Scenes

/// The patterns this build knows. Adding a pattern adds one name here (its model, commands and
/// scene live in their own folders and describe themselves).
public enum Catalog {
    public static let patterns: [any PatternScene.Type] = [Raft.self, Clocks.self, Gossip.self, Membership.self, Resilience.self, Saga.self, EventSourcing.self]

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
        CompiledLesson<P>.compile(doc).flatMap { lesson in
            // The player draws every node; a pattern says how many it can draw.
            if interactive, !P.limits.playerNodes.contains(lesson.nodes) {
                let line = doc.settings.entries["nodes"]
                return .failure(Diagnostics([Diagnostic(file: doc.file, line: line?.line ?? 1, column: line?.column ?? 1,
                    "\(lesson.nodes) nodes is more than the player shows for \(P.name) (\(P.limits.playerNodes.lowerBound) to \(P.limits.playerNodes.upperBound)); 'clustertutor check' runs up to \(P.limits.headlessNodes.upperBound)")]))
            }
            // Not interactive (`render`): no undo history, but the event log is drawn.
            let run = interactive ? LessonRun<P>.atEndOfStep(step, of: lesson, interactive: true)
                                  : LessonRun<P>.atEndOfStep(step, of: lesson, journal: .bounded(4_000))
            return .success(Session(run) as any Playable)
        }
    }

    /// A sandbox: the pattern's cluster with no script, as a one-step lesson.
    /// The pattern's sandbox defaults fill in what `settings` leaves unset.
    public static func sandboxDocument(pattern: String, settings: [(String, String)]) -> LessonDocument {
        var text = "---\ntitle: Sandbox: \(pattern)\npattern: \(pattern)\n"
        var all = settings
        for d in scene(named: pattern)?.sandboxDefaults ?? [] where !all.contains(where: { $0.0 == d.key }) { all.append((d.key, d.value)) }
        for (k, v) in all { text += "\(k): \(v)\n" }
        text += "---\n\n## Free play\n"
        return LessonDocument(file: "sandbox", name: "sandbox", text: text)
    }
}
