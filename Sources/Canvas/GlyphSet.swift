/// Every non-letter character the screens draw, in a Unicode and an ASCII version. Screens ask
/// for glyphs by meaning, so `--ascii` (or a non-UTF-8 locale) changes one value, not the code.
public struct GlyphSet: Sendable, Equatable {
    public var horizontal: Character, vertical: Character
    public var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
    public var arrow: String
    public var ellipsis: String
    public var bullet: Character
    public var message: Character
    public var lostMessage: Character
    public var barFull: Character, barEmpty: Character
    public var check: Character, cross: Character
    public var leader: Character, candidate: Character, follower: Character, crashed: Character
    public var selected: Character
    public var cut: Character
    public var play: Character, pause: Character

    public static let unicode = GlyphSet(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        arrow: "→", ellipsis: "…", bullet: "•", message: "●", lostMessage: "✗", barFull: "█", barEmpty: "░",
        check: "✓", cross: "✗", leader: "★", candidate: "◆", follower: "○", crashed: "✗", selected: "▶",
        cut: "╳", play: "▶", pause: "‖")

    public static let ascii = GlyphSet(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        arrow: "->", ellipsis: "...", bullet: "*", message: "o", lostMessage: "x", barFull: "#", barEmpty: ".",
        check: "+", cross: "x", leader: "L", candidate: "C", follower: "F", crashed: "X", selected: ">",
        cut: "X", play: ">", pause: "=")
}
