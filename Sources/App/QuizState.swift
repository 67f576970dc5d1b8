import Quiz

/// Something the app asks the outside world to do; the interactive loop carries it out.
public enum AppEffect: Sendable, Equatable {
    /// Save an answer to the quiz progress file.
    case recordAnswer(AnswerRecord, session: Int)
    /// Remember where the student left a lesson, to offer it when they open it again.
    case savePosition(lesson: String, step: Int)
}

/// The quiz screen: a question, what the student has typed, and after an answer the marking
/// and the explanation until they move on.
public struct QuizState: Sendable {
    public var session: QuizSession
    public var input = ""
    /// The longest answer the field takes (a paste beyond it stops there).
    public static let maxAnswer = 40
    /// Why the last input could not be read (the question is asked again).
    public var problem: String?
    /// After an answer: the marking and the explanation, until Enter.
    public var feedback: [String]?
    public var feedbackGrade: Grade?
    /// Which question the feedback is about.
    public var feedbackNumber = 0
    /// Seconds spent on the current question.
    public var elapsed = 0.0
    public var endedEarly = false
    /// Shown once at the top (e.g. a progress file that was set aside).
    public var notice: String?

    public init(session: QuizSession, notice: String? = nil) { self.session = session; self.notice = notice }

    public var isOver: Bool { feedback == nil && (session.isFinished || endedEarly) }
}

extension AppModel {
    mutating func handleQuiz(_ key: Key, _ q: inout QuizState) {
        if q.isOver {
            if key == .char("q") || key == .enter || key == .escape { quit = true }
            return
        }
        if q.feedback != nil {
            if key == .enter || key == .char(" ") || key == .right { q.feedback = nil; q.feedbackGrade = nil; q.elapsed = 0 }
            else if key == .escape { q.feedback = nil; q.endedEarly = true }
            return
        }
        switch key {
        case .enter:
            let number = q.session.asked
            switch q.session.answer(q.input, seconds: q.elapsed) {
            case .unreadable(let p):
                q.problem = p.message
            case let .marked(m, record, explanation):
                q.problem = nil
                q.feedbackGrade = m.grade
                q.feedbackNumber = number
                q.feedback = ["\(m.grade.label.capitalizedFirst): \(m.verdict)."] + explanation
                effects.append(.recordAnswer(record, session: q.session.session))
            }
            q.input = ""
        case .backspace:
            if !q.input.isEmpty { q.input.removeLast() }
        case .escape:
            q.endedEarly = true
        case .char("q") where q.input.isEmpty:
            q.endedEarly = true
        case .char(let c):
            // A paste longer than any answer stops at the limit, and says so.
            if q.input.count < QuizState.maxAnswer { q.input.append(c); q.problem = nil }
            else { q.problem = "an answer is at most \(QuizState.maxAnswer) characters; Backspace to edit" }
        default:
            break
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
