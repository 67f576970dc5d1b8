import Testing
@testable import Quiz

@Suite struct SessionTests {
    func options(_ count: Int = 20, seed: UInt64 = 4, topics: Set<Question.Topic> = Set(Question.Topic.allCases)) -> QuizSession.Options {
        var o = QuizSession.Options(); o.count = count; o.seed = seed; o.topics = topics; return o
    }

    @Test func sameSeedSameQuestions() {
        let a = QuizSession(options: options(), progress: QuizProgress())
        let b = QuizSession(options: options(), progress: QuizProgress())
        #expect(a.current?.prompt == b.current?.prompt)
        var x = a, y = b
        var promptsX: [[String]] = [], promptsY: [[String]] = []
        while let q = x.current { promptsX.append(q.prompt); _ = x.answer("1", seconds: 1); if case .order = q.expected { x.skip() } }
        while let q = y.current { promptsY.append(q.prompt); _ = y.answer("1", seconds: 1); if case .order = q.expected { y.skip() } }
        #expect(promptsX == promptsY)
    }

    @Test func unreadableAnswersAreAskedAgainAndNotCounted() {
        var s = QuizSession(options: options(5, topics: [.latency]), progress: QuizProgress())
        let first = s.current?.item
        guard case .unreadable(let p) = s.answer("quickly", seconds: 2) else { Issue.record("accepted"); return }
        #expect(p.message.contains("accepted forms"))
        #expect(s.current?.item == first)
        #expect(s.grades.isEmpty)
    }

    @Test func aMissComesBackWithinTheSession() {
        var s = QuizSession(options: options(12, topics: [.units, .sizes]), progress: QuizProgress())
        let missed = s.current!.item
        _ = s.answer(s.current!.dimension == .time ? "1000 days" : "1e15", seconds: 1)
        var seenAgain = false
        while let q = s.current {
            if q.item == missed { seenAgain = true }
            _ = s.answer("1", seconds: 1)
        }
        #expect(seenAgain)
    }

    @Test func leitnerBoxesMoveWithAnswers() {
        var p = QuizProgress()
        p.record(item: "a", title: "A", grade: .right, session: 1)
        p.record(item: "a", title: "A", grade: .right, session: 1)
        #expect(p.box("a") == 3)
        p.record(item: "a", title: "A", grade: .close, session: 2)
        #expect(p.box("a") == 2)
        p.record(item: "a", title: "A", grade: .wrong, session: 2)
        #expect(p.box("a") == 1)
        for _ in 0..<10 { p.record(item: "a", title: "A", grade: .right, session: 3) }
        #expect(p.box("a") == 5)
        #expect(!p.isDue("a", session: 4))
        #expect(p.isDue("a", session: 18))
        #expect(p.mostMissed(3).first?.title == "A")
    }

    @Test func knownItemsAreAskedLessOftenThanMissedOnes() {
        // Everything in box 5 and not due, except one item in box 1: that one must dominate.
        var progress = QuizProgress()
        let items = QuestionBank.items(topics: [.sizes, .units], era: .y2012)
        for i in items { for _ in 0..<5 { progress.record(item: i.key, title: i.title, grade: .right, session: 1) } }
        progress.record(item: "sizes:uuid", title: "size of a UUID", grade: .wrong, session: 1)
        progress.sessions = 1
        var counts: [String: Int] = [:]
        for seed in UInt64(1)...40 {
            var s = QuizSession(options: options(3, seed: seed, topics: [.sizes, .units]), progress: progress)
            while let q = s.current { counts[q.item, default: 0] += 1; s.skip() }
        }
        let uuid = counts["sizes:uuid"] ?? 0
        let others = counts.filter { $0.key != "sizes:uuid" }.values.max() ?? 0
        // At most once per three questions by design, so: in nearly every session, and far more
        // often than any item that is well known.
        #expect(uuid >= 36, "\(counts)")
        #expect(uuid > others * 2, "\(counts)")
    }

    @Test func summaryReportsScoreStreakTimeAndMisses() {
        var s = QuizSession(options: options(3, topics: [.sizes]), progress: QuizProgress())
        var answered = 0
        while let q = s.current, answered < 3 {
            guard case .quantity(let v, _) = q.expected else { s.skip(); continue }
            _ = s.answer(answered == 1 ? "\(v * 100) B" : "\(v) B", seconds: Double(answered + 1))
            answered += 1
        }
        let text = s.summary(stored: s.progress).joined(separator: "\n")
        #expect(text.contains("2 right, 0 right order of magnitude, 1 wrong, of 3 answered"))
        #expect(text.contains("Best streak: 1"))
        #expect(text.contains("Time per answer: 2.0 s on average (fastest 1.0 s, slowest 3.0 s)"))
        #expect(text.contains("Most often missed:"))
    }

    @Test(arguments: Question.Topic.allCases)
    func aTopicAsksOnlyItsOwnQuestions(_ topic: Question.Topic) {
        var s = QuizSession(options: options(25, seed: 8, topics: [topic]), progress: QuizProgress())
        var seen = 0
        while let q = s.current { #expect(q.topic == topic); seen += 1; s.skip() }
        #expect(seen == 25)
    }
}
