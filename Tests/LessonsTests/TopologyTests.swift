import Testing
@testable import Lessons
import Patterns
import Simulation

/// A small pattern of named services: the client calls front every 100 ms, and front calls each
/// service it has an edge to. It exists to test names, kinds and edges in the lesson language.
struct ServiceNode: NodeModel {
    enum Message: Sendable, CustomStringConvertible {
        case call, reply
        var description: String { self == .call ? "call" : "reply" }
    }
    enum Timer: Int, TimerKind {
        case tick
        var description: String { "tick" }
        static let slotCount = 1
    }
    struct Config: Sendable { var callees: [[NodeID]] = []; var isClient: [Bool] = [] }
    let id: NodeID
    let config: Config
    var sent: [NodeID: Int] = [:]
    init(id: NodeID, clusterSize: Int, config: Config) { self.id = id; self.config = config }
    mutating func boot(_ io: inout NodeIO<Self>) { if config.isClient[id] { io.setTimer(.tick, after: 100_000) } }
    mutating func receive(_ m: Message, from: NodeID, _ io: inout NodeIO<Self>) {
        guard m == .call else { return }
        io.send(.reply, to: from)
        for callee in config.callees[id] { io.send(.call, to: callee); sent[callee, default: 0] += 1 }
    }
    mutating func fire(_ t: Timer, _ io: inout NodeIO<Self>) {
        for callee in config.callees[id] { io.send(.call, to: callee); sent[callee, default: 0] += 1 }
        io.setTimer(.tick, after: 100_000)
    }
    mutating func crash() {}
}

enum Services: Pattern {
    typealias Node = ServiceNode
    static let name = "services"
    static let summary = "test pattern"
    static let settings: [SettingSpec] = []
    static func config(_ s: Settings) throws(Diagnostic) -> ServiceNode.Config { .init() }
    static func topology(_ s: Settings, nodes: Int) throws(Diagnostic) -> Topology {
        switch Topology.named([("client", "client"), ("front", "service"), ("payments", "service"), ("ledger", "service")],
                              edges: [("client", "front"), ("front", "payments"), ("front", "ledger")]) {
        case .success(let t): return t
        case .failure(let e): throw Diagnostic(line: 1, column: 1, e.message)
        }
    }
    static func config(_ s: Settings, topology t: Topology) throws(Diagnostic) -> ServiceNode.Config {
        .init(callees: (0..<t.count).map { t.callees(of: $0) }, isClient: t.kinds.map { $0 == "client" })
    }
    static let roles = ["client", "service"]
    static func role(of id: NodeID, in c: Cluster<ServiceNode>) -> String { c.topology.kinds[id] }
    static let commands: [CommandSpec<Services>] = []
    static func perform(_ command: Never, on c: inout Cluster<ServiceNode>) -> String? {}
    static let queries: [QuerySpec<Services>] = [
        QuerySpec(edge: "calls", help: "calls the caller has made on this edge") { c, l in c.nodes[l.from].sent[l.to] ?? 0 },
    ]
    static let predicateForms: [String] = []
    static func parsePredicate(_ w: inout Words) throws(Diagnostic) -> Never? { nil }
    static func evaluate(_ p: Never, in c: Cluster<ServiceNode>) -> Verdict {}
    static let interactions: [Interaction<Services>] = []
}

@Suite struct TopologyTests {
    func lesson(_ body: String) -> String { lessonText("title: S\npattern: services", "Intro.\n\n" + sim(body)) }
    func problemsOf(_ text: String) -> [String] { checkLesson(document(text), among: [Services.self]).diagnostics.map(\.description) }

    @Test func namedNodesKindsAndEdgesWorkInALesson() throws {
        let text = lesson("""
        run 1s
        expect client->front.calls == 10 and front->ledger.calls == 9 and front->payments.calls == 9
        expect client is client and payments is service
        crash payments
        partition client front | payments ledger
        run 300ms
        expect payments is crashed
        """)
        let o = checkLesson(document(text), among: [Services.self])
        #expect(o.passed, "\(o.failure ?? "") \(o.diagnostics)")
        guard case .success(let l) = CompiledLesson<Services>.compile(document(text)) else { Issue.record("compile"); return }
        var run = LessonRun<Services>(l, journal: .everything)
        run.nextStep(); run.finishStep()
        let journal = run.cluster.journal.text()
        #expect(journal.contains("send    front→payments call"))
        #expect(journal.contains("fault   payments crashed"))
        let failing = checkLesson(document(lesson("run 1s\nexpect front->payments.calls == 0")), among: [Services.self])
        #expect(failing.failure?.contains("found front->payments.calls is 9") == true, "\(failing.failure ?? "")")
    }

    @Test func badNamesAreExplained() {
        #expect(problemsOf(lesson("crash paymnts")).first?.contains("unknown node 'paymnts' (did you mean 'payments'?); the nodes are client, front, payments, ledger") == true)
        #expect(problemsOf(lesson("crash n2")).first?.contains("unknown node 'n2'") == true)
        #expect(problemsOf(lesson("partition n1..n2 | front")).first?.contains("ranges such as n1..n5 need numbered nodes") == true)
        #expect(problemsOf(lesson("expect front->payments.cals == 1")).first?.contains("unknown edge query 'cals' (did you mean 'calls'?)") == true)
        #expect(problemsOf(lesson("expect front->paymnts.calls == 1")).first?.contains("unknown node 'paymnts'") == true)
        #expect(problemsOf(lesson("expect fronts is client")).first != nil)
        // A misspelt caller gets its suggestion as a callee does.
        #expect(problemsOf(lesson("expect fornt->payments.calls > 0")).first?.contains("unknown node 'fornt' (did you mean 'front'?)") == true,
                "\(problemsOf(lesson("expect fornt->payments.calls > 0")))")
        // A pair that is not an edge would read 0 for ever: refused, with the edges named.
        let notAnEdge = problemsOf(lesson("expect payments->front.calls == 0")).first
        #expect(notAnEdge?.contains("payments does not call front: the edges are client->front, front->payments, front->ledger") == true, "\(notAnEdge ?? "accepted")")
    }

    /// A numbered topology reads the number from the name (it keeps no table of 100,000 names),
    /// and takes only the name as it is written for that node.
    @Test func numberedNodesAreFoundByTheirExactNames() {
        let t = Topology.numbered(100_000)
        #expect(t.id(of: "n1") == 0 && t.id(of: "n100000") == 99_999 && t.id(of: "n4711") == 4_710)
        for bad in ["n0", "n01", "n+5", "n100001", "n", "x1", "N1", "n1 ", ""] { #expect(t.id(of: bad) == nil, "\(bad)") }
        #expect(Topology.numbered(3) == Topology.numbered(3) && Topology.numbered(3) != Topology.numbered(4))
    }

    @Test func topologiesRefuseAmbiguousNames() {
        #expect(throws: TopologyError.self) { try Topology.named([("a", "x"), ("a", "y")]).get() }
        #expect(throws: TopologyError.self) { try Topology.named([("n3", "x")]).get() }
        #expect(throws: TopologyError.self) { try Topology.named([("a b", "x")]).get() }
        #expect(throws: TopologyError.self) { try Topology.named([("a", "x")], edges: [("a", "b")]).get() }
        let t = try? Topology.named([("client", "client"), ("db", "store")], edges: [("client", "db")]).get()
        #expect(t?.nodes(ofKind: "store") == [1] && t?.callees(of: 0) == [1] && t?.hasEdge(1, 0) == false)
    }
}
