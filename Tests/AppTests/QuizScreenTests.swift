import Testing
@testable import App
import Canvas
import Lessons
import Quiz

@Suite struct QuizScreenTests {
    func quizModel(count: Int = 2, topics: Set<Question.Topic> = [.sizes]) -> AppModel {
        var o = QuizSession.Options(); o.count = count; o.seed = 11; o.topics = topics
        return AppModel(screen: .quiz(QuizState(session: QuizSession(options: o, progress: QuizProgress()))), width: 80, height: 24, glyphs: .unicode)
    }
    func state(_ m: AppModel) -> QuizState { if case .quiz(let q) = m.screen { return q }; fatalError() }
    func type(_ text: String, _ m: inout AppModel) { for c in text { m.update(.key(.char(c))) }; m.update(.key(.enter)) }

    @Test func answersAreMarkedExplainedAndRecorded() {
        var m = quizModel()
        assertSnapshot("quiz-question-80x24", m.view().text)
        #expect(m.view().text.contains("seed 11"))          // as --help promises: the run can be repeated
        type("soon", &m)
        #expect(state(m).problem?.contains("accepted forms") == true)
        #expect(m.effects.isEmpty)
        guard case .quantity(let truth, _)? = state(m).session.current?.expected else { Issue.record("no question"); return }
        type("\(truth)", &m)
        #expect(state(m).feedbackGrade == .right)
        #expect(m.effects.count == 1)
        assertSnapshot("quiz-feedback-80x24", m.view().text)
        #expect(m.view().text.contains("Answer to question 1 of 2"))
        m.update(.key(.enter))
        type("\(truth * 1000)", &m)
        #expect(state(m).feedbackGrade == .wrong)
        m.update(.key(.enter))
        #expect(state(m).isOver)
        let screen = m.view().text
        #expect(screen.contains("Score: 1 right, 0 right order of magnitude, 1 wrong, of 2 answered."))
        #expect(screen.contains("Most often missed:"))
        m.update(.key(.char("q")))
        #expect(m.quit)
    }

    @Test func timeIsCountedPerQuestion() {
        var m = quizModel(count: 1)
        m.update(.tick(2_500_000))
        m.update(.tick(1_000_000))
        guard case .quantity(let truth, _)? = state(m).session.current?.expected else { Issue.record("no question"); return }
        type("\(truth)", &m)
        #expect(state(m).session.seconds == [3.5])
    }

    @Test func escapeEndsEarlyWithASummary() {
        var m = quizModel(count: 5)
        m.update(.key(.escape))
        #expect(state(m).isOver)
        #expect(m.view().text.contains("of 0 answered"))
    }
}

@Suite struct LessonQuizModalTests {
    func player() -> AppModel { Fixtures.quizPlayer() }
    func p(_ m: AppModel) -> PlayerState { m.player! }

    @Test func enteringAStepAsksFirstAndPlaysAfter() {
        var m = player()
        m.update(.key(.right))
        #expect(p(m).quiz != nil)
        #expect(!m.wantsTicks)                       // the simulation waits for the answer
        assertSnapshot("lesson-quiz-80x24", m.view().text)
        m.update(.key(.char("n")))                   // not a choice letter: ignored, no step change
        #expect(p(m).session.step == 1 && p(m).quiz?.marking == nil)
        m.update(.key(.char("b")))
        #expect(p(m).quiz?.marking?.grade == .right)
        #expect(m.view().text.contains("Three of five is still a"))
        m.update(.key(.enter))                       // next question: numeric
        #expect(p(m).quiz?.index == 1)
        for c in "two" { m.update(.key(.char(c))) }
        m.update(.key(.enter))
        #expect(p(m).quiz?.problem?.contains("accepted forms") == true)
        for _ in 0..<3 { m.update(.key(.backspace)) }
        m.update(.key(.char("4")))
        m.update(.key(.enter))
        #expect(p(m).quiz?.marking?.grade == .wrong)   // a count is exact: 4 is not "within 2×" of 3
        #expect(m.view().text.contains("1 too many"))
        m.update(.key(.enter))
        #expect(p(m).quiz == nil)
        #expect(m.wantsTicks)                        // now the step plays
    }

    @Test func escapeSkipsTheQuestions() {
        var m = player()
        m.update(.key(.right))
        m.update(.key(.escape))
        #expect(p(m).quiz == nil && m.wantsTicks)
        #expect(p(m).status == "question skipped")
    }

    @Test func questionMarkOpensHelpWhileAQuestionIsOpen() {
        var m = player()
        m.update(.key(.right))
        #expect(m.view().text.contains("? help"))
        m.update(.key(.char("?")))
        #expect(m.showHelp && m.view().text.contains("Help"))
        m.update(.key(.char("x")))                   // any key closes it; the question is still open
        #expect(!m.showHelp && p(m).quiz?.marking == nil)
        m.update(.key(.enter)); m.update(.key(.enter)) // the numeric one: ? is no part of a number
        m.update(.key(.char("?")))
        #expect(m.showHelp && p(m).quiz?.input == "")
    }

    /// PgDn is a clicker's "next": on an answered question whose explanation runs below the
    /// box, it reads on first and goes on only from the end.
    @Test func pageDownReadsALongExplanationBeforeGoingOn() {
        let long = (1...30).map { "Sentence \($0) of the explanation." }.joined(separator: " ")
        let text = Fixtures.lesson.replacing("## First\n", with: "## First\n\n```quiz\n? Which?\n* this\n- that\n> \(long)\n```\n")
        guard case .success(let s) = Catalog.open(LessonDocument(file: "q.md", name: "q", text: text), atStep: 0) else { Issue.record("fixture"); return }
        var m = AppModel(screen: .player(PlayerState(session: s)), width: 80, height: 24, glyphs: .unicode)
        m.update(.key(.right))
        m.update(.key(.char("a")))
        #expect(p(m).quiz?.marking?.grade == .right)
        #expect(!m.view().text.contains("Sentence 30 "))
        var presses = 0
        while p(m).quiz != nil && !m.view().text.contains("Sentence 30 ") && presses < 20 { m.update(.key(.pageDown)); presses += 1 }
        #expect(p(m).quiz != nil && presses >= 2, "PgDn went on before the explanation was read (\(presses) presses)")
        #expect(m.view().text.contains("Sentence 30 "))
        m.update(.key(.pageDown))
        #expect(p(m).quiz == nil)
    }
}
