import Foundation

/// How a numeric answer is judged. A count someone can read off the screen (2 entries, 3 votes)
/// is exact; an estimate is judged by factor, because estimating is about orders of magnitude.
public enum Judging: Sendable, Equatable {
    /// Right only when equal (up to rounding in the last digits).
    case exact
    /// Right within this share of the truth either way (0.2: within 20 %); close within twice it.
    case tolerance(Double)
    /// Right within this factor either way (2: from half to double); close within 10× (or twice
    /// the factor, if that is wider).
    case factor(Double)
    /// Right within √10 either way (the same power of ten, rounded); close within 10×.
    case orderOfMagnitude

    /// The default for an answer: a small whole number without a unit is a count to get exactly
    /// right; anything else is an estimate, right within 2× and close within 10×.
    public static func byDefault(_ value: Double, _ d: Dimension) -> Judging {
        d == .count && value == value.rounded() && abs(value) < 1_000 ? .exact : .factor(2)
    }

    /// How the rule reads, for hints ("within 2× is right").
    public var rule: String {
        switch self {
        case .exact: return "only the exact value is right"
        case .tolerance(let t): return "within \(Format.number(t * 100))% is right"
        case .factor(let f): return "within \(Format.number(f))× is right; within \(Format.number(closeFactor(f)))× the right order of magnitude"
        case .orderOfMagnitude: return "the right power of ten is right; within 10× is close"
        }
    }

    func closeFactor(_ f: Double) -> Double { max(10, f * 2) }

    public func mark(answer: Double, truth: Double) -> Marking {
        switch self {
        case .exact:
            // Relative only: with an absolute slack, 1e-320 was "exactly right" for 0.
            let equal = answer == truth || abs(answer - truth) <= 1e-9 * abs(truth)
            if equal { return Marking(grade: .right, verdict: "exactly right") }
            let diff = answer - truth
            if truth == truth.rounded() && answer == answer.rounded() && abs(diff) < 1e15 {
                return Marking(grade: .wrong, verdict: "\(Format.number(abs(diff))) too \(diff > 0 ? "many" : "few")")
            }
            return Marking(grade: .wrong, verdict: Score(answer: answer, truth: truth).verdict)
        case .tolerance(let t):
            let off = truth == 0 ? (answer == 0 ? 0 : .infinity) : abs(answer - truth) / abs(truth)
            let grade: Grade = off <= t + 1e-12 ? .right : (off <= 2 * t ? .close : .wrong)
            let verdict = off == 0 ? "exactly right" : off.isFinite ? "\(Format.number(off * 100))% too \(answer > truth ? "high" : "low")" : "not comparable"
            return Marking(grade: grade, verdict: verdict)
        case .factor(let f):
            let s = Score(answer: answer, truth: truth)
            return Marking(grade: grade(s.ratio, right: f, close: closeFactor(f)), verdict: s.verdict)
        case .orderOfMagnitude:
            let s = Score(answer: answer, truth: truth)
            return Marking(grade: grade(s.ratio, right: 10.0.squareRoot(), close: 10), verdict: s.verdict)
        }
    }

    private func grade(_ ratio: Double, right: Double, close: Double) -> Grade {
        guard ratio.isFinite, ratio > 0 else { return .wrong }
        let factor = ratio >= 1 ? ratio : 1 / ratio
        return factor <= right * (1 + 1e-12) ? .right : (factor <= close * (1 + 1e-12) ? .close : .wrong)
    }

    /// Exact answers stay below this: from 2^53 a Double cannot tell neighbouring whole numbers
    /// apart, so "exactly" would be a lie.
    public static let largestExact = 9_007_199_254_740_992.0

    /// Why a rule cannot judge an answer of `truth`, or nil when it can.
    public func problem(for truth: Double) -> String? {
        switch self {
        case .exact:
            return abs(truth) >= Self.largestExact ? "an exact answer must be less than 2^53 (9,007,199,254,740,992) in size; judge larger ones within a share, such as within 1%" : nil
        case .tolerance, .factor, .orderOfMagnitude:
            return truth == 0 ? "a share or a factor of 0 is 0, so only 0 itself could be right: write '= 0 exact'" : nil
        }
    }

    /// Why `text` is not a rule, saying the allowed range when only the amount is wrong.
    public static func explainRefusal(_ text: String) -> String {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasPrefix("within "), t.hasSuffix("%") { return "'\(text)': a share must be more than 0% and at most 1000%" }
        if t.hasPrefix("within "), t.hasSuffix("x") || t.hasSuffix("×") { return "'\(text)': a factor must be from 1x to 1000x" }
        return "'\(text)' is not a way of judging I know: exact, within 20%, within 2x, order of magnitude"
    }

    /// Reads a rule written after an answer: `exact`, `within 20%`, `within 2x` (or `2×`),
    /// `order of magnitude`. Nil when `text` is not one of them.
    public static func parse(_ text: String) -> Judging? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "exact" || t == "exactly" { return .exact }
        if t == "order of magnitude" || t == "within an order of magnitude" { return .orderOfMagnitude }
        guard t.hasPrefix("within ") else { return nil }
        let amount = t.dropFirst("within ".count).trimmingCharacters(in: .whitespaces)
        if amount.hasSuffix("%"), let p = Double(amount.dropLast().trimmingCharacters(in: .whitespaces)), p.isFinite, p > 0, p <= 1_000 {
            return .tolerance(p / 100)
        }
        for suffix in ["x", "×"] where amount.hasSuffix(suffix) {
            if let f = Double(amount.dropLast().trimmingCharacters(in: .whitespaces)), f.isFinite, f >= 1, f <= 1_000 { return .factor(f) }
        }
        return nil
    }
}
