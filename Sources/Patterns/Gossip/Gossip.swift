import Simulation

/// Epidemic dissemination: push, pull and push-pull rounds, rumor mongering with its residue,
/// and anti-entropy, as the lesson language and the player see them.
public enum Gossip: Pattern {
    public typealias Node = GossipNode

    public static let name = "gossip"
    public static let summary = "Gossip: push, pull and push-pull rounds, rumor mongering and its residue, anti-entropy"

    public static let settings: [SettingSpec] = [
        SettingSpec("mode", example: "push", help: "push, pull or push-pull"),
        SettingSpec("fanout", example: "1", help: "peers each node contacts per round (1 to 10)"),
        SettingSpec("period", example: "200ms", help: "how often each node gossips (a round)"),
        SettingSpec("jitter", example: "10%", help: "each round lasts the period ± this share of it"),
        SettingSpec("rounds", example: "strict", help: "strict: every node acts at exactly k·period; loose (default): own phases and jitter"),
        SettingSpec("interest", example: "counter 2", help: "when a node stops spreading a rumor: forever, counter K or coin K"),
        SettingSpec("feedback", example: "yes", help: "yes: only contacts with peers that already knew count against a rumor; no: every contact does (blind)"),
        SettingSpec("anti-entropy", example: "1s", help: "how often each node exchanges digests with one random peer, or off"),
        SettingSpec("graph", example: "complete", help: "who may contact whom: complete, ring, grid or random D"),
    ]

    public static func config(_ s: Settings) throws(Diagnostic) -> GossipConfig {
        var c = GossipConfig()
        try apply(s, to: &c)
        if let raw = s["graph"] {
            switch parseGraph(raw) {
            case .success(let g): c.graph = g
            case .failure(let p): throw s.fail("graph", "graph: \(p.message)")
            }
        }
        return c
    }

    public static func topology(_ s: Settings, nodes: Int) throws(Diagnostic) -> Topology { .numbered(nodes) }

    public static func config(_ s: Settings, topology: Topology) throws(Diagnostic) -> GossipConfig {
        var c = try config(s)
        let seed = s["seed"].flatMap { UInt64($0) } ?? 1
        c.neighbours = c.graph.neighbours(of: topology.count, seed: seed)
        return c
    }

    /// The settings a lesson may change mid-run (`set fanout 3`) and the frontmatter share one
    /// reader, so both say the same things about the same mistakes.
    static func apply(_ s: Settings, to c: inout GossipConfig) throws(Diagnostic) {
        if let raw = s["mode"] {
            guard let m = GossipConfig.Mode(rawValue: raw) else {
                throw s.fail("mode", "mode must be push, pull or push-pull, found '\(raw)'" + didYouMean(raw, GossipConfig.Mode.allCases.map(\.rawValue)))
            }
            c.mode = m
        }
        c.fanout = try s.integer("fanout", default: c.fanout, in: 1...10)
        c.period = try s.duration("period", default: c.period, in: 1_000...60_000_000)
        c.jitterPercent = try s.percent("jitter", default: c.jitterPercent * 10_000) / 10_000
        guard c.jitterPercent <= 50 else { throw s.fail("jitter", "jitter must be at most 50%, found \(s["jitter"] ?? "")") }
        if let raw = s["rounds"] {
            guard raw == "strict" || raw == "loose" else { throw s.fail("rounds", "rounds must be strict or loose, found '\(raw)'") }
            c.strictRounds = raw == "strict"
        }
        if let raw = s["interest"] {
            switch parseInterest(raw) {
            case .success(let i): c.interest = i
            case .failure(let p): throw s.fail("interest", "interest: \(p.message)")
            }
        }
        if let raw = s["feedback"] {
            guard raw == "yes" || raw == "no" else { throw s.fail("feedback", "feedback must be yes or no, found '\(raw)'") }
            c.feedback = raw == "yes"
        }
        if let raw = s["anti-entropy"] {
            if raw == "off" { c.antiEntropy = nil } else {
                c.antiEntropy = try s.duration("anti-entropy", default: 1_000_000, in: 1_000...600_000_000)
            }
        }
    }

    static func parseInterest(_ raw: String) -> Result<GossipConfig.Interest, Problem> {
        let parts = raw.split(separator: " ").map(String.init)
        if parts == ["forever"] { return .success(.forever) }
        guard parts.count == 2, parts[0] == "counter" || parts[0] == "coin" else {
            return .failure(Problem("expected forever, counter K or coin K, found '\(raw)'"))
        }
        guard let k = Int(parts[1]), (1...100).contains(k) else { return .failure(Problem("K must be from 1 to 100, found '\(parts[1])'")) }
        return .success(parts[0] == "counter" ? .counter(k) : .coin(k))
    }

    static func parseGraph(_ raw: String) -> Result<GossipConfig.Graph, Problem> {
        let parts = raw.split(separator: " ").map(String.init)
        switch parts.first {
        case "complete" where parts.count == 1: return .success(.complete)
        case "ring" where parts.count == 1: return .success(.ring)
        case "grid" where parts.count == 1: return .success(.grid)
        case "random" where parts.count == 2:
            guard let d = Int(parts[1]), (1...50).contains(d) else { return .failure(Problem("a random graph's degree is from 1 to 50, found '\(parts[1])'")) }
            return .success(.random(degree: d))
        default: return .failure(Problem("expected complete, ring, grid or random D, found '\(raw)'"))
        }
    }

    /// A thousand nodes in the player (a dense grid); a hundred thousand headless.
    public static var limits: PatternLimits { PatternLimits(playerNodes: 1...1_000, headlessNodes: 1...100_000, lessonEvents: 5_000_000) }

    public static let roles = ["susceptible", "spreading", "removed"]

    /// Demers' names, about the write the screen follows: susceptible (has not heard it),
    /// spreading (still pushing it), removed (knows it and is not spreading it).
    public static func role(of id: NodeID, in c: Cluster<GossipNode>) -> String {
        let n = c.nodes[id]
        return n.spreadingWatched ? "spreading" : n.informed ? "removed" : "susceptible"
    }

    // MARK: Commands

    public enum Command: Sendable, Equatable {
        case write(NodeID, key: String, value: String, rumor: Bool)
        case set(key: String, value: String, line: Int, column: Int)
    }

    static let settable = ["mode", "fanout", "period", "jitter", "interest", "feedback", "anti-entropy", "rounds"]

    /// `key=value`, both short: they travel in every message, and a short string is stored inline.
    static func keyValue(_ w: inout Words) throws(Diagnostic) -> (String, String) {
        let t = try w.next("key=value, such as x=1")
        let parts = t.text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw w.error("expected key=value, such as x=1, found '\(t.text)'", at: t.column) }
        guard parts[0].utf8.count <= 12, parts[1].utf8.count <= 12 else {
            throw w.error("a key and a value are at most 12 characters each (they travel in every message), found '\(t.text)'", at: t.column)
        }
        return (parts[0], parts[1])
    }

    public static let commands: [CommandSpec<Gossip>] = [
        CommandSpec("rumor", usage: "rumor nK KEY=VALUE", help: "a write on a node that it starts spreading (a hot rumor)") { (w: inout Words) throws(Diagnostic) in
            let n = try w.node()
            let (k, v) = try keyValue(&w)
            return .write(n, key: k, value: v, rumor: true)
        },
        CommandSpec("write", usage: "write nK KEY=VALUE", help: "a write on a node that only anti-entropy spreads") { (w: inout Words) throws(Diagnostic) in
            let n = try w.node()
            let (k, v) = try keyValue(&w)
            return .write(n, key: k, value: v, rumor: false)
        },
        CommandSpec("set", usage: "set fanout|mode|period|jitter|interest|feedback|anti-entropy|rounds VALUE",
                    help: "change how every node gossips from now on") { (w: inout Words) throws(Diagnostic) in
            let t = try w.next("a setting: \(settable.joined(separator: ", "))")
            if t.text == "graph" { throw w.error("the graph is fixed for a lesson: set it in the frontmatter", at: t.column) }
            guard settable.contains(t.text) else {
                throw w.error("'\(t.text)' is not a setting 'set' changes" + didYouMean(t.text, settable) + "; it changes \(settable.joined(separator: ", "))", at: t.column)
            }
            let col = w.column
            var words: [String] = []
            while let v = w.peek { words.append(v.text); _ = try w.next("a value") }
            guard !words.isEmpty else { throw w.error("expected a value for \(t.text)") }
            // Read now, so a bad value is reported where it is written.
            var s = Settings()
            s.set(t.text, words.joined(separator: " "), line: 0, column: col)
            var scratch = GossipConfig()
            do throws(Diagnostic) { try apply(s, to: &scratch) } catch { throw w.error(error.message, at: col) }
            return .set(key: t.text, value: words.joined(separator: " "), line: 0, column: col)
        },
    ]

    public static func perform(_ command: Command, on c: inout Cluster<GossipNode>) -> String? {
        switch command {
        case let .write(n, key, value, rumor):
            if let why = c.unavailable(n) { return "\(why): it cannot take a write" }
            let keys = c.nodes[0].config.keys
            if !keys.contains(key) {
                let most = maxKeys(nodes: c.size)
                guard keys.count < most else {
                    return "this cluster keeps at most \(most) keys (\(keys.joined(separator: ", "))): every node holds every key and a round carries every hot one, so each more key costs every node; write one of those again"
                }
                changeConfig(&c) { $0.keys.append(key) }
            }
            var version = GossipNode.Version(0, origin: n)
            c.poke(n) { node, io in version = node.write(key, value, rumor: rumor, &io) }
            watch(key, version, on: &c)
        case let .set(key, value, _, _):
            var s = Settings()
            s.set(key, value)
            changeConfig(&c) { try? apply(s, to: &$0) }
            for id in 0..<c.size {
                // A paused or crashed node arms its timers when it runs again (boot).
                if key == "anti-entropy" { c.poke(id) { node, io in node.settingsChanged(&io) } }
                if key == "mode" { c.poke(id) { node, io in node.armRoundIfNeeded(&io) } }
            }
            c.log(.command, nil, nil, "every node now gossips with \(key) \(value)")
        }
        return nil
    }

    /// Keys a cluster of `nodes` may hold: 20, and fewer past 15,000 nodes (3 at 100,000), so
    /// that every node's keys stay within 300,000 in all: at 100,000 nodes pulling with
    /// fanout 10 the cluster alone takes 169 MB and each key about 7 MB more (5 keys: 206 MB). Without a limit a lesson of 300 rumors
    /// on 100,000 nodes ran `check` past 4 GB, and each event cost more the more keys were hot.
    public static func maxKeys(nodes: Int) -> Int { max(1, min(20, 300_000 / max(1, nodes))) }

    /// Makes `key` at `version` (the lesson's last write, rumor or not) what the screen and the
    /// `informed` queries follow.
    static func watch(_ key: String, _ version: GossipNode.Version, on c: inout Cluster<GossipNode>) {
        let watched = GossipConfig.Watched(key: key, version: version, since: c.now)
        changeConfig(&c) { $0.watched = watched }
    }

    /// Changes the configuration once and hands the same copy to every node, which then share
    /// it (changed node by node, each would get a copy of its own).
    static func changeConfig(_ c: inout Cluster<GossipNode>, _ change: (inout GossipConfig) -> Void) {
        var next = c.nodes[0].config
        change(&next)
        for id in 0..<c.size { c.reconfigure(id) { $0.config = next; $0.refreshTally() } }
    }

    // MARK: Queries

    static func period(_ c: Cluster<GossipNode>) -> SimTime { c.nodes.first?.config.period ?? 200_000 }

    /// Round boundaries (multiples of the period) passed since the watched rumor started.
    public static func round(_ c: Cluster<GossipNode>) -> Int {
        guard let w = c.nodes.first?.config.watched else { return 0 }
        let p = period(c)
        return Int(c.now / p - w.since / p)
    }

    public static let queries: [QuerySpec<Gossip>] = [
        QuerySpec("informed", .cluster, help: "nodes that know the last write a lesson made (crashed ones included: they keep it)", constantTime: true) { c, _ in c.tally.first },
        QuerySpec("residue", .cluster, help: "nodes that have not heard the last write", constantTime: true) { c, _ in c.size - c.tally.first },
        QuerySpec("spreading", .cluster, help: "running nodes still spreading the last write (hot)", constantTime: true) { c, _ in c.tally.second },
        QuerySpec("round", .cluster, help: "rounds (periods) since the last write", constantTime: true) { c, _ in round(c) },
        QuerySpec("messages", .cluster, help: "messages sent so far, by all nodes") { c, _ in c.nodes.reduce(0) { $0 + $1.sent } },
        QuerySpec("keys", .node, help: "keys the node knows") { c, n in c.nodes[n!].items.count },
        QuerySpec("sent", .node, help: "messages the node has sent") { c, n in c.nodes[n!].sent },
        QuerySpec("rounds", .node, help: "rounds the node has taken part in") { c, n in c.nodes[n!].rounds },
    ]

    // MARK: Conditions

    public enum Predicate: Sendable, Equatable {
        case allInformed
        case knows(NodeID, key: String, value: String?)
        case replicasAgree
    }

    public static let predicateForms = ["all informed", "nK knows KEY", "nK knows KEY=VALUE", "replicas agree"]

    public static func parsePredicate(_ w: inout Words) throws(Diagnostic) -> Predicate? {
        guard let first = w.peek?.text else { return nil }
        if first == "all", w.peekText(1) == "informed" {
            _ = try w.next("all"); _ = try w.next("informed")
            return .allInformed
        }
        if first == "replicas", w.peekText(1) == "agree" {
            _ = try w.next("replicas"); _ = try w.next("agree")
            return .replicasAgree
        }
        if w.isNode(first), w.peekText(1) == "knows" {
            let n = try w.node()
            _ = try w.next("knows")
            let t = try w.next("a key, or key=value")
            let parts = t.text.split(separator: "=", maxSplits: 1).map(String.init)
            return .knows(n, key: parts[0], value: parts.count == 2 ? parts[1] : nil)
        }
        return nil
    }

    public static func constantTime(_ p: Predicate) -> Bool { p != .replicasAgree }

    public static func holds(_ p: Predicate, in c: Cluster<GossipNode>) -> Bool {
        switch p {
        case .allInformed: return c.tally.first == c.size
        case let .knows(n, key, value): return c.nodes[n].item(key).map { value == nil || $0.value == value } ?? false
        case .replicasAgree: return disagreement(c) == nil
        }
    }

    public static func evaluate(_ p: Predicate, in c: Cluster<GossipNode>) -> Verdict {
        switch p {
        case .allInformed:
            let i = c.tally.first
            return Verdict(i == c.size, found: c.nodes.first?.config.watched == nil ? "no rumor started yet" : "\(i) of \(c.size) informed")
        case let .knows(n, key, _):
            let found = c.nodes[n].item(key).map { "\(c.name(n)) has \(key)=\($0.value) \($0.version)" } ?? "\(c.name(n)) has no \(key)"
            return Verdict(holds(p, in: c), found: found)
        case .replicasAgree:
            let d = disagreement(c)
            return Verdict(d == nil, found: d ?? "every running node holds the same versions")
        }
    }

    /// The first difference between two running nodes, in words, or nil when all agree.
    static func disagreement(_ c: Cluster<GossipNode>) -> String? {
        let live = (0..<c.size).filter { c.isUp[$0] }
        guard let a = live.first else { return nil }
        func versions(_ n: NodeID) -> [String: GossipNode.Version] { Dictionary(c.nodes[n].items.map { ($0.key, $0.version) }, uniquingKeysWith: max) }
        let reference = versions(a)
        for b in live.dropFirst() {
            let other = versions(b)
            guard other != reference else { continue }
            let key = Set(reference.keys).union(other.keys).sorted().first { reference[$0] != other[$0] }!
            // "n1 has no y, n2 has y v1": the key named on both sides.
            func show(_ v: GossipNode.Version?) -> String { v.map { "\(key) \($0)" } ?? "no \(key)" }
            return "\(c.name(a)) has \(show(reference[key])), \(c.name(b)) has \(show(other[key]))"
        }
        return nil
    }

    // MARK: Player keys

    public static let sandboxHint = "space runs · r starts a rumor on the selected node (or n1) · c crash · x isolate · h heal"
    public static var sandboxDefaults: [(key: String, value: String)] { [("nodes", "200")] }

    public static let interactions: [Interaction<Gossip>] = [
        Interaction(key: "r", label: "rumor") { c, selected in
            let n = selected ?? 0
            // "news", not "r": the key pressed is not the rumor's name.
            let count = c.nodes[n].item("news")?.version.counter ?? 0
            return perform(.write(n, key: "news", value: "\(count + 1)", rumor: true), on: &c)
        },
    ]
}
