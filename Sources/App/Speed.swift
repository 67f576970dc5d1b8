/// Playback speeds: simulated time per unit of real time. Raft's timers are a few hundred
/// milliseconds, so real time is far too fast to follow; the default is 1/20.
public enum Speed {
    public static let levels: [(num: Int64, den: Int64)] = [
        (1, 1000), (1, 300), (1, 100), (1, 50), (1, 20), (1, 10), (1, 5), (1, 2), (1, 1),
    ]
    public static let defaultLevel = 4

    public static func label(_ level: Int) -> String {
        let l = levels[level]
        return l.num == l.den ? "x1" : "x\(l.num)/\(l.den)"
    }

    public static func simulated(realMicros: Int64, level: Int) -> Int64 {
        realMicros * levels[level].num / levels[level].den
    }
}
