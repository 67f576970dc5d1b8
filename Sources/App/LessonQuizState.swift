import Quiz

/// A lesson's question on screen. Modal: until it is answered or skipped (Esc), keys go to it
/// and the step's simulation waits, so the student predicts before they see.
public struct LessonQuizState: Sendable, Equatable {
    public var index = 0
    public var selected = 0
    public var input = ""
    public var problem: String?
    public var marking: Marking?
    /// Lines scrolled in the box (↑/↓ once answered, when the explanation is long).
    public var scroll = 0
}

extension PlayerState {
    /// Opens the step's first question, if it has one; the step plays once the questions are done.
    mutating func openQuizzes() {
        if session.quizzes.isEmpty { quiz = nil; return }
        quiz = LessonQuizState()
        playing = false
    }

    mutating func handleQuiz(_ key: Key) {
        guard var q = quiz, q.index < session.quizzes.count else { quiz = nil; return }
        let block = session.quizzes[q.index]
        if q.marking != nil {
            if key == .up { q.scroll = max(0, q.scroll - 1); quiz = q; return }
            if key == .down { q.scroll += 1; quiz = q; return }
            guard [.enter, .char(" "), .right, .char("n"), .pageDown, .escape].contains(key) else { return }
            if q.index + 1 < session.quizzes.count && key != .escape {
                quiz = LessonQuizState(index: q.index + 1)
            } else {
                quiz = nil
                playing = !session.scriptDone
            }
            return
        }
        switch key {
        case .escape where selected != nil && !block.choices.isEmpty:
            // The panel's title promises Esc clears the node; the question stays.
            selected = nil
            status = "selection cleared (Esc again skips the question)"
            return
        case .escape:
            quiz = nil
            playing = !session.scriptDone
            status = "question skipped"
            return
        case .up: q.selected = max(0, q.selected - 1)
        case .down: q.selected = min(max(0, block.choices.count - 1), q.selected + 1)
        case .backspace: if !q.input.isEmpty { q.input.removeLast() }
        case .enter:
            let text = block.choices.isEmpty ? q.input : String(q.selected)
            switch block.mark(text) {
            case .success(let m): q.marking = m; q.problem = nil
            case .failure(let p): q.problem = p.message
            }
        case .char(let c) where !block.choices.isEmpty && c.isASCII && c.isNumber:
            // Choosing is by letter, so digits stay free to select a node and read its panel.
            let n = Int(String(c))!
            if n == 0 { selected = nil } else if n <= session.nodeCount { selected = n - 1 }
        case .tab where !block.choices.isEmpty:
            selected = selected.map { ($0 + 1) % session.nodeCount } ?? 0
        case .char(let c):
            if block.choices.isEmpty {
                if q.input.count < 30 { q.input.append(c) } else { q.problem = "an answer is at most 30 characters; Backspace to edit" }
            } else if let v = c.asciiValue, c >= "a", Int(v) - 97 < block.choices.count {
                q.selected = Int(v) - 97
                if case .success(let m) = block.mark(String(q.selected)) { q.marking = m }
            }
        default: break
        }
        quiz = q
    }
}
