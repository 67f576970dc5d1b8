import Foundation

/// A question written into a lesson:
///
///     ? A five-node Raft cluster loses two nodes. Can it still elect a leader?
///     - no
///     * yes
///     > Three of five is still a majority.
///
/// `*` marks the right choice, `-` the others; `= 150ms` instead of choices asks for a number.
/// A small whole number without a unit (`= 2`) must be exact; other numbers are marked like the
/// estimation quiz (within 2× right, within 10× the right order of magnitude). A rule after the
/// number says otherwise: `= 150ms within 20%`, `= 3 within 2x`, `= 1e6 order of magnitude`,
/// `= 40ms exact`.
public struct LessonQuiz: Sendable, Equatable {
    public enum Answer: Sendable, Equatable {
        case choice(right: Int)
        case number(Double, Dimension, Judging)
    }

    public var question: String
    public var choices: [String]
    public var answer: Answer
    public var explanation: String
    public var line: Int

    /// A problem in a quiz block, for the lesson's diagnostics.
    public struct Problem: Sendable, Equatable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    /// Parses one block; `lines` are (text, line number) pairs between the fences.
    public struct Problems: Error, Sendable { public var all: [Problem] }

    /// Choices are chosen by letter, a to p: q quits the player, and a question of more choices
    /// than that is no longer one a student can weigh.
    public static let maxChoices = 16
    /// The letter that chooses choice `k` (0 is a).
    public static func letter(_ k: Int) -> Character { Character(UnicodeScalar(UInt8(97 + min(max(k, 0), 25)))) }

    public static func parse(_ lines: [(String, Int)], opening: Int) -> Result<LessonQuiz, Problems> {
        var question: [String] = [], choices: [String] = [], right: [Int] = [], explanation: [String] = []
        var numbers: [(String, Int)] = []
        var problems: [Problem] = []
        func choice(_ body: String, line n: Int) {
            if choices.count == maxChoices {
                problems.append(Problem(line: n, column: 1, message: "a quiz offers at most \(maxChoices) choices (a to p: q quits the player)"))
            }
            // Zero-width and direction marks, lone accents, variation selectors, fillers and
            // blank braille alone would show as a bare "a)".
            func shows(_ u: Unicode.Scalar) -> Bool {
                switch u.properties.generalCategory {
                case .format, .control, .nonspacingMark, .enclosingMark, .spaceSeparator, .lineSeparator, .paragraphSeparator: return false
                default: return !u.properties.isWhitespace && ![0x115F, 0x1160, 0x2800, 0x3164, 0xFFA0].contains(u.value)
                }
            }
            if !body.unicodeScalars.contains(where: shows) {
                problems.append(Problem(line: n, column: 1, message: "this choice has no visible text"))
            }
            choices.append(body)
        }
        for (raw, n) in lines {
            let text = raw.trimmingCharacters(in: .whitespaces)
            guard let marker = text.first else { continue }
            let body = text.dropFirst().trimmingCharacters(in: .whitespaces)
            switch marker {
            case "?": question.append(body)
            case "-": choice(body, line: n)
            case "*": right.append(choices.count); choice(body, line: n)
            case "=": numbers.append((body, n))
            case ">": explanation.append(body)
            default:
                let column = raw.count - raw.drop { $0 == " " || $0 == "\t" }.count + 1
                problems.append(Problem(line: n, column: column, message: "a quiz line starts with ? (question), - or * (a wrong or the right choice), = (a numeric answer) or > (explanation)"))
            }
        }
        if question.isEmpty { problems.append(Problem(line: opening, column: 1, message: "this quiz has no question: add a line starting with ?")) }
        var answer: Answer?
        if !numbers.isEmpty {
            if numbers.count > 1 { problems.append(Problem(line: numbers[1].1, column: 1, message: "a quiz has one numeric answer (=)")) }
            if !choices.isEmpty { problems.append(Problem(line: numbers[0].1, column: 1, message: "a quiz asks for a number (=) or offers choices (- and *), not both")) }
            let (valueText, ruleText) = splitRule(numbers[0].0)
            let rule = ruleText.flatMap(Judging.parse)
            if let ruleText, rule == nil {
                problems.append(Problem(line: numbers[0].1, column: 3, message: Judging.explainRefusal(ruleText)))
            }
            switch parseNumber(valueText) {
            case .success(let v):
                let judging = rule ?? .byDefault(v.0, v.1)
                if let why = judging.problem(for: v.0) {
                    // Suggest the answer as written, unit and all ("= 0ms exact").
                    problems.append(Problem(line: numbers[0].1, column: 3, message: why.replacingOccurrences(of: "'= 0 exact'", with: "'= \(valueText) exact'")))
                }
                answer = .number(v.0, v.1, judging)
            case .failure(let m): problems.append(Problem(line: numbers[0].1, column: 3, message: m.message))
            }
        } else if choices.count < 2 {
            problems.append(Problem(line: opening, column: 1, message: "a quiz needs a numeric answer (= 3, = 150ms) or at least two choices (- and *)"))
        } else if right.count != 1 {
            problems.append(Problem(line: opening, column: 1, message: "mark exactly one choice right with *, found \(right.count)"))
        } else {
            answer = .choice(right: right[0])
        }
        guard problems.isEmpty, let answer else { return .failure(Problems(all: problems)) }
        return .success(LessonQuiz(question: question.joined(separator: " "), choices: choices, answer: answer,
                                   explanation: explanation.joined(separator: " "), line: opening))
    }

    /// `150ms within 20%` → ("150ms", "within 20%"); no rule → (text, nil).
    static func splitRule(_ s: String) -> (String, String?) {
        let lower = s.lowercased()
        for word in [" within ", " exact", " order of magnitude"] {
            if let r = lower.range(of: word) {
                let at = s.index(s.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: r.lowerBound))
                return (String(s[..<at]).trimmingCharacters(in: .whitespaces), String(s[at...]).trimmingCharacters(in: .whitespaces))
            }
        }
        return (s, nil)
    }

    /// The answer's dimension comes from its unit: `3` is a count, `150ms` a time, `2 KB` bytes.
    static func parseNumber(_ s: String) -> Result<(Double, Dimension), AnswerProblem> {
        for d in [Dimension.count, .time, .bandwidth, .bytes] {
            if case .success(let v) = AnswerParser.parse(s, as: d) { return .success((v, d)) }
        }
        return .failure(AnswerProblem(message: "'\(s)' is not a number with a unit I can read (e.g. = 3, = 150ms, = 2 KB, = 40 MB/s)"))
    }

    /// Marks a numeric answer typed by the student.
    public func mark(_ text: String) -> Result<Marking, AnswerProblem> {
        switch answer {
        case .choice(let right):
            guard let k = Int(text), choices.indices.contains(k) else { return .failure(AnswerProblem(message: "pick one of the choices")) }
            return .success(Marking(grade: k == right ? .right : .wrong, verdict: k == right ? "" : "the answer is '\(choices[right])'"))
        case let .number(truth, d, rule):
            return AnswerParser.parse(text, as: d).map { v in
                let m = rule.mark(answer: v, truth: truth)
                return Marking(grade: m.grade, verdict: m.grade == .right && m.verdict == "exactly right" ? m.verdict : m.verdict + "; the answer is \(Format.quantity(truth, d))")
            }
        }
    }
}
