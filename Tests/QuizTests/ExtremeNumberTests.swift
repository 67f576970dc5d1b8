import Foundation
import Testing
@testable import Quiz
@testable import QuizStore
import Simulation

/// Numbers from the keyboard and from files: none of them may trap (issue 9, §1).
@Suite struct ExtremeNumberTests {
    @Test(arguments: [Double.infinity, -.infinity, .nan, Double(sign: .plus, exponent: -1063, significand: 1), 0, -0.0, 1e300, -1e300, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude])
    func formattingNeverTraps(_ v: Double) {
        #expect(!Format.number(v).isEmpty)
        #expect(!Format.scientific(v).isEmpty)
        #expect(!Format.time(v).isEmpty)
        #expect(!Format.bytes(v).isEmpty)
        #expect(!Score(answer: v, truth: 8).verdict.isEmpty)
        for rule in [Judging.exact, .tolerance(0.2), .factor(2), .orderOfMagnitude] { _ = rule.mark(answer: v, truth: 8) }
    }

    @Test func aTinyAnswerIsMarkedNotTrapped() {
        var rng = SplitMix64(seed: 1)
        for item in QuestionBank.items(topics: Set(Question.Topic.allCases), era: .y2020) {
            let q = item.make(&rng)
            for typed in ["1e-320", "1e-320 s", "1e-320 B", "1e308", "1e308 TB", "0"] { _ = q.mark(typed) }
        }
        let lesson = LessonQuiz(question: "How many?", choices: [], answer: .number(3, .count, .exact), explanation: "", line: 1)
        #expect((try? lesson.mark("1e-320").get().grade) == .wrong)
    }

    @Test(arguments: [
        #"{"version":1,"sessions":9223372036854775807,"items":{}}"#,
        #"{"version":1,"sessions":3,"items":{"a":{"box":99,"right":0,"close":0,"wrong":0,"title":"A","lastSession":1}}}"#,
        #"{"version":1,"sessions":3,"items":{"a":{"box":2,"right":9223372036854775807,"close":0,"wrong":0,"title":"A","lastSession":1}}}"#,
        #"{"version":1,"sessions":3,"items":{"a":{"box":2,"right":1,"close":0,"wrong":0,"title":"A","lastSession":-9223372036854775808}}}"#,
    ])
    func aProgressFileWithNumbersOutOfRangeIsSetAside(_ json: String) throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ct-extreme-\(UUID().uuidString)")
        let store = ProgressStore(directory: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try json.write(to: store.file, atomically: true, encoding: .utf8)
        let (p, warning) = try store.load()
        #expect(p == QuizProgress())
        #expect(warning?.contains("outside") == true)
        // And the quiz starts on it: recording an answer works.
        try store.update { $0.record(item: "a", title: "A", grade: .right, session: 1) }
        try? FileManager.default.removeItem(at: dir)
    }
}
