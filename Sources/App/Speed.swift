/// Playback speeds: simulated time per unit of real time. Raft's timers are a few hundred
/// milliseconds, so real time is far too fast to follow; the default is 1/20.
public enum Speed {
    public static let levels: [(num: Int64, den: Int64)] = [
        (1, 1000), (1, 300), (1, 100), (1, 50), (1, 20), (1, 10), (1, 5), (1, 2), (1, 1),
    ]
    public static let defaultLevel = 4

    /// The speed setting when nothing is playing: "paced", or how far from the default.
    public static func paceLabel(_ level: Int) -> String {
        scale(level) == 1 ? "paced" : "paced \(scaleText(level))"
    }

    /// "2×", "0.4×", "0.07×": how the level compares with the default, as the status line and
    /// the top bar both say it (the bar said "/3" where the status said 0.4×).
    public static func scaleText(_ level: Int) -> String {
        let s = scale(level)
        return (s >= 1 ? "\(Int(s.rounded()))" : (Double(max(1, Int((s * 100).rounded()))) / 100).description) + "×"
    }

    public static func label(_ level: Int) -> String {
        let l = levels[level]
        return l.num == l.den ? "x1" : "x\(l.num)/\(l.den)"
    }

    /// How much faster than the default this level is (1 at the default, 2 one level up…).
    public static func scale(_ level: Int) -> Double {
        let l = levels[level], d = levels[defaultLevel]
        return Double(l.num) / Double(l.den) * Double(d.den) / Double(d.num)
    }

    public static func simulated(realMicros: Int64, level: Int) -> Int64 {
        realMicros * levels[level].num / levels[level].den
    }
}
