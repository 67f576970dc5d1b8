import Simulation

/// Everything a pattern says about itself: its node model, the settings a lesson may give it,
/// the commands and conditions it adds to the lesson language, and the keys it adds to the player.
/// The parser, `check` and the player learn a pattern only through this description, so a new
/// pattern is a new folder, not edits to switches elsewhere. (Its drawing lives in `Scenes`.)
public protocol Pattern: Sendable {
    associatedtype Node: NodeModel
    associatedtype Command: Sendable
    associatedtype Predicate: Sendable

    /// The name lesson files use in `pattern:` ("raft").
    static var name: String { get }
    /// One line for menus and `list`.
    static var summary: String { get }
    /// Settings beyond `nodes`, `seed` and the network's, with their defaults.
    static var settings: [SettingSpec] { get }
    static func config(_ settings: Settings) throws(Diagnostic) -> Node.Config
    /// The lesson's nodes: their names, kinds and edges. Numbered peers `n1…n<nodes>` unless
    /// the pattern names its nodes (services, a broker, an orchestrator).
    static func topology(_ settings: Settings, nodes: Int) throws(Diagnostic) -> Topology
    /// The configuration, for patterns whose nodes are configured by who they are (a service's
    /// capacity). Defaults to `config(_:)`.
    static func config(_ settings: Settings, topology: Topology) throws(Diagnostic) -> Node.Config

    /// Roles for `nK is ROLE` (`crashed` is added for every pattern).
    static var roles: [String] { get }
    static func role(of id: NodeID, in cluster: Cluster<Node>) -> String

    static var commands: [CommandSpec<Self>] { get }
    /// Carries out a command; returns why it could not be done (a failure of the lesson), or nil.
    static func perform(_ command: Command, on cluster: inout Cluster<Node>) -> String?

    static var queries: [QuerySpec<Self>] { get }

    /// Phrases such as `leader exists`, for documentation and suggestions.
    static var predicateForms: [String] { get }
    /// Reads a pattern-specific condition, or returns nil (consuming nothing) if the words are not one.
    static func parsePredicate(_ words: inout Words) throws(Diagnostic) -> Predicate?
    static func evaluate(_ predicate: Predicate, in cluster: Cluster<Node>) -> Verdict
    /// Whether a condition holds, without explaining: `run until` asks after every event, so
    /// this should be cheap. (The default asks `evaluate` and throws the explanation away.)
    static func holds(_ predicate: Predicate, in cluster: Cluster<Node>) -> Bool
    /// Whether `holds` is answered without looking at every node (default: it is not).
    static func constantTime(_ predicate: Predicate) -> Bool

    /// How big and how long this pattern's runs may get.
    static var limits: PatternLimits { get }

    /// The hot loop of every lesson: processes events due no later than `time`, at most
    /// `maxEvents`, stopping right after an event that makes `stop` true (or, with
    /// `untilSaturated`, that met the limit of messages on the wire). Returns how many events
    /// ran and whether it stopped for either. Leave the default alone: it is a requirement only so that it
    /// is compiled for each pattern's own node type, where the cluster's code is specialised.
    /// (Called from generic code in another module, it would look up type metadata per event.)
    static func runEvents(_ c: inout Cluster<Node>, through time: SimTime, maxEvents: Int, untilSaturated: Bool,
                          stop: ((Cluster<Node>) -> Bool)?) -> (events: Int, stopped: Bool)
    /// A new cluster of this pattern's nodes. Leave the default alone too, for the same
    /// reason: booting 100,000 nodes through unspecialised code cost `check` about 6,500
    /// instructions a node (0.66 of the 6.9 billion a 40 s run of push gossip takes).
    static func makeCluster(size: Int, config: Node.Config, seed: UInt64, network: Network, journal: Journal<Node.Message>,
                            topology: Topology?) -> Cluster<Node>

    /// Keys the player offers for this pattern beyond crash, isolate and heal.
    static var interactions: [Interaction<Self>] { get }

    /// Settings a sandbox starts with unless the student sets them (so a bare `sandbox NAME`
    /// has something happening), and the line it opens with: what to press to see something.
    static var sandboxDefaults: [(key: String, value: String)] { get }
    static var sandboxHint: String { get }
}

extension Pattern {
    public static func holds(_ predicate: Predicate, in cluster: Cluster<Node>) -> Bool {
        evaluate(predicate, in: cluster).holds
    }
    public static var limits: PatternLimits { PatternLimits() }
    public static func constantTime(_ predicate: Predicate) -> Bool { false }
    public static var sandboxDefaults: [(key: String, value: String)] { [] }
    public static var sandboxHint: String { "space runs the cluster; select a node (1-9), c crashes it, x isolates it, h heals" }
    public static func topology(_ settings: Settings, nodes: Int) throws(Diagnostic) -> Topology { .numbered(nodes) }
    public static func config(_ settings: Settings, topology: Topology) throws(Diagnostic) -> Node.Config { try config(settings) }
    /// A cluster from settings written as a lesson's frontmatter would have them, for
    /// experiments, benchmarks and tests that drive the model without a lesson.
    public static func cluster(_ pairs: [(String, String)], nodes: Int = 0, seed: UInt64, journal: Journal<Node.Message> = Journal(.off),
                               network: Network = Network()) throws(Diagnostic) -> Cluster<Node> {
        var s = Settings()
        for (k, v) in pairs { s.set(k, v) }
        let t = try topology(s, nodes: nodes)
        return Cluster(size: t.count, config: try config(s, topology: t), seed: seed, network: network, journal: journal, topology: t)
    }

    /// The keys of `interactions`, readable without knowing the pattern's type.
    public static var interactionKeys: [Character] { interactions.map(\.key) }

    public static func runEvents(_ c: inout Cluster<Node>, through time: SimTime, maxEvents: Int, untilSaturated: Bool,
                                 stop: ((Cluster<Node>) -> Bool)?) -> (events: Int, stopped: Bool) {
        c.stepEvents(through: time, maxEvents: maxEvents, untilSaturated: untilSaturated, stop: stop)
    }

    public static func makeCluster(size: Int, config: Node.Config, seed: UInt64, network: Network, journal: Journal<Node.Message>,
                                   topology: Topology?) -> Cluster<Node> {
        Cluster(size: size, config: config, seed: seed, network: network, journal: journal, topology: topology)
    }

    /// The role a person sees: a crashed node is `crashed`, whatever it believed before.
    public static func visibleRole(of id: NodeID, in cluster: Cluster<Node>) -> String {
        !cluster.isUp[id] ? "crashed" : cluster.isPaused[id] ? "paused" : role(of: id, in: cluster)
    }
}

/// A comparison in a condition: `==`, `!=`, `<`, `<=`, `>`, `>=`.
public enum Comparison: String, Sendable, CaseIterable {
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    public func holds(_ a: Int, _ b: Int) -> Bool {
        switch self {
        case .eq: a == b
        case .ne: a != b
        case .lt: a < b
        case .le: a <= b
        case .gt: a > b
        case .ge: a >= b
        }
    }
}

/// Whether a condition holds, and what was found (for "expected …, found …" messages).
public struct Verdict: Sendable, Equatable {
    public var holds: Bool
    public var found: String
    public init(_ holds: Bool, found: String) { self.holds = holds; self.found = found }
}

public struct CommandSpec<P: Pattern>: Sendable {
    public var name: String
    public var usage: String
    public var help: String
    public var parse: @Sendable (inout Words) throws(Diagnostic) -> P.Command
    public init(_ name: String, usage: String, help: String,
                parse: @escaping @Sendable (inout Words) throws(Diagnostic) -> P.Command) {
        self.name = name; self.usage = usage; self.help = help; self.parse = parse
    }
}

/// A number a condition can compare: `term` (cluster-wide), `n3.term` (per node) or
/// `front->payments.calls` (per edge, from caller to callee).
public struct QuerySpec<P: Pattern>: Sendable {
    public enum Scope: Sendable { case cluster, node, edge }
    public var name: String
    public var scope: Scope
    public var help: String
    public var value: @Sendable (Cluster<P.Node>, NodeID?) -> Int
    public var edgeValue: @Sendable (Cluster<P.Node>, Link) -> Int
    /// Answered without looking at every node (a count the cluster keeps): a `run until` may
    /// ask it after every event at no cost that grows with the cluster.
    public var constantTime: Bool
    /// Why a lesson with these settings cannot ask this query (its answer would be a
    /// meaningless 0), or nil. `check` then refuses the line that asks it.
    public var refuse: (@Sendable (Settings) -> String?)?
    public init(_ name: String, _ scope: Scope, help: String, constantTime: Bool = false,
                refuse: (@Sendable (Settings) -> String?)? = nil,
                value: @escaping @Sendable (Cluster<P.Node>, NodeID?) -> Int) {
        self.name = name; self.scope = scope; self.help = help; self.value = value; self.refuse = refuse
        self.constantTime = constantTime || scope == .node
        edgeValue = { _, _ in 0 }
    }
    /// An edge query: `a->b.NAME`.
    public init(edge name: String, help: String, refuse: (@Sendable (Settings) -> String?)? = nil,
                value: @escaping @Sendable (Cluster<P.Node>, Link) -> Int) {
        self.name = name; scope = .edge; self.help = help; edgeValue = value; constantTime = true; self.refuse = refuse
        self.value = { _, _ in 0 }
    }
}

/// A key the player offers. `act` gets the selected node, if any, and returns a line for the
/// status bar when it could not do anything ("no leader to take the request").
public struct Interaction<P: Pattern>: Sendable {
    public var key: Character
    public var label: String
    public var act: @Sendable (inout Cluster<P.Node>, NodeID?) -> String?
    /// For an interaction between two nodes (a send): the player asks for the second node
    /// after the key, and calls this with the selected node and the one chosen.
    public var actTo: (@Sendable (inout Cluster<P.Node>, NodeID, NodeID) -> String?)?
    public init(key: Character, label: String, act: @escaping @Sendable (inout Cluster<P.Node>, NodeID?) -> String?) {
        self.key = key; self.label = label; self.act = act
    }
    /// An interaction from the selected node to another the student picks.
    public init(key: Character, label: String, to: @escaping @Sendable (inout Cluster<P.Node>, NodeID, NodeID) -> String?) {
        self.key = key; self.label = label; actTo = to
        act = { _, _ in nil }
    }
    public var needsTarget: Bool { actTo != nil }
}

/// A pattern's own limits. Raft and clocks are drawn node by node, so 15 is their most; a gossip
/// pattern is about thousands. Headless runs (`check`, experiments) may allow more than the player.
public struct PatternLimits: Sendable {
    /// Nodes a lesson or sandbox may have in the player.
    public var playerNodes: ClosedRange<Int>
    /// Nodes a lesson may have when run headless (`check`, `render`).
    public var headlessNodes: ClosedRange<Int>
    /// Events one lesson may process in total, checked event by event. A lesson needs tens of
    /// thousands; a million keeps `check` of a pathological one to seconds.
    public var lessonEvents: Int
    public init(playerNodes: ClosedRange<Int> = 1...15, headlessNodes: ClosedRange<Int> = 1...15,
                lessonEvents: Int = 1_000_000) {
        self.playerNodes = playerNodes; self.headlessNodes = headlessNodes; self.lessonEvents = lessonEvents
    }
}
