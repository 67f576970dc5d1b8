import Testing
@testable import Lessons
import Quiz
import Patterns

@Suite struct QuizBlockTests {
    func quiz(_ body: String) -> String { lessonText("## Step\n\n```quiz\n\(body)\n```\n") }

    @Test func theIssuesExampleIsWellFormed() {
        let doc = document(quiz("? A five-node Raft cluster loses two nodes. Can it still elect a leader?\n- no\n* yes\n> Three of five is still a majority."))
        #expect(doc.diagnostics.isEmpty)
        let q = doc.steps[0].quizzes[0]
        #expect(q.choices == ["no", "yes"])
        #expect(q.answer == .choice(right: 1))
        #expect(q.explanation == "Three of five is still a majority.")
        #expect(doc.steps[0].narration.isEmpty)   // the block is not narration
    }

    @Test func numericAnswersTakeTheirDimensionFromTheUnit() {
        #expect(document(quiz("? How many?\n= 3")).steps[0].quizzes[0].answer == .number(3, .count, .exact))
        #expect(document(quiz("? How long?\n= 150ms")).steps[0].quizzes[0].answer == .number(0.15, .time, .factor(2)))
        #expect(document(quiz("? How big?\n= 2 KB")).steps[0].quizzes[0].answer == .number(2_000, .bytes, .factor(2)))
        let q = document(quiz("? How long?\n= 150ms")).steps[0].quizzes[0]
        #expect((try? q.mark("0.2 s").get().grade) == .right)
        #expect((try? q.mark("1 s").get().grade) == .close)
        guard case .failure = q.mark("soon") else { Issue.record("unreadable accepted"); return }
    }

    @Test func aCountIsExactAndABlockCanSayHowItIsJudged() {
        let count = document(quiz("? How many entries?\n= 2")).steps[0].quizzes[0]
        #expect((try? count.mark("2").get().grade) == .right)
        #expect((try? count.mark("1").get().grade) == .wrong)
        #expect((try? count.mark("3").get().grade) == .wrong)
        #expect((try? count.mark("3").get().verdict)?.contains("1 too many") == true)
        let loose = document(quiz("? How many?\n= 4 within 2x")).steps[0].quizzes[0]
        #expect((try? loose.mark("7").get().grade) == .right)
        let tight = document(quiz("? How long?\n= 150ms within 20%")).steps[0].quizzes[0]
        #expect(tight.answer == .number(0.15, .time, .tolerance(0.2)))
        #expect((try? tight.mark("170ms").get().grade) == .right)
        #expect((try? tight.mark("200ms").get().grade) == .close)
        #expect((try? tight.mark("300ms").get().grade) == .wrong)
        let order = document(quiz("? How many?\n= 1e6 order of magnitude")).steps[0].quizzes[0]
        #expect((try? order.mark("3M").get().grade) == .right)
        #expect((try? order.mark("5M").get().grade) == .close)
        let exactTime = document(quiz("? When?\n= 40ms exact")).steps[0].quizzes[0]
        #expect((try? exactTime.mark("41ms").get().grade) == .wrong)
        #expect((try? exactTime.mark("0.04 s").get().grade) == .right)
        #expect(problems(quiz("? Q\n= 3 within a bit")).first?.contains("is not a way of judging I know") == true)
    }

    /// Rules that cannot judge honestly are refused where they are written, with the range.
    @Test(arguments: [
        ("= 5 within 0%", "a share must be more than 0% and at most 1000%"),
        ("= 5 within 2000%", "a share must be more than 0% and at most 1000%"),
        ("= 5 within 0.5x", "a factor must be from 1x to 1000x"),
        ("= 0 within 20%", "write '= 0 exact'"),
        ("= 0ms within 20%", "write '= 0ms exact'"),
        ("= 0 order of magnitude", "write '= 0 exact'"),
        ("= 9007199254740993 exact", "an exact answer must be less than 2^53"),
    ])
    func rulesThatCannotJudgeAreRefused(_ line: String, _ fragment: String) {
        let p = problems(quiz("? Q\n" + line))
        #expect(p.first?.contains(fragment) == true, "\(p)")
    }

    /// Zero is exactly zero, and a '-' inside an exponent is not a negative answer.
    @Test func zeroAndTinyAnswersAreJudgedHonestly() {
        let zero = document(quiz("? How many?\n= 0")).steps[0].quizzes[0]
        #expect((try? zero.mark("0").get().grade) == .right)
        #expect((try? zero.mark("1e-320").get().grade) == .wrong)
        let many = document(quiz("? How many?\n= 3")).steps[0].quizzes[0]
        for tiny in ["10^-400", "5e-400", "1e-400 k"] {
            guard case .failure(let p) = many.mark(tiny) else { Issue.record("\(tiny) was marked"); continue }
            #expect(p.message.contains("too small to tell from zero"), "\(tiny): \(p.message)")
        }
        #expect((try? many.mark("5e-324").get().grade) == .wrong)
        guard case .failure(let negative) = many.mark("-3") else { Issue.record("-3 was marked"); return }
        #expect(negative.message.contains("cannot be negative"))
    }

    @Test(arguments: [
        ("- a\n* b", "this quiz has no question"),
        ("? Q\n- a\n- b", "mark exactly one choice right with *, found 0"),
        ("? Q\n* a\n* b", "found 2"),
        ("? Q\n* a", "at least two choices"),
        ("? Q\n= soonish", "is not a number with a unit I can read"),
        ("? Q\n= 3\n- a\n* b", "not both"),
        ("? Q\n= 3\n= 4", "one numeric answer"),
        ("? Q\n+ a\n* b", "a quiz line starts with ?"),
        // 17 choices: q would be a choice and also quit the player (27 crashed it).
        ("? Q\n* right\n" + (1...16).map { "- wrong \($0)" }.joined(separator: "\n"), "at most 16 choices"),
        ("? Q\n* a\n- \u{200B}\u{202E}", "this choice has no visible text"),
        ("? Q\n* a\n- \u{0301}\u{0301}\u{FE0F}", "this choice has no visible text"),
        ("? Q\n* a\n- \u{3164}\u{2800}", "this choice has no visible text"),
    ])
    func malformedQuizzesAreReportedWhereTheyAre(_ body: String, _ fragment: String) {
        let p = problems(quiz(body))
        #expect(p.count >= 1)
        #expect(p.contains { $0.contains(fragment) && $0.hasPrefix("Lessons/x.md:") }, "\(p)")
    }

    @Test func aQuizOutsideAStepIsAnError() {
        #expect(problems(lessonText("```quiz\n? Q\n= 1\n```\n## S\n")).first?.contains("a quiz block belongs in a step") == true)
    }

    @Test func checkCountsQuizzes() {
        let o = checkLesson(document(quiz("? Q\n= 1")), among: [Patterns.Raft.self])
        #expect(o.passed && o.quizzes == 1)
    }
}

@Suite struct ClockLanguageTests {
    func clocks(_ lines: String, nodes: Int = 3) -> String {
        lessonText("title: T\npattern: clocks\nnodes: \(nodes)", "## S\n\n```sim\n\(lines)\n```\n")
    }

    @Test func malformedClockLiteralsArePointedAt() {
        #expect(problems(clocks("expect n1.vc == [1,0")).first?.contains("10:17: malformed vector clock '[1,0'") == true)
        #expect(problems(clocks("expect n1.vc == [1,0,x]")).first?.contains("entries are whole numbers") == true)
        #expect(problems(clocks("expect n1.vc == [1,0]")).first?.contains("has 2 entries; this cluster has 3 processes") == true)
        #expect(problems(clocks("expect n1.vc < [1,0,0]")).first?.contains("compare with == or !=") == true)
        #expect(problems(clocks("expect e1 -> x3")).first?.contains("expected an event such as e7") == true)
        #expect(problems(clocks("send n1 -> n1")).first?.contains("does not send to itself") == true)
        #expect(problems(clocks("run until n2 received m1")).first?.contains("in quotes") == true)
        #expect(problems(clocks("expect n1.vc == [ 1, 0, 0 ]")).isEmpty)
    }

    @Test func runtimeMistakesFailWithTheirLine() {
        let unknown = checkLesson(document(clocks("event n1\nexpect e1 -> e9")), among: [Clocks.self])
        #expect(unknown.failure?.contains("x.md:11:1: step 1 'S': expect e1 -> e9 — found no event e9: there are 1 so far") == true)
        let crashed = checkLesson(document(clocks("crash n3\nsend n1 -> n3 \"m\"")), among: [Clocks.self])
        #expect(crashed.failure?.contains("x.md:11:1") == true)
        #expect(crashed.failure?.contains("n3 is crashed") == true)
    }
}
