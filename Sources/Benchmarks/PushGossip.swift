import Canvas
import Lessons
import Scenes
import Patterns
import Simulation

/// The smallest push gossip there is, for measuring the simulator at 100,000 nodes before the
/// gossip pattern exists: every period each informed node pushes the rumor to one peer chosen
/// uniformly at random (fanout 1). Nodes act at their own phase in the period, as real gossipers do.
struct PushGossipNode: NodeModel {
    enum Message: Sendable, CustomStringConvertible { case rumor; var description: String { "rumor" } }
    enum Timer: Int, TimerKind {
        case round
        var description: String { "round" }
        static let slotCount = 1
    }
    struct Config: Sendable { var period: SimTime = 1_000_000 }

    let id: NodeID
    let period: SimTime
    var informed: Bool

    init(id: NodeID, clusterSize: Int, config: Config) {
        self.id = id; period = config.period; informed = id == 0
    }

    mutating func boot(_ io: inout NodeIO<Self>) {
        if informed { io.setTimer(.round, after: io.random(in: 0...period)) }
    }

    mutating func receive(_ message: Message, from: NodeID, _ io: inout NodeIO<Self>) {
        guard !informed else { return }
        informed = true
        io.setTimer(.round, after: io.random(in: 1...period))
    }

    mutating func fire(_ timer: Timer, _ io: inout NodeIO<Self>) {
        if let p = io.randomPeer() { io.send(.rumor, to: p) }
        io.setTimer(.round, after: period)
    }

    mutating func crash() {}
}

/// The same model as a lesson pattern, so the lesson path (`check`) can be measured on it.
enum PushGossip: Pattern {
    typealias Node = PushGossipNode
    static let name = "push-gossip"
    static let summary = "benchmark only"
    static let settings: [SettingSpec] = []
    static func config(_ s: Settings) throws(Diagnostic) -> PushGossipNode.Config { .init() }
    static let roles = ["informed", "susceptible"]
    static func role(of id: NodeID, in c: Cluster<PushGossipNode>) -> String { c.nodes[id].informed ? "informed" : "susceptible" }
    static let commands: [CommandSpec<PushGossip>] = []
    static func perform(_ command: Never, on c: inout Cluster<PushGossipNode>) -> String? {}
    /// Kept as a count in a real pattern; here it is counted, as a naive pattern would.
    static let queries: [QuerySpec<PushGossip>] = [
        QuerySpec("informed", .cluster, help: "nodes that heard the rumor") { c, _ in c.nodes.reduce(0) { $0 + ($1.informed ? 1 : 0) } },
    ]
    static let predicateForms: [String] = []
    static func parsePredicate(_ w: inout Words) throws(Diagnostic) -> Never? { nil }
    static func evaluate(_ p: Never, in c: Cluster<PushGossipNode>) -> Verdict {}
    static let interactions: [Interaction<PushGossip>] = []
    static var limits: PatternLimits { PatternLimits(playerNodes: 1...1_000, headlessNodes: 1...100_000, lessonEvents: 50_000_000) }
}

/// Drawn as the dense grid, so the player's memory can be measured with every frame drawn.
extension PushGossip: PatternScene {
    static func draw(_ c: Cluster<PushGossipNode>, _ view: NoViewState, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) {
        let palette = [GridState("susceptible", glyph: ctx.glyphs.follower, style: .dim),
                       GridState("informed", glyph: ctx.glyphs.leader, style: Style(foreground: .green, bold: true))]
        DenseGrid.draw(states: c.nodes.map { $0.informed ? 1 : 0 }, palette: palette, in: r, on: &canvas, glyphs: ctx.glyphs, selected: ctx.selected)
    }
    static func legend(_ g: GlyphSet) -> [String] { ["\(g.leader) informed  \(g.follower) susceptible"] }
    static func needs(nodes: Int, size: SizeClass) -> SceneNeeds { SceneNeeds(wantsEventLog: false) }
}
