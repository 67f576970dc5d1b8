import Canvas
import Patterns
import Simulation

/// What a scene needs to know about how it is being shown.
public struct SceneContext: Sendable {
    public var glyphs: GlyphSet
    public var selected: NodeID?
    public init(glyphs: GlyphSet, selected: NodeID? = nil) { self.glyphs = glyphs; self.selected = selected }
    public var ascii: Bool { glyphs == .ascii }
}

/// A pattern that can be drawn. Each pattern's folder here adds this conformance; the app's
/// catalog lists the patterns, and nothing else needs to know them.
public protocol PatternScene: Pattern {
    static func draw(_ cluster: Cluster<Node>, in rect: Rect, on canvas: inout Canvas, _ context: SceneContext)
    /// Lines for the help overlay: what the glyphs and labels of this scene mean.
    static func legend(_ glyphs: GlyphSet) -> [String]
}
