import Foundation
import Patterns
import Simulation

/// One line of a `sim` block, compiled for pattern `P`.
public enum Instruction<P: Pattern>: Sendable {
    public enum LinkChange: Sendable { case loss(Int), delay(SimTime), duplicate(Int), latency(Latency) }

    case run(SimTime)
    case runUntil(Condition<P>, within: SimTime)
    case expect(Condition<P>)
    case crash(ClosedRange<NodeID>)
    case restart(ClosedRange<NodeID>)
    case isolate(ClosedRange<NodeID>)
    /// Groups cut off from each other; with `oneWay`, only messages from the first to the second.
    case partition([[NodeID]], oneWay: Bool)
    case heal
    /// Stop a node without crashing it, for a while or until `resume`.
    case pause(ClosedRange<NodeID>, for: SimTime?)
    case resume(ClosedRange<NodeID>)
    case link(NodeID, NodeID, both: Bool, LinkChange)
    /// The network-wide latency distribution, from now on.
    case latency(Latency)
    /// The share of every message lost, everywhere (a link's own loss is `drop`).
    case loss(Int)
    case skew(NodeID, SimTime)
    case stepClock(NodeID, SimTime)
    case drift(NodeID, Int64)
    case pattern(P.Command)
    /// How fast the player shows this step: simulated per real time, or nil for paced by what
    /// is on the wire (the default). `check` ignores it.
    case speed(Double?)

}

/// A compiled line, remembering where it was written and how.
public struct Located<T: Sendable>: Sendable {
    public var value: T
    public var line: Int
    public var source: String
}

/// Limits that keep an untrusted lesson from running away.
public enum Limits {
    public static let maxRun: SimTime = 10 * 60 * SimDuration.second
    public static let defaultWithin: SimTime = 60 * SimDuration.second
    public static let maxLessonTime: SimTime = 60 * 60 * SimDuration.second
    public static let maxLessonEvents = 5_000_000
    /// Parts of one condition joined by `and`.
    public static let maxConditionTerms = 16
    /// Nodes a lesson's `run until` conditions may look at in all (see `Condition.cost`, once
    /// per event): a 16-part condition on 101 nodes asked after a million events is 1.6 billion
    /// looks and minutes of `check`; the lessons we ship use under a million.
    public static let maxConditionWork = 20_000_000
}

/// The commands every pattern understands. A pattern's own commands are added beside these.
struct CommandTable<P: Pattern> {
    struct Entry {
        var name: String
        var usage: String
        var help: String
        var parse: (inout Words) throws(Diagnostic) -> Instruction<P>
    }

    /// A pattern may refine a common command by giving its own of the same name (the saga's
    /// `crash payment after commit` also reads a plain `crash payment`): its own wins.
    static var entries: [Entry] {
        let own = Set(P.commands.map(\.name))
        return common.filter { !own.contains($0.name) } + P.commands.map { spec in
            Entry(name: spec.name, usage: spec.usage, help: spec.help) { (w: inout Words) throws(Diagnostic) in
                .pattern(try spec.parse(&w))
            }
        }
    }

    static var common: [Entry] {
        [
            Entry(name: "run", usage: "run DURATION | run until CONDITION [within DURATION]",
                  help: "let simulated time pass") { (w: inout Words) throws(Diagnostic) in
                if w.accept("until") {
                    let c = try ConditionReader<P>.read(&w)
                    var within = Limits.defaultWithin
                    if w.accept("within") { within = try bounded(&w) }
                    return .runUntil(c, within: within)
                }
                return .run(try bounded(&w))
            },
            Entry(name: "expect", usage: "expect CONDITION", help: "check that a condition holds now") { (w: inout Words) throws(Diagnostic) in
                .expect(try ConditionReader<P>.read(&w))
            },
            Entry(name: "crash", usage: "crash nK (or n1..n5)", help: "stop a node; it loses volatile state") { (w: inout Words) throws(Diagnostic) in
                .crash(try w.nodes())
            },
            Entry(name: "restart", usage: "restart nK (or n1..n5)", help: "start a crashed node again") { (w: inout Words) throws(Diagnostic) in
                .restart(try w.nodes())
            },
            Entry(name: "isolate", usage: "isolate nK (or n1..n5)", help: "cut a node off from everyone, both ways") { (w: inout Words) throws(Diagnostic) in
                .isolate(try w.nodes())
            },
            Entry(name: "partition", usage: "partition nA nB | nC nD   (or  nA -> nB  for one way)",
                  help: "cut groups off from each other") { (w: inout Words) throws(Diagnostic) in
                var groups: [[NodeID]] = [[]]
                var named = Set<NodeID>()
                var oneWay = false
                while let t = w.peek {
                    if t.text == "|" || t.text == "->" {
                        if t.text == "->" { oneWay = true }
                        guard !groups[groups.count - 1].isEmpty else { throw w.error("a group before '\(t.text)' is empty") }
                        _ = try w.next("|")
                        groups.append([])
                        continue
                    }
                    for n in try w.nodes() {
                        guard named.insert(n).inserted else { throw w.error("\(w.topology.name(n)) is named twice", at: t.column) }
                        groups[groups.count - 1].append(n)
                    }
                }
                guard groups.count >= 2, !groups[groups.count - 1].isEmpty else {
                    throw w.error("a partition needs two groups, such as 'partition n1 n2 | n3 n4 n5'")
                }
                if oneWay && groups.count != 2 { throw w.error("a one-way partition has exactly two groups: 'partition n1 -> n2 n3'") }
                return .partition(groups, oneWay: oneWay)
            },
            Entry(name: "pause", usage: "pause nK (or n1..n5) [DURATION]",
                  help: "stop a node without crashing it (a long GC pause): messages queue, timers wait; it resumes after DURATION or at 'resume'") { (w: inout Words) throws(Diagnostic) in
                let n = try w.nodes()
                guard !w.isAtEnd else { return .pause(n, for: nil) }
                let col = w.column
                let d = try w.duration()
                guard d > 0, d <= Limits.maxRun else { throw w.error("a pause lasts more than 0ms and at most 10 minutes", at: col) }
                return .pause(n, for: d)
            },
            Entry(name: "resume", usage: "resume nK (or n1..n5)", help: "end a pause: the node handles what waited for it") { (w: inout Words) throws(Diagnostic) in
                .resume(try w.nodes())
            },
            Entry(name: "heal", usage: "heal", help: "remove every partition and link fault") { (_: inout Words) throws(Diagnostic) in .heal },
            Entry(name: "speed", usage: "speed 1/20 | speed paced",
                  help: "show this step at a fixed rate (simulated per real time) instead of paced by what is on the wire") { (w: inout Words) throws(Diagnostic) in
                if w.accept("paced") { return .speed(nil) }
                guard let t = w.peek else { throw w.error("say a rate such as 1/20 (slower than real time) or 1, or 'paced'") }
                _ = try w.next("a rate")
                let text = t.text.hasPrefix("x") ? String(t.text.dropFirst()) : t.text
                let parts = text.split(separator: "/", omittingEmptySubsequences: false)
                guard (1...2).contains(parts.count), let num = Int(parts[0]), num >= 1, num <= 1_000,
                      let den = parts.count == 2 ? Int(parts[1]) : 1, den >= 1, den <= 10_000 else {
                    throw w.error("'\(t.text)' is not a rate: write it as 1/20, 1/100 or 1 (from 1/10000 to 1000)", at: t.column)
                }
                return .speed(Double(num) / Double(den))
            },
            Entry(name: "drop", usage: "drop nA -> nB P%   (or <-> for both ways)", help: "lose a share of messages on a link") { (w: inout Words) throws(Diagnostic) in
                let (a, b, both) = try link(&w)
                return .link(a, b, both: both, .loss(try w.percent()))
            },
            Entry(name: "duplicate", usage: "duplicate nA -> nB P%", help: "deliver a share of messages twice") { (w: inout Words) throws(Diagnostic) in
                let (a, b, both) = try link(&w)
                return .link(a, b, both: both, .duplicate(try w.percent()))
            },
            Entry(name: "delay", usage: "delay nA <-> nB DURATION", help: "add latency on a link") { (w: inout Words) throws(Diagnostic) in
                let (a, b, both) = try link(&w)
                let col = w.column
                let d = try w.duration()
                guard d >= 0, d <= Limits.maxRun else { throw w.error("a delay must be between 0ms and 10 minutes", at: col) }
                return .link(a, b, both: both, .delay(d))
            },
            Entry(name: "latency", usage: "latency 10-15ms | latency nA <-> nB exp 30ms",
                  help: "set the latency distribution, everywhere or on one link") { (w: inout Words) throws(Diagnostic) in
                if let first = w.peek, Words.nodeID(first.text) != nil {
                    let (a, b, both) = try link(&w)
                    return .link(a, b, both: both, .latency(try latencyValue(&w)))
                }
                return .latency(try latencyValue(&w))
            },
            Entry(name: "loss", usage: "loss 10%", help: "lose a share of every message, everywhere (0% ends it)") { (w: inout Words) throws(Diagnostic) in
                .loss(try w.percent())
            },
            Entry(name: "skew", usage: "skew nK +5ms", help: "set a node's clock offset from true time") { (w: inout Words) throws(Diagnostic) in
                let n = try w.node()
                let col = w.column
                let d = try w.duration()
                guard d.magnitude <= 24 * 3600 * SimDuration.second else { throw w.error("a skew is at most a day", at: col) }
                return .skew(n, d)
            },
            Entry(name: "step-clock", usage: "step-clock nK -200ms",
                  help: "step a node's wall clock, as an NTP correction does (its monotonic clock is untouched)") { (w: inout Words) throws(Diagnostic) in
                let n = try w.node()
                let col = w.column
                let d = try w.duration()
                guard d.magnitude <= 24 * 3600 * SimDuration.second else { throw w.error("a clock step is at most a day", at: col) }
                return .stepClock(n, d)
            },
            Entry(name: "drift", usage: "drift nK +50ppm", help: "make a node's clock run fast or slow") { (w: inout Words) throws(Diagnostic) in
                let n = try w.node()
                let t = try w.next("a rate such as +50ppm")
                guard t.text.hasSuffix("ppm"), let v = Int64(t.text.dropLast(3).replacingOccurrences(of: "+", with: "")),
                      v.magnitude <= 500_000 else {
                    throw w.error("expected a rate such as +50ppm (at most ±500000ppm), found '\(t.text)'", at: t.column)
                }
                return .drift(n, v)
            },
        ]
    }

    static func bounded(_ w: inout Words) throws(Diagnostic) -> SimTime {
        let col = w.column
        let d = try w.duration()
        guard d > 0 else { throw w.error("a duration to run must be positive", at: col) }
        guard d <= Limits.maxRun else { throw w.error("a single run is at most 10 minutes of simulated time", at: col) }
        return d
    }

    /// `12ms` (fixed), `10-15ms` (uniform), `exp 12ms` (exponential with that mean).
    static func latencyValue(_ w: inout Words) throws(Diagnostic) -> Latency {
        let exponential = w.accept("exp")
        let t = try w.next(exponential ? "a mean such as 12ms" : "a latency such as 10-15ms or exp 12ms")
        if exponential {
            switch Words.parseDuration(t.text) {
            case .success(let m) where m > 0 && m <= 10 * SimDuration.second: return .exponential(mean: m)
            case .success: throw w.error("a latency must lie between 1us and 10s", at: t.column)
            case .failure(let p): throw w.error(p.message, at: t.column)
            }
        }
        switch Words.parseRange(t.text) {
        case .success(let r) where r.lowerBound >= 1 && r.upperBound <= 10 * SimDuration.second:
            return r.lowerBound == r.upperBound ? .fixed(r.lowerBound) : .uniform(r.lowerBound, r.upperBound)
        case .success: throw w.error("a latency must lie between 1us and 10s", at: t.column)
        case .failure(let p): throw w.error(p.message, at: t.column)
        }
    }

    static func link(_ w: inout Words) throws(Diagnostic) -> (NodeID, NodeID, Bool) {
        let a = try w.node()
        let arrow = try w.next("'->' or '<->'")
        guard arrow.text == "->" || arrow.text == "<->" else {
            throw w.error("expected '->' (one way) or '<->' (both ways), found '\(arrow.text)'", at: arrow.column)
        }
        let bColumn = w.column
        let b = try w.node()
        if a == b { throw w.error("a link joins two different nodes", at: bColumn) }
        return (a, b, arrow.text == "<->")
    }
}
