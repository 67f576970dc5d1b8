import Simulation

/// `298ms`, `4.2s`: a duration short enough for a gauge or a table cell (tenths of a second
/// from one second up, whole milliseconds below).
public func shortDuration(_ us: SimTime) -> String {
    us < 1_000_000 ? "\(us / 1_000)ms" : "\(us / 1_000_000).\(us % 1_000_000 / 100_000)s"
}
