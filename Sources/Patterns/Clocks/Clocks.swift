import Foundation
import Simulation

/// Time and order: Lamport timestamps, vector clocks and hybrid logical clocks on a time-space
/// diagram. One model keeps all three, so lessons can compare them on the same run.
public enum Clocks: Pattern {
    public typealias Node = ClockNode
    public static let name = "clocks"
    public static let summary = "Lamport timestamps, vector clocks and hybrid logical clocks on a time-space diagram"

    public static let settings: [SettingSpec] = [
        SettingSpec("clock", example: "vector", help: "what the diagram labels events with: lamport, vector, hlc or all"),
        SettingSpec("workload", example: "2", help: "random events per second per process (the sandbox's traffic)"),
    ]

    public static func config(_ s: Settings) throws(Diagnostic) -> ClockConfig {
        var c = ClockConfig()
        if let raw = s["workload"] {
            // 0 is none; below one event in 1,000 s the mean wait would not fit a timer.
            guard let v = Words.decimal(raw), v == 0 || (v >= 0.001 && v <= 1_000) else {
                throw s.fail("workload", "workload must be 0 (none) or from 0.001 to 1000 events per second, found '\(raw)'")
            }
            c.workload = v
        }
        if let raw = s["clock"] {
            guard let d = ClockDisplay(rawValue: raw) else {
                throw s.fail("clock", "clock must be lamport, vector, hlc or all, found '\(raw)'" + didYouMean(raw, ["lamport", "vector", "hlc", "all"]))
            }
            c.display = d
        }
        return c
    }

    public static let roles = ["process"]
    public static func role(of id: NodeID, in cluster: Cluster<ClockNode>) -> String { "process" }

    // MARK: Commands

    public enum Command: Sendable, Equatable {
        case event(NodeID, String)
        case send(NodeID, NodeID, String)
        case measure(NodeID, start: Bool)
        case put(NodeID, key: String, value: String)
        case sync(NodeID, NodeID, String)
    }

    static func label(_ w: inout Words, default d: String) -> String {
        if let t = w.peek, t.kind == .string { _ = try? w.next("a label"); return t.text }
        return d
    }

    public static let commands: [CommandSpec<Clocks>] = [
        CommandSpec("event", usage: "event nK [\"label\"]", help: "a local event on a process") { (w: inout Words) throws(Diagnostic) in
            let n = try w.node()
            return .event(n, label(&w, default: "event"))
        },
        CommandSpec("send", usage: "send nA -> nB [\"label\"]", help: "a message; the network delivers it (a receive event)") { (w: inout Words) throws(Diagnostic) in
            let a = try w.node()
            try w.expect("->")
            let col = w.column
            let b = try w.node()
            if a == b { throw w.error("a process does not send to itself; use 'event' for a local event", at: col) }
            return .send(a, b, label(&w, default: "m"))
        },
        CommandSpec("measure", usage: "measure nK start|stop", help: "time a duration with both the wall clock and the monotonic clock") { (w: inout Words) throws(Diagnostic) in
            let n = try w.node()
            let t = try w.next("start or stop")
            guard t.text == "start" || t.text == "stop" else { throw w.error("expected start or stop, found '\(t.text)'", at: t.column) }
            return .measure(n, start: t.text == "start")
        },
        CommandSpec("put", usage: "put nK key=value", help: "a write on a replica, stamped with its vector clock") { (w: inout Words) throws(Diagnostic) in
            let n = try w.node()
            let t = try w.next("key=value")
            let parts = t.text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw w.error("expected key=value, found '\(t.text)'", at: t.column) }
            return .put(n, key: parts[0], value: parts[1])
        },
        CommandSpec("sync", usage: "sync nA -> nB [\"label\"]", help: "send a replica's versions to another, which keeps concurrent ones as siblings") { (w: inout Words) throws(Diagnostic) in
            let a = try w.node()
            try w.expect("->")
            let col = w.column
            let b = try w.node()
            if a == b { throw w.error("a replica does not sync with itself; name another", at: col) }
            return .sync(a, b, label(&w, default: "sync"))
        },
    ]

    public static func perform(_ command: Command, on c: inout Cluster<ClockNode>) -> String? {
        let now = c.now
        switch command {
        case let .event(n, label):
            if let why = c.unavailable(n) { return "\(why): it has no events until it runs again" }
            c.poke(n) { node, io in node.localEvent(label, at: now, &io) }
        case let .send(a, b, label):
            if let why = c.unavailable(a) { return "\(why): it cannot send until it runs again" }
            guard c.isUp[b] else { return "\(nodeName(b)) is crashed: the message would be lost (restart it, or partition it to show a loss)" }
            c.poke(a) { node, io in node.send(label, to: b, at: now, &io) }
        case let .measure(n, start):
            if let why = c.unavailable(n) { return why }
            c.poke(n) { node, io in node.measure(start: start, &io) }
            if !start && c.nodes[n].wallElapsed == nil { return "measure \(nodeName(n)) stop without a start" }
        case let .put(n, key, value):
            if let why = c.unavailable(n) { return why }
            // Every sync carries all of a replica's versions: a bound on keys keeps a lesson of
            // thousands of puts and syncs linear (it was quadratic: 6,000 took 50 s and 757 MB).
            if c.nodes[n].store[key] == nil, c.nodes[n].store.count >= ClockNode.maxKeys {
                return "\(c.name(n)) already holds \(ClockNode.maxKeys) keys, the most a replica keeps in a lesson"
            }
            c.poke(n) { node, io in node.put(key, value, at: now, &io) }
        case let .sync(a, b, label):
            if let why = c.unavailable(a) { return why }
            guard c.isUp[b] else { return "\(nodeName(b)) is crashed" }
            c.poke(a) { node, io in node.send(label, to: b, at: now, withVersions: true, &io) }
        }
        return nil
    }

    // MARK: Queries

    public static let queries: [QuerySpec<Clocks>] = [
        QuerySpec("events", .cluster, help: "events so far, on all processes") { c, _ in c.nodes.map(\.eventCount).reduce(0, +) },
        QuerySpec("lamport", .node, help: "the process's Lamport clock") { c, n in c.nodes[n!].lamport },
        QuerySpec("events", .node, help: "events on the process") { c, n in c.nodes[n!].eventCount },
        QuerySpec("clock", .node, help: "the process's wall clock, in ms") { c, n in Int(c.clocks[n!].local(c.now) / 1_000) },
        QuerySpec("hlc", .node, help: "the physical part of the process's HLC, in ms") { c, n in Int(c.nodes[n!].hlc.l / 1_000) },
        QuerySpec("hlc-counter", .node, help: "the logical part of the process's HLC") { c, n in c.nodes[n!].hlc.c },
        QuerySpec("hlc-lead", .node, help: "how far the HLC's physical part is ahead of true time, in ms") { c, n in
            Int((c.nodes[n!].hlc.l - c.now) / 1_000)
        },
        QuerySpec("wall-elapsed", .node, help: "the last measured duration on the wall clock, in ms (can be negative)") { c, n in
            Int((c.nodes[n!].wallElapsed ?? 0) / 1_000)
        },
        QuerySpec("mono-elapsed", .node, help: "the same duration on the monotonic clock, in ms") { c, n in
            Int((c.nodes[n!].monoElapsed ?? 0) / 1_000)
        },
        QuerySpec("siblings", .node, help: "most versions the replica holds side by side for one key") { c, n in
            c.nodes[n!].store.values.map(\.count).max() ?? 0
        },
    ]

    // MARK: Conditions

    public enum Predicate: Sendable, Equatable {
        case happenedBefore(Int, Int)
        case concurrent(Int, Int)
        case received(NodeID, String)
        case vectorClock(NodeID, [Int], equal: Bool)
    }

    public static let predicateForms = ["e3 -> e7", "e4 || e6", "nK received \"m1\"", "nK.vc == [2,0,1]"]

    static func eventNumber(_ s: String) -> Int? {
        guard s.count >= 2, s.first == "e", let k = Int(s.dropFirst()), k >= 1 else { return nil }
        return k - 1
    }

    public static func parsePredicate(_ w: inout Words) throws(Diagnostic) -> Predicate? {
        guard let first = w.peek else { return nil }
        let save = w
        // `e0` or an id no integer holds is an event that cannot exist, not an unknown query.
        if first.text.count >= 2, first.text.first == "e", first.text.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }),
           eventNumber(first.text) == nil {
            throw w.error("no event \(first.text): events are numbered from e1, as the diagram shows them", at: first.column)
        }
        if let a = eventNumber(first.text) {
            _ = try w.next("an event")
            guard let op = w.peek, op.text == "->" || op.text == "||" else { w = save; return nil }
            _ = try w.next("-> or ||")
            let t = try w.next("an event such as e7")
            guard let b = eventNumber(t.text) else { throw w.error("expected an event such as e7, found '\(t.text)'", at: t.column) }
            return op.text == "->" ? .happenedBefore(a, b) : .concurrent(a, b)
        }
        if let n = Words.nodeID(first.text), w.peekText(1) == "received" {
            _ = try w.node(); _ = try w.next("received")
            let t = try w.next("a message label in quotes")
            guard t.kind == .string else { throw w.error("expected a message label in quotes, such as \"m1\"", at: t.column) }
            return .received(n, t.text)
        }
        if first.text.hasSuffix(".vc"), let n = Words.nodeID(String(first.text.dropLast(3))) {
            _ = try w.next("a vector clock")
            guard n < w.clusterSize else { throw w.error("no node \(nodeName(n)): this cluster has n1 … n\(w.clusterSize)", at: first.column) }
            let op = try w.next("== or !=")
            guard op.text == "==" || op.text == "!=" else { throw w.error("vector clocks compare with == or !=, found '\(op.text)'", at: op.column) }
            let start = w.column
            var literal = ""
            while let t = w.peek, !literal.hasSuffix("]") { literal += t.text; _ = try w.next("]") }
            guard literal.hasPrefix("["), literal.hasSuffix("]") else {
                throw w.error("malformed vector clock '\(literal)': write it as [2,0,1]", at: start)
            }
            let parts = literal.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
            let values = parts.map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard values.allSatisfy({ $0 != nil && $0! >= 0 }) else {
                throw w.error("malformed vector clock '\(literal)': entries are whole numbers ≥ 0, as in [2,0,1]", at: start)
            }
            guard values.count == w.clusterSize else {
                throw w.error("vector clock '\(literal)' has \(values.count) entries; this cluster has \(w.clusterSize) processes", at: start)
            }
            return .vectorClock(n, values.map { $0! }, equal: op.text == "==")
        }
        return nil
    }

    /// Asked after every event of a `run until`: finds the two events without building the
    /// whole history (which would make a long run quadratic).
    public static func holds(_ p: Predicate, in c: Cluster<ClockNode>) -> Bool {
        switch p {
        case let .happenedBefore(a, b):
            guard let x = event(a, in: c), let y = event(b, in: c) else { return false }
            return Causality.compare(x.vc, y.vc) == .before
        case let .concurrent(a, b):
            guard let x = event(a, in: c), let y = event(b, in: c) else { return false }
            return Causality.compare(x.vc, y.vc) == .concurrent
        case .received, .vectorClock:
            return evaluate(p, in: c).holds
        }
    }

    /// The k-th event (from 0) in the global order, found by binary search over handler stamps:
    /// each process's events are sorted by stamp, so counting those at or before a stamp is a
    /// binary search per process.
    static func event(_ k: Int, in c: Cluster<ClockNode>) -> ClockEvent? {
        let lists = c.nodes.map(\.events)
        let k = k - c.nodes.reduce(0) { $0 + $1.firstIndex }   // events let go come first
        guard k >= 0, k < lists.reduce(0, { $0 + $1.count }) else { return nil }
        func count(_ list: [ClockEvent], atOrBefore s: Int) -> Int {
            var lo = 0, hi = list.count
            while lo < hi { let mid = (lo + hi) / 2; if list[mid].stamp <= s { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        func atOrBefore(_ s: Int) -> Int { lists.reduce(0) { $0 + count($1, atOrBefore: s) } }
        var lo = 0, hi = c.stamps
        while lo < hi { let mid = (lo + hi) / 2; if atOrBefore(mid) >= k + 1 { hi = mid } else { lo = mid + 1 } }
        // Events of one handler call share a stamp; the history orders them by process, then
        // in the order they were made.
        var rest = k - atOrBefore(lo - 1)
        for list in lists {
            let first = count(list, atOrBefore: lo - 1), end = count(list, atOrBefore: lo)
            if rest < end - first { return list[first + rest] }
            rest -= end - first
        }
        return nil
    }

    public static func evaluate(_ p: Predicate, in c: Cluster<ClockNode>) -> Verdict {
        let h = History(c)
        /// Why event number k cannot be compared, or nil when it is kept.
        func missing(_ k: Int) -> Verdict? {
            if h.rank(ofNumber: k) != nil { return nil }
            if k < h.dropped {
                return Verdict(false, found: "e\(k + 1) is no longer kept: the cluster keeps only its newest \(ClockNode.keptAfterCompaction) or more events")
            }
            return Verdict(false, found: "no event e\(k + 1): there are \(h.dropped + h.count) so far")
        }
        switch p {
        case let .happenedBefore(a, b), let .concurrent(a, b):
            if let m = missing(a) ?? missing(b) { return m }
            let x = a - h.dropped, y = b - h.dropped
            let holds: Bool
            if case .happenedBefore = p { holds = h.happenedBefore(x, y) } else { holds = h.concurrent(x, y) }
            return Verdict(holds, found: h.relation(x, y, arrow: "->", parallel: "||"))
        case let .received(n, label):
            let got = c.nodes[n].received
            return Verdict(got.contains(label), found: got.isEmpty ? "\(nodeName(n)) received nothing" : "\(nodeName(n)) received \(got.map { "\"\($0)\"" }.joined(separator: ", "))")
        case let .vectorClock(n, v, equal):
            let actual = c.nodes[n].vc
            return Verdict((actual == v) == equal, found: "\(nodeName(n)).vc is \(formatVC(actual))")
        }
    }

    // MARK: Player keys

    /// Two background events a second per process, so the diagram fills in while one watches.
    public static let sandboxDefaults: [(key: String, value: String)] = [("workload", "2")]
    public static let sandboxHint = "space runs · 1-9 selects · e event · s then 1-9 sends"

    public static let interactions: [Interaction<Clocks>] = [
        Interaction(key: "e", label: "event") { c, selected in
            guard let n = selected else { return "select a process first (1–9)" }
            return perform(.event(n, "x"), on: &c)
        },
        Interaction(key: "s", label: "send", to: { c, from, to in
            guard from != to else { return "a process does not send to itself: pick another" }
            return perform(.send(from, to, "m"), on: &c)
        }),
    ]
}
