import Foundation

/// What an answer measures. Answers are compared in base units: seconds, bytes, a plain count,
/// or bytes per second.
public enum Dimension: String, Sendable, Codable, Equatable {
    case time, bytes, count, bandwidth

    /// The forms a person may type, for hints.
    public var examples: String {
        switch self {
        case .time: return "150us, 150 µs, 0.15ms, 1.5e-4 s, 2 min"
        case .bytes: return "2 KB, 1.5 GB, 3x10^9 B, 16 bytes"
        case .count: return "5000, 12k, 1.2M, 3x10^7, ~10^5, 2.5e4"
        case .bandwidth: return "40 MB/s, 320 Mbps, 1.2 GB/s"
        }
    }
}

/// Formats quantities the way people say them: 150 µs, 2.5 KB, 3×10^7.
public enum Format {
    public static func time(_ seconds: Double, ascii: Bool = false) -> String {
        let units: [(Double, String)] = [(86_400, "days"), (3_600, "h"), (60, "min"), (1, "s"), (1e-3, "ms"),
                                         (1e-6, ascii ? "us" : "µs"), (1e-9, "ns")]
        for (scale, name) in units where abs(seconds) >= scale * 0.9999 || scale == 1e-9 {
            return number(seconds / scale) + " " + name
        }
        return number(seconds) + " s"
    }

    public static func bytes(_ b: Double) -> String {
        let units: [(Double, String)] = [(1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB"), (1, "bytes")]
        for (scale, name) in units where abs(b) >= scale * 0.9999 || scale == 1 { return number(b / scale) + " " + name }
        return number(b) + " bytes"
    }

    public static func bandwidth(_ bps: Double) -> String { bytes(bps) + "/s" }

    /// 3 significant figures at most, no trailing zeros; large counts in powers of ten too.
    public static func count(_ v: Double) -> String {
        if abs(v) >= 1e5 { return number(v) + " (" + scientific(v) + ")" }
        return number(v)
    }

    public static func quantity(_ v: Double, _ d: Dimension, ascii: Bool = false) -> String {
        switch d {
        case .time: return time(v, ascii: ascii)
        case .bytes: return bytes(v)
        case .count: return count(v)
        case .bandwidth: return bandwidth(v)
        }
    }

    public static func scientific(_ v: Double) -> String {
        guard v != 0 else { return "0" }
        guard v.isFinite, v != 0 else { return number(v) }
        let e = Int(floor(log10(abs(v))))
        let m = v / pow(10, Double(e))
        let mantissa = number(m)
        return mantissa == "1" ? "10^\(e)" : "\(mantissa)×10^\(e)"
    }

    public static func number(_ v: Double) -> String {
        // Answers come from the keyboard: infinities, NaN and 1e-320 must print, not trap.
        if v.isNaN { return "not a number" }
        if v.isInfinite { return v > 0 ? "infinity" : "-infinity" }
        if v == 0 { return "0" }
        if abs(v) >= 1e15 || abs(v) < 1e-6 { return String(format: "%.2g", v) }
        if v == v.rounded() && abs(v) < 1e15 {
            let i = Int64(v)
            return grouped(i)
        }
        let digits = max(0, 2 - Int(floor(log10(abs(v)))))
        var s = String(format: "%.\(min(digits, 6))f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    static func grouped(_ i: Int64) -> String {
        let digits = String(i.magnitude)
        var out = ""
        for (k, c) in digits.reversed().enumerated() {
            if k > 0 && k % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (i < 0 ? "-" : "") + String(out.reversed())
    }
}
