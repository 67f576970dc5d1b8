import Testing
import App
import Lessons
import Patterns

/// Every built-in lesson compiled as if it were written for every pattern (a mistyped or
/// mutated `pattern:` line): each must give diagnostics, never a trap. The lesson fuzzer's seed
/// corpus found a saga condition that unwrapped a node a numbered cluster does not have.
@Suite struct CrossPatternCompileTests {
    @Test func everyLessonUnderEveryPatternIsDiagnosedNotATrap() {
        for lesson in BuiltinLessons.all {
            for pattern in Catalog.patterns {
                let text = lesson.text.replacingOccurrences(of: "\npattern: ", with: "\npattern: \(pattern.name)\n# was: ")
                let d = LessonDocument(file: lesson.name, name: lesson.name, text: text)
                _ = Catalog.open(d, atStep: 0, interactive: false)
            }
        }
    }
}
