/// How close an answer was. Estimation is about orders of magnitude, so closeness is a factor.
public enum Grade: String, Sendable, Codable, Equatable {
    /// Within 2× of the reference.
    case right
    /// Within 10×: the right order of magnitude.
    case close
    case wrong

    public var label: String {
        switch self {
        case .right: return "right"
        case .close: return "right order of magnitude"
        case .wrong: return "wrong"
        }
    }
}

public struct Score: Sendable, Equatable {
    public var grade: Grade
    /// How many times too big (> 1) or too small (< 1) the answer was.
    public var ratio: Double

    public init(answer: Double, truth: Double) {
        if answer <= 0 || truth <= 0 || !answer.isFinite {
            ratio = answer == truth ? 1 : .infinity
        } else {
            ratio = answer / truth
        }
        let factor = ratio >= 1 ? ratio : 1 / ratio
        grade = factor <= 2 ? .right : (factor <= 10 ? .close : .wrong)
    }

    /// "3.2× too high", "10× too low", "spot on".
    public var verdict: String {
        if ratio == 1 { return "exactly right" }
        // A positive answer so small its ratio to the truth underflows to 0.
        if ratio == 0 { return "more than a trillion times too low" }
        if !ratio.isFinite { return "not comparable" }
        let factor = ratio >= 1 ? ratio : 1 / ratio
        if factor < 1.05 { return "spot on" }
        if !factor.isFinite || factor > 1e12 { return "more than a trillion times too \(ratio > 1 ? "high" : "low")" }
        return "\(Format.number(factor))× too \(ratio > 1 ? "high" : "low")"
    }
}
