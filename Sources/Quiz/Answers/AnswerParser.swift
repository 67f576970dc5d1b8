import Foundation

/// Why an answer could not be read, with the forms that would have been.
public struct AnswerProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Reads answers the way people write them: `150us`, `150 µs`, `0.15ms`, `1.5e-4 s`, `2 KB`,
/// `3x10^7`, `12k`, `1.2M`, `~10^5`, `1,000`. The dimension says which units make sense.
public enum AnswerParser {
    /// `unitImplied`: the question names the unit ("how many bytes…"), so a bare number is in it.
    /// Otherwise a size needs its unit: `100` for a year's storage is not 100 bytes.
    public static func parse(_ raw: String, as dimension: Dimension, unitImplied: Bool = false) -> Result<Double, AnswerProblem> {
        var s = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let hint = "accepted forms: \(dimension.examples)"
        guard !s.isEmpty else { return .failure(AnswerProblem(message: "type an answer; \(hint)")) }
        for prefix in ["~", "≈", "about ", "approx ", "around "] where s.hasPrefix(prefix) { s = String(s.dropFirst(prefix.count)) }
        // A comma groups thousands (1,000,000); anywhere else it is a decimal comma, which would
        // silently read "8,0" as 80: say so instead.
        if s.contains(",") {
            let number = s.prefix { $0.isNumber || $0 == "," || $0 == "." }
            guard number.range(of: #"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$"#, options: .regularExpression) != nil else {
                return .failure(AnswerProblem(message: "a comma only groups thousands (1,000,000); write decimals with a point (8.5); \(hint)"))
            }
        }
        s = s.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")
        guard let (number, rest) = leadingNumber(s) else {
            return .failure(AnswerProblem(message: "that is not a number I can read; \(hint)"))
        }
        let unit = rest.trimmingCharacters(in: .whitespaces)
        // The sign is the mantissa's: the '-' of 10^-400 or 5e-324 is an exponent's.
        if number < 0 || s.hasPrefix("-") {
            return .failure(AnswerProblem(message: "an amount cannot be negative; \(hint)"))
        }
        if number == 0, s.prefix(while: { $0.isNumber || $0 == "." }).contains(where: { $0.isNumber && $0 != "0" }) {
            return .failure(AnswerProblem(message: "that number is too small to tell from zero; \(hint)"))
        }
        if unit.isEmpty && dimension == .bytes && !unitImplied {
            return .failure(AnswerProblem(message: "add a unit (B, KB, MB, GB, TB); \(hint)"))
        }
        guard let scale = self.scale(unit, dimension) else {
            if unit.isEmpty {
                return .failure(AnswerProblem(message: "add a unit; \(hint)"))
            }
            if dimension == .bandwidth, byteScale(unit.replacingOccurrences(of: " ", with: "")) != nil {
                return .failure(AnswerProblem(message: "a bandwidth is a rate: add /s (\(raw.trimmingCharacters(in: .whitespaces))/s) or use bits per second (Mbps); \(hint)"))
            }
            return .failure(AnswerProblem(message: "'\(unit)' is not a unit I know for this question; \(hint)"))
        }
        let value = number * scale
        guard value.isFinite else { return .failure(AnswerProblem(message: "that number is too large; \(hint)")) }
        if value == 0 && number != 0 { return .failure(AnswerProblem(message: "that number is too small to tell from zero; \(hint)")) }
        return .success(value)
    }

    /// A number with optional suffix multiplier and power of ten, then whatever follows.
    static func leadingNumber(_ s: String) -> (Double, String)? {
        let chars = Array(s)
        var i = 0
        var mantissa = ""
        while i < chars.count, chars[i].isNumber || chars[i] == "." || (i == 0 && (chars[i] == "-" || chars[i] == "+")) {
            mantissa.append(chars[i]); i += 1
        }
        var value: Double
        if mantissa.isEmpty || mantissa == "-" || mantissa == "+" {
            // "10^5" alone has a mantissa; "e5" or "x10^5" alone do not count.
            return nil
        } else {
            guard let v = Double(mantissa) else { return nil }
            value = v
        }
        func skipSpaces() { while i < chars.count, chars[i] == " " { i += 1 } }
        // Exponent: e-4, x10^7, ×10^7, *10^7, 10^5 (when the mantissa itself was 10 and ^ follows).
        if i < chars.count, chars[i] == "e", i + 1 < chars.count, chars[i + 1].isNumber || chars[i + 1] == "-" || chars[i + 1] == "+" {
            var j = i + 1, exp = ""
            while j < chars.count, chars[j].isNumber || (j == i + 1 && (chars[j] == "-" || chars[j] == "+")) { exp.append(chars[j]); j += 1 }
            guard let e = Double(exp) else { return nil }
            // Read as one literal where possible: 5 × 10^-324 by pow underflows to 0, while the
            // literal 5e-324 is the smallest positive Double.
            value = Double(mantissa + "e" + exp) ?? value * pow(10, e); i = j
        } else if i < chars.count, chars[i] == "^", mantissa == "10" {
            var j = i + 1, exp = ""
            while j < chars.count, chars[j].isNumber || (j == i + 1 && chars[j] == "-") { exp.append(chars[j]); j += 1 }
            guard let e = Double(exp) else { return nil }
            value = pow(10, e); i = j
        } else {
            let save = i
            skipSpaces()
            if i < chars.count, ["x", "×", "*"].contains(chars[i]) {
                i += 1; skipSpaces()
                let rest = String(chars[i...])
                if rest.hasPrefix("10^") {
                    var j = i + 3, exp = ""
                    while j < chars.count, chars[j].isNumber || (j == i + 3 && chars[j] == "-") { exp.append(chars[j]); j += 1 }
                    guard let e = Double(exp) else { return nil }
                    value *= pow(10, e); i = j
                } else {
                    return nil
                }
            } else {
                i = save
            }
        }
        return (value, String(chars[i...]))
    }

    /// Multiplier for `unit` in base units, or nil when it does not fit the dimension.
    static func scale(_ unit: String, _ d: Dimension) -> Double? {
        let u = unit.replacingOccurrences(of: " ", with: "")
        switch d {
        case .count:
            let m: [String: Double] = ["": 1, "k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mn": 1e6,
                                       "b": 1e9, "bn": 1e9, "billion": 1e9, "g": 1e9, "t": 1e12, "trillion": 1e12,
                                       "x": 1, "times": 1, "qps": 1, "req/s": 1, "/s": 1, "rps": 1]
            return m[u]
        case .time:
            let m: [String: Double] = ["ns": 1e-9, "nanosecond": 1e-9, "nanoseconds": 1e-9,
                                       "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "microsecond": 1e-6, "microseconds": 1e-6,
                                       "ms": 1e-3, "millisecond": 1e-3, "milliseconds": 1e-3,
                                       "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
                                       "min": 60, "mins": 60, "minute": 60, "minutes": 60,
                                       "h": 3_600, "hr": 3_600, "hour": 3_600, "hours": 3_600,
                                       "d": 86_400, "day": 86_400, "days": 86_400]
            return m[u]
        case .bytes:
            return byteScale(u)
        case .bandwidth:
            if u.hasSuffix("/s") || u.hasSuffix("ps") {
                let base = u.hasSuffix("/s") ? String(u.dropLast(2)) : String(u.dropLast(2))
                if u.hasSuffix("bps") && !u.hasSuffix("/s") {
                    // Bits per second: kbps, mbps, gbps.
                    let prefixes: [String: Double] = ["": 1, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12]
                    return prefixes[String(u.dropLast(3))].map { $0 / 8 }
                }
                return byteScale(base)
            }
            return nil
        }
    }

    static func byteScale(_ u: String) -> Double? {
        let m: [String: Double] = ["": 1, "b": 1, "byte": 1, "bytes": 1,
                                   "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "pb": 1e15,
                                   "kib": 1_024, "mib": 1_048_576, "gib": 1_073_741_824, "tib": 1_099_511_627_776,
                                   "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12, "p": 1e15]
        return m[u]
    }
}
