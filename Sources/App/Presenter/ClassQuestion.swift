import Quiz

/// A lesson's question put to a whole class: shown large, with an optional countdown for
/// thinking time; the teacher may enter the room's show of hands (letters count up, capitals
/// count down) or, for a number, type the class's guesses; the next click reveals the answer.
public struct ClassQuestion: Sendable, Equatable {
    /// Which of the step's questions.
    public var index: Int
    public var hands: [Int]
    public var guesses: [Double] = []
    public var typing = ""
    public var revealed = false
    /// Thinking time left, in microseconds, while the countdown runs.
    public var countdown: Int64?
    public var problem: String?
    /// Rows scrolled down in the question's box (↓ and ↑): on a small screen the explanation
    /// after the reveal lies below what the box holds.
    public var scroll = 0

    public static let thinkingTime: Int64 = 30_000_000

    public init(index: Int, choices: Int) {
        self.index = index
        hands = Array(repeating: 0, count: choices)
    }

    /// Handles a key meant for the question; false when the key is not the question's (a
    /// click, which the presenter handles).
    mutating func handle(_ key: Key, _ quiz: LessonQuiz) -> Bool {
        problem = nil
        switch key {
        case .char("t") where quiz.choices.count < 20:
            countdown = countdown == nil ? Self.thinkingTime : nil
            return true
        case .char(let c) where !quiz.choices.isEmpty && c.isASCII && c.isLetter:
            let k = Int(c.lowercased().first!.asciiValue!) - 97
            guard k >= 0, k < hands.count else { return false }
            hands[k] = c.isUppercase ? max(0, hands[k] - 1) : min(9_999, hands[k] + 1)
            return true
        case .char(let c) where quiz.choices.isEmpty && c.isASCII
                && (c.isNumber || "-~".contains(c) || (!typing.isEmpty && (c.isLetter || ".,^".contains(c)))):
            // Digits and units (`150ms`, `2 KB`): the answer's own reader takes them. A guess
            // starts with a digit, so before one the presenter's keys (g, R, ., b) stay its own.
            if typing.count < 16 { typing.append(c) }
            return true
        case .char(" ") where quiz.choices.isEmpty && !typing.isEmpty:
            if typing.count < 16 { typing.append(" ") }
            return true
        case .backspace where quiz.choices.isEmpty && !revealed:
            if typing.isEmpty { if !guesses.isEmpty { guesses.removeLast() } } else { typing.removeLast() }
            return true
        case .backspace:
            return true   // never a step back: that would throw the room's answers away
        case .down:
            scroll += 1
            return true
        case .up:
            scroll = max(0, scroll - 1)
            return true
        case .enter where quiz.choices.isEmpty && !typing.isEmpty:
            guard case let .number(_, dimension, _) = quiz.answer else { return false }
            switch AnswerParser.parse(typing, as: dimension, unitImplied: true) {
            case .success(let v) where v.isFinite: guesses.append(v)
            case .success: problem = "'\(typing)' is not a number"
            case .failure(let p): problem = p.message
            }
            typing = ""
            if guesses.count > 500 { guesses.removeFirst() }
            return true
        default:
            return false
        }
    }

    mutating func tick(_ micros: Int64) {
        guard let left = countdown, !revealed else { return }
        countdown = max(0, left - micros)
    }
}
