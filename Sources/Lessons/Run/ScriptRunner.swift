import Patterns
import Simulation

/// An expectation that did not hold, or a `run until` that gave up.
public struct RunFailure: Sendable, Equatable {
    public var line: Int
    public var source: String
    public var message: String
}

/// Executes one step's script against a cluster, a little at a time: the player calls it every
/// frame with a time budget (so messages are seen travelling), `check` calls it once without one.
/// Both take the same path, so what `check` verifies is what a student watches.
public struct ScriptRunner<P: Pattern>: Sendable {
    public let script: [Located<Instruction<P>>]
    public private(set) var pc = 0
    /// When the current `run` began (nil until it starts).
    var started: SimTime?
    /// Node checks spent on `run until` conditions so far (see `Limits.maxConditionWork`).
    var conditionWork = 0

    /// `script.count`, kept: the player asks `isDone` several times an event from code that is
    /// not specialised for its pattern, and there reading an array's count looked up the generic
    /// type's metadata twice (8 % of skipping a long step, by callgrind: 18.2 → 16.8 billion
    /// instructions for the `skip` benchmark).
    private let length: Int

    public init(_ script: [Located<Instruction<P>>]) { self.script = script; length = script.count }

    public var isDone: Bool { pc >= length }

    /// When the instruction under way gives up waiting, in simulated time: the end of a `run`,
    /// the deadline of a `run until`. The player paces a quiet stretch up to it.
    public func nextStop(now: SimTime) -> SimTime? {
        guard let located = current else { return nil }
        switch located.value {
        case .run(let d): return (started ?? now) + d
        case let .runUntil(_, within): return (started ?? now) + within
        default: return nil
        }
    }
    public var current: Located<Instruction<P>>? { isDone ? nil : script[pc] }

    public enum Progress: Equatable { case moved, waiting, done }

    /// Does as much as allowed: at most `maxEvents` events, and no further than `until` in
    /// simulated time. Returns `.waiting` when the budget stops it before the script ends.
    public mutating func advance(_ c: inout Cluster<P.Node>, maxEvents: Int = .max, until limit: SimTime = .max,
                                 failures: inout [RunFailure]) -> Progress {
        var events = 0
        var moved = false
        // The lesson's limits hold inside a run, event by event: a `run 600s` on a cluster that
        // makes millions of events stops at the limit, not ten minutes of simulated time later.
        let eventCap = P.limits.lessonEvents
        let limit = min(limit, Limits.maxLessonTime)
        /// `wantsMoreTime`: the instruction needs time past where the clock stands (a run cut
        /// short at exactly one hour has reached the limit; an `expect` at one hour has not).
        func overLimit(_ located: Located<Instruction<P>>, wantsMoreTime: Bool = false) -> Bool {
            let outOfTime = c.now > Limits.maxLessonTime || (wantsMoreTime && c.now >= Limits.maxLessonTime)
            let tooCostly = conditionWork > Limits.maxConditionWork
            guard c.eventsProcessed >= eventCap || outOfTime || c.saturated > 0 || tooCostly else { return false }
            let what = c.saturated > 0 ? "\(c.inFlightLimit) messages on the wire at once (the simulator's limit)"
                : tooCostly ? "\(Limits.maxConditionWork) node checks for its 'run until' conditions (shorten the condition or the run)"
                : c.eventsProcessed >= eventCap ? "\(eventCap) events (\(P.name) lessons' limit)"
                : "1 hour of simulated time"
            var found = ""
            if case let .runUntil(condition, _) = located.value { found = " (found \(condition.evaluate(c).found))" }
            failures.append(RunFailure(line: located.line, source: located.source,
                                       message: "the lesson reached its limit of \(what) at \(SimDuration.format(c.now))\(found); stopped here"))
            c.log(.expect, nil, nil, "✗ \(located.source): stopped at the lesson's limit of \(what)")
            pc = script.count
            return true
        }
        /// After the events of a timed instruction: time passes to `end` (or as far as allowed).
        /// Nil when `end` was reached; otherwise what `advance` should return now.
        func passTime(to end: SimTime, _ located: Located<Instruction<P>>) -> Progress? {
            if overLimit(located) { return .done }
            let stop = min(end, limit)
            if events >= maxEvents, let nt = c.nextEventTime, nt <= stop { return .moved }
            if stop > c.now { moved = true }
            c.advance(to: stop)
            if overLimit(located, wantsMoreTime: stop < end) { return .done }
            return stop == end ? nil : (moved ? .moved : .waiting)
        }
        while pc < length {
            let located = script[pc]
            if overLimit(located) { return .done }
            switch located.value {
            case .run(let d):
                let start = started ?? c.now
                started = start
                let end = start + d
                // Saturation checked inline, not by a closure called after every event.
                let ran = P.runEvents(&c, through: min(end, limit), maxEvents: min(maxEvents - events, eventCap - c.eventsProcessed),
                                      untilSaturated: true, stop: nil)
                events += ran.events
                if ran.events > 0 { moved = true }
                if let early = passTime(to: end, located) { return early }
                finish()
                if maxEvents == 1 { return .moved }

            case let .runUntil(condition, within):
                if started == nil, condition.holds(c) { finish(); continue }
                let start = started ?? c.now
                started = start
                let deadline = start + within
                // Each ask costs about parts × nodes; past the budget the run stops (and fails).
                let cost = condition.cost(nodes: c.size)
                var work = conditionWork
                let ran = P.runEvents(&c, through: min(deadline, limit), maxEvents: min(maxEvents - events, eventCap - c.eventsProcessed),
                                      untilSaturated: true, stop: { cluster in
                                          work += cost
                                          return work > Limits.maxConditionWork || condition.holds(cluster)
                                      })
                conditionWork = work
                events += ran.events
                if ran.events > 0 { moved = true }
                if ran.stopped && c.saturated == 0 && conditionWork <= Limits.maxConditionWork { finish(); continue }
                if let early = passTime(to: deadline, located) { return early }
                let found = condition.evaluate(c).found
                failures.append(RunFailure(line: located.line, source: located.source,
                                           message: "did not happen within \(SimDuration.format(within)) (found \(found))"))
                c.log(.expect, nil, nil, "✗ \(located.source): gave up after \(SimDuration.format(within))")
                finish()

            case .expect(let condition):
                let what = located.source.hasPrefix("expect ") ? String(located.source.dropFirst(7)) : located.source
                if condition.holds(c) {
                    c.log(.expect, nil, nil, "✓ \(what)")
                } else {
                    let found = condition.evaluate(c).found
                    failures.append(RunFailure(line: located.line, source: located.source, message: "found \(found)"))
                    c.log(.expect, nil, nil, "✗ \(what) (found \(found))")
                }
                finish(); moved = true

            default:
                if let problem = Self.apply(located, to: &c) {
                    failures.append(RunFailure(line: located.line, source: located.source, message: problem))
                    c.log(.expect, nil, nil, "✗ \(located.source): \(problem)")
                }
                finish(); moved = true
            }
        }
        return moved ? .moved : .done
    }

    private mutating func finish() { pc += 1; started = nil }

    /// Instructions that take no time: faults and the pattern's own commands.
    @discardableResult
    static func apply(_ located: Located<Instruction<P>>, to c: inout Cluster<P.Node>) -> String? {
        switch located.value {
        // A fault that changes nothing is the author's mistake (the narration would say n3
        // crashed while it was already down): fail the lesson at its line.
        // A range (`crash n1..n5`) is checked whole before any node changes, so a lesson that
        // fails at the line leaves none of it half done.
        case .crash(let ns):
            if let n = ns.first(where: { !c.isUp[$0] }) { return "\(c.name(n)) is already crashed" }
            for n in ns { c.crash(n) }
        case .restart(let ns):
            if let n = ns.first(where: { c.isUp[$0] }) { return "\(c.name(n)) is running; restart only a crashed node" }
            for n in ns { c.restart(n) }
        case .isolate(let ns):
            for n in ns { c.isolate(n) }
        case let .partition(groups, oneWay):
            c.network.partition(groups, oneWay: oneWay, size: c.size)
            c.log(.command, nil, nil, located.source)
        case .heal:
            c.heal()
        case .speed:
            break   // for the player only
        case let .pause(ns, d):
            if let n = ns.first(where: { !c.isUp[$0] }) { return "\(c.name(n)) is crashed; only a running node can pause" }
            for n in ns { c.pause(n, for: d) }
        case .resume(let ns):
            if let n = ns.first(where: { !c.isPaused[$0] }) { return "\(c.name(n)) is not paused" }
            for n in ns { c.resume(n) }
        case let .link(a, b, both, change):
            let links = both ? [Link(a, b), Link(b, a)] : [Link(a, b)]
            for l in links {
                c.network.update(l) { f in
                    switch change {
                    case .loss(let p): f.lossPPM = p
                    case .delay(let d): f.extraDelay = d
                    case .duplicate(let p): f.duplicatePPM = p
                    case .latency(let l): f.latency = l
                    }
                }
            }
            c.log(.command, nil, nil, located.source)
        case .latency(let l):
            c.network.latency = l
            c.log(.command, nil, nil, "network latency now \(l)")
        case .loss(let ppm):
            c.network.lossPPM = ppm
            c.log(.command, nil, nil, "network now loses \(ppm % 10_000 == 0 ? "\(ppm / 10_000)" : "\(Double(ppm) / 10_000)")% of messages")
        case let .skew(n, d):
            c.clocks[n].offset = d
            c.log(.command, n, nil, "clock skew set to \(SimDuration.format(d))")
        case let .stepClock(n, d):
            c.clocks[n].step(by: d, at: c.now)
            c.log(.command, n, nil, "wall clock stepped by \(SimDuration.format(d))")
        case let .drift(n, ppm):
            c.clocks[n].setDrift(ppm, at: c.now)
            c.log(.command, n, nil, "clock drift set to \(ppm)ppm")
        case .pattern(let command):
            c.log(.command, nil, nil, located.source)
            return P.perform(command, on: &c)
        case .run, .runUntil, .expect:
            break
        }
        return nil
    }
}
