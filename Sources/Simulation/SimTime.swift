/// Virtual time, in integer microseconds. Integers keep event order exact and runs reproducible;
/// floating-point time would make "same seed, same run" depend on rounding.
public typealias SimTime = Int64

public enum SimDuration {
    public static let microsecond: SimTime = 1
    public static let millisecond: SimTime = 1_000
    public static let second: SimTime = 1_000_000

    /// "312.4ms", "1.250s", "40us": short, exact enough for a status line and the journal.
    public static func format(_ t: SimTime) -> String {
        let sign = t < 0 ? "-" : ""
        let a = t.magnitude
        if a >= 1_000_000 {
            return sign + "\(a / 1_000_000).\(pad(a % 1_000_000 / 1_000, 3))s"
        }
        if a >= 1_000 {
            let tenths = a % 1_000 / 100
            return sign + "\(a / 1_000)" + (tenths == 0 ? "" : ".\(tenths)") + "ms"
        }
        return sign + "\(a)us"
    }

    /// Fixed-width clock for the journal: "   12.345678s" style would be noisy; milliseconds
    /// with three decimals is the resolution lessons talk in.
    public static func stamp(_ t: SimTime) -> String {
        let ms = t / 1_000, frac = (t % 1_000).magnitude
        let s = "\(ms).\(pad(UInt64(frac), 3))ms"
        return String(repeating: " ", count: max(0, 12 - s.count)) + s
    }

    static func pad(_ v: UInt64, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
