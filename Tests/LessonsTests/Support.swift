@testable import Lessons
import Patterns

/// A lesson from frontmatter lines and a body.
func lessonText(_ front: String, _ body: String) -> String {
    "---\n\(front)\n---\n\n\(body)"
}

func lessonText(_ body: String) -> String { lessonText("title: T\npattern: raft", body) }

func document(_ text: String) -> LessonDocument {
    LessonDocument(file: "Lessons/x.md", name: "x", text: text)
}

/// Every diagnostic a file produces, formatted as a person sees them.
func problems(_ text: String) -> [String] {
    let o = checkLesson(document(text), among: [Raft.self, Clocks.self])
    return o.diagnostics.map(\.description)
}

func sim(_ lines: String) -> String { "## Step\n\n```sim\n\(lines)\n```\n" }

func compiled(_ text: String) -> CompiledLesson<Raft> {
    switch CompiledLesson<Raft>.compile(document(text)) {
    case .success(let l): return l
    case .failure(let d): fatalError("fixture does not compile: \(d)")
    }
}
