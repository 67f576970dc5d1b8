@testable import Simulation

/// A minimal node for testing the simulator: n1 pings n2 every `period`; n2 answers pong.
struct PingNode: NodeModel {
    enum Message: String, Sendable, CustomStringConvertible { case ping, pong; var description: String { rawValue } }
    enum Timer: Int, TimerKind {
        case tick
        var description: String { "tick" }
        static let slotCount = 1
    }
    struct Config: Sendable {
        var period: SimTime = 100_000
        /// How long n2 works on each ping before it can take the next (0: at once).
        var service: SimTime = 0
    }

    let id: NodeID
    let config: Config
    var received: [(Message, SimTime)] = []
    var boots = 0          // persistent, for checking that a crash keeps it
    var volatileCount = 0  // lost on a crash

    init(id: NodeID, clusterSize: Int, config: Config) { self.id = id; self.config = config }

    mutating func boot(_ io: inout NodeIO<Self>) {
        boots += 1
        if id == 0 { io.setTimer(.tick, after: config.period) }
    }
    mutating func receive(_ m: Message, from: NodeID, _ io: inout NodeIO<Self>) {
        received.append((m, io.localNow))
        volatileCount += 1
        if m == .ping { io.send(.pong, to: from); io.busy(for: config.service) }
    }
    mutating func fire(_ t: Timer, _ io: inout NodeIO<Self>) {
        io.send(.ping, to: 1)
        io.setTimer(.tick, after: config.period)
    }
    mutating func crash() { volatileCount = 0 }
}
