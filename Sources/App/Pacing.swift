import Simulation

/// What is on the wire right now, as pacing needs it.
public struct Wire: Sendable, Equatable {
    /// The shortest flight among messages a lesson is about (not heartbeats); nil when none.
    public var shortestFlight: SimTime?
    /// Messages in flight, all of them routine.
    public var routineOnly: Bool
    /// Nothing in flight: how long until the next thing happens (a timer), if anything will.
    public var quietFor: SimTime?
    /// Too much traffic to pace message by message.
    public var busy: Bool
    /// The pattern's own rate for routine or busy stretches (`PatternScene.steadyPace`).
    public var steadyPace: Double?

    public init(shortestFlight: SimTime? = nil, routineOnly: Bool = false, quietFor: SimTime? = nil, busy: Bool = false) {
        self.shortestFlight = shortestFlight; self.routineOnly = routineOnly; self.quietFor = quietFor; self.busy = busy
    }
}

/// How fast simulated time runs on screen, chosen by what is happening: a message's flight is
/// what a student watches, so it gets about a second on screen; waiting for a timer with nothing
/// on the wire passes in a second or two however long it is; heartbeats pass quickly. The speed
/// keys scale all of it (each level doubles or halves), and a step may ask for a fixed rate.
public enum Pacing {
    /// Real time a message's flight takes on screen at the default speed.
    static let flightOnScreen = 1.2
    /// Longest real time a quiet stretch (nothing on the wire) takes at the default speed.
    static let quietOnScreen = 1.5
    /// Simulated per real time while only routine messages fly, and the slowest quiet rate.
    static let routineRate = 1.0 / 4
    static let slowestQuietRate = 1.0 / 20
    /// The rate of a busy cluster (too many messages to follow one by one).
    static let busyRate = 1.0 / 20

    /// Simulated seconds per real second.
    /// `exchange`: how many exchanges of messages this step has shown, this one included. The
    /// first three get the full time on screen; each later one 0.6 of the one before, down to
    /// a fifth, so a step of many rounds still ends.
    /// The same for quiet stretches (`quiet`: how many this step has had).
    public static func rate(_ w: Wire, speed level: Int, fixed: Double? = nil, exchange: Int = 1, quiet stretch: Int = 1) -> Double {
        let scale = Speed.scale(level)
        if let fixed { return fixed * scale }
        if w.busy { return (w.steadyPace ?? busyRate) * scale }
        if let f = w.shortestFlight {
            return max(1e-4, Double(f) / 1e6 / decayed(flightOnScreen, after: exchange)) * scale
        }
        if w.routineOnly { return (w.steadyPace ?? routineRate) * scale }
        let quiet = w.quietFor.map { Double($0) / 1e6 / decayed(quietOnScreen, after: stretch) } ?? slowestQuietRate
        return max(slowestQuietRate, quiet) * scale
    }

    /// Full time for the first three, then 0.6 of the one before, down to a fifth.
    static func decayed(_ seconds: Double, after k: Int) -> Double {
        var s = seconds
        for _ in 0..<max(0, min(k - 3, 10)) { s *= 0.6 }
        return max(seconds / 5, s)
    }

    /// "x1/120", "x1/4", "x2": the rate as the status line shows it.
    public static func label(_ rate: Double) -> String {
        if rate >= 1 { return "x\(Int(rate.rounded()))" }
        let den = 1 / rate
        let rounded = den >= 100 ? (den / 10).rounded() * 10 : den.rounded()
        return "x1/\(Int(rounded))"
    }
}
