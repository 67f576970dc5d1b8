import Canvas
import Patterns
import Simulation

/// What a scene needs to know about how it is being shown.
public struct SceneContext: Sendable {
    public var glyphs: GlyphSet
    public var selected: NodeID?
    /// The whole screen's size class (the scene's own rect says how much of it the scene has).
    public var sizeClass: SizeClass
    /// Whether to hint at keys: not while a question has the keys, not on paper (handouts,
    /// printouts), and not to a room (the presenter: its keys are the teacher's, and "start one
    /// (s)" named a key it does not have). When false, a scene leaves out its key hints.
    public var keysLive: Bool
    public init(glyphs: GlyphSet, selected: NodeID? = nil, sizeClass: SizeClass = .compact, keysLive: Bool = true) {
        self.glyphs = glyphs; self.selected = selected; self.sizeClass = sizeClass; self.keysLive = keysLive
    }
    public var ascii: Bool { glyphs == .ascii }
}

/// Keys a scene may claim before the player sees them.
public enum SceneKey: Sendable, Equatable {
    case char(Character)
    case tab, backTab, enter
    /// Offered first so a scene can clear a pin or a selection before the player clears its own.
    case escape
}

/// A pattern that can be drawn. Each pattern's folder here adds this conformance; the app's
/// catalog lists the patterns, and nothing else needs to know them.
///
/// A scene may keep view state of its own (a selected event, a scroll offset) and claim keys
/// for it; the player keeps that state beside the run and hands it back to `draw`.
public protocol PatternScene: Pattern {
    associatedtype ViewState: Sendable = NoViewState
    static func initialViewState() -> ViewState
    static func draw(_ cluster: Cluster<Node>, _ view: ViewState, in rect: Rect, on canvas: inout Canvas, _ context: SceneContext)
    /// Handles `key` if the scene wants it; returns a status line, or nil when the key is not the scene's.
    static func handle(_ key: SceneKey, _ view: inout ViewState, _ cluster: Cluster<Node>) -> String?
    /// Keys the scene claims, for the key bar and help: (keys, what they do).
    static var sceneKeys: [(String, String)] { get }
    /// Lines for the help overlay: what the glyphs and labels of this scene mean.
    static func legend(_ glyphs: GlyphSet) -> [String]
    /// The room the scene needs and can use, for a cluster of `nodes` on a screen of `size`.
    static func needs(nodes: Int, size: SizeClass) -> SceneNeeds
    /// A selected node's whole state, as lines for a panel `width` wide: what a card has no
    /// room for (exact timer values, votes, indexes, every clock), so a question about the
    /// picture can be answered from the screen.
    static func details(of node: NodeID, in cluster: Cluster<Node>, width: Int, glyphs: GlyphSet) -> [StyledLine]
    /// Whether a message in flight is routine traffic (a heartbeat and its echo): the player
    /// lets such stretches pass quickly and slows down for the messages a lesson is about.
    static func isRoutine(_ message: Envelope<Node.Message>, in cluster: Cluster<Node>) -> Bool
    /// Simulated seconds per real second while only routine or crowded traffic flows, for a
    /// pattern about load rather than single messages (services at a hundred requests a second
    /// are watched in real time). nil: the player's own pace for such stretches.
    static var steadyPace: Double? { get }
}

extension PatternScene {
    public static func needs(nodes: Int, size: SizeClass) -> SceneNeeds { SceneNeeds() }
    public static func details(of node: NodeID, in cluster: Cluster<Node>, width: Int, glyphs: GlyphSet) -> [StyledLine] { [] }
    public static func isRoutine(_ message: Envelope<Node.Message>, in cluster: Cluster<Node>) -> Bool { false }
    public static var steadyPace: Double? { nil }
}

public struct NoViewState: Sendable, Equatable { public init() {} }

extension PatternScene where ViewState == NoViewState {
    public static func initialViewState() -> NoViewState { NoViewState() }
    public static func handle(_ key: SceneKey, _ view: inout NoViewState, _ cluster: Cluster<Node>) -> String? { nil }
    public static var sceneKeys: [(String, String)] { [] }
}
