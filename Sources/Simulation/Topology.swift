/// Who is in the cluster: each node's name and kind, and the edges that matter (a caller and its
/// callee). Raft and clocks have numbered peers (`n1…nN`, one kind, every pair connected); a
/// pattern of services names its nodes (`client`, `front`, `payments`) and says who calls whom.
/// Lessons refer to nodes by these names, and every screen and journal line shows them.
public struct Topology: Sendable, Equatable {
    public private(set) var names: [String]
    public private(set) var kinds: [String]
    /// Directed edges, in the order the pattern gave them.
    public private(set) var edges: [Link]
    /// True for `n1…nN`: then a lesson may also write ranges (`n1..n500`).
    public let numbered: Bool
    /// Names to nodes, for named topologies. A numbered one reads the number from the name:
    /// hashing 100,000 names was 6 % of a 100,000-node gossip lesson's `check`.
    private var index: [String: NodeID]

    public var count: Int { names.count }

    /// `n1…nN`, all of one kind.
    public static func numbered(_ n: Int, kind: String = "node") -> Topology {
        Topology(names: (0..<n).map(nodeName), kinds: Array(repeating: kind, count: n), edges: [], numbered: true)
    }

    /// Named nodes. Names must be unique words of letters, digits and dashes that do not look
    /// like `nK` (that form means a numbered node); the result says what is wrong otherwise.
    public static func named(_ nodes: [(name: String, kind: String)], edges: [(String, String)] = []) -> Result<Topology, TopologyError> {
        var seen = Set<String>()
        for (name, _) in nodes {
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), name.first!.isLetter else {
                return .failure(TopologyError("a node name is a word of letters, digits and dashes, starting with a letter: '\(name)'"))
            }
            guard parseNodeName(name) == nil else {
                return .failure(TopologyError("'\(name)' looks like a numbered node; give named nodes other names"))
            }
            guard seen.insert(name).inserted else { return .failure(TopologyError("two nodes are named '\(name)'")) }
        }
        var t = Topology(names: nodes.map(\.name), kinds: nodes.map(\.kind), edges: [], numbered: false)
        for (a, b) in edges {
            guard let x = t.id(of: a), let y = t.id(of: b) else {
                return .failure(TopologyError("an edge names '\(t.id(of: a) == nil ? a : b)', which is not a node"))
            }
            t.edges.append(Link(x, y))
        }
        return .success(t)
    }

    private init(names: [String], kinds: [String], edges: [Link], numbered: Bool) {
        self.names = names; self.kinds = kinds; self.edges = edges; self.numbered = numbered
        index = numbered ? [:] : Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func id(of name: String) -> NodeID? {
        guard numbered else { return index[name] }
        // Only the name as written for that node: `n01` is not `n1`.
        guard let id = parseNodeName(name), id < names.count, names[id] == name else { return nil }
        return id
    }
    public func name(_ id: NodeID) -> String { id >= 0 && id < names.count ? names[id] : nodeName(id) }
    public func nodes(ofKind kind: String) -> [NodeID] { kinds.indices.filter { kinds[$0] == kind } }
    public func hasEdge(_ from: NodeID, _ to: NodeID) -> Bool { edges.contains(Link(from, to)) }
    /// The nodes `id` has an edge to, in the order the edges were given.
    public func callees(of id: NodeID) -> [NodeID] { edges.filter { $0.from == id }.map(\.to) }

    public static func == (a: Topology, b: Topology) -> Bool {
        a.names == b.names && a.kinds == b.kinds && a.edges == b.edges && a.numbered == b.numbered
    }
}

public struct TopologyError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// `n7` → 6; nil for anything else.
public func parseNodeName(_ s: String) -> NodeID? {
    guard s.count >= 2, s.first == "n", let k = Int(s.dropFirst()), k >= 1 else { return nil }
    return k - 1
}
