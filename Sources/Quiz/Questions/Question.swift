/// One question, ready to ask and to mark.
public struct Question: Sendable {
    public enum Expected: Sendable {
        /// A number with a unit; graded by factor.
        case quantity(Double, Dimension)
        /// Letters in order, e.g. "cabed"; right when exact, close when one neighbouring swap away.
        case order(String)
    }

    public enum Topic: String, Sendable, CaseIterable, Codable {
        case latency, units, sizes, estimate
    }

    /// The spaced-repetition item this question exercises ("latency:ssd1mb@2012", "estimate:qps").
    public var item: String
    public var topic: Topic
    public var prompt: [String]
    public var expected: Expected
    /// Shown after answering: the answer, the working, and where the eras disagree.
    public var explanation: [String]
    /// What to call the item in "most often missed".
    public var title: String
    /// How the answer is judged; nil: by default for its value and dimension.
    public var judging: Judging? = nil
    /// The question names the unit ("How many bytes…"), so a bare number is in that unit.
    public var unitImplied = false

    /// The rule a quantity answer is marked by.
    public var rule: Judging? {
        if case let .quantity(v, d) = expected { return judging ?? .byDefault(v, d) }
        return nil
    }

    public var dimension: Dimension? {
        if case .quantity(_, let d) = expected { return d }
        return nil
    }
}

/// The result of one answer.
public struct Marking: Sendable, Equatable {
    public var grade: Grade
    /// "3.2× too high", "one pair swapped", ...
    public var verdict: String
}

extension Question {
    /// Marks `text`, or says why it could not be read (the question is then asked again).
    public func mark(_ text: String) -> Result<Marking, AnswerProblem> {
        switch expected {
        case let .quantity(truth, dimension):
            let rule = judging ?? .byDefault(truth, dimension)
            return AnswerParser.parse(text, as: dimension, unitImplied: unitImplied).map { rule.mark(answer: $0, truth: truth) }
        case .order(let truth):
            let given = text.lowercased().filter { $0.isLetter }
            guard given.count == truth.count, Set(given) == Set(truth) else {
                return .failure(AnswerProblem(message: "type the \(truth.count) letters once each, fastest first, e.g. '\(String(truth.sorted()))'"))
            }
            if given == truth { return .success(Marking(grade: .right, verdict: "exactly right")) }
            let g = Array(given), t = Array(truth)
            let wrongPlaces = zip(g, t).filter { $0 != $1 }.count
            if wrongPlaces == 2, let i = (0..<g.count - 1).first(where: { g[$0] != t[$0] }), g[i] == t[i + 1], g[i + 1] == t[i] {
                return .success(Marking(grade: .close, verdict: "one neighbouring pair swapped"))
            }
            return .success(Marking(grade: .wrong, verdict: "\(wrongPlaces) of \(truth.count) in the wrong place"))
        }
    }
}
