import Simulation

/// Counts per second over the last `size` seconds, a few counts per second, in a ring: a
/// breaker's time-based window (calls, failed, slow) and a retry budget (first attempts,
/// retries). A second's place is cleared when the ring comes round to it again.
struct RecentSeconds: Sendable, Equatable {
    let size: Int
    let fields: Int
    private var second: [Int64]
    private var counts: [Int32]

    init(seconds: Int, fields: Int) {
        size = max(1, seconds); self.fields = fields
        second = Array(repeating: -1, count: size)
        counts = Array(repeating: 0, count: size * fields)
    }

    mutating func add(_ field: Int, at now: SimTime) {
        let s = now / 1_000_000, k = Int(s % Int64(size))
        if second[k] != s {
            second[k] = s
            for f in 0..<fields { counts[k * fields + f] = 0 }
        }
        counts[k * fields + field] += 1
    }

    /// `field` summed over the last `size` seconds, this one included.
    func sum(_ field: Int, now: SimTime) -> Int {
        let s = now / 1_000_000
        var total = 0
        for k in 0..<size where second[k] > s - Int64(size) && second[k] <= s { total += Int(counts[k * fields + field]) }
        return total
    }
}
