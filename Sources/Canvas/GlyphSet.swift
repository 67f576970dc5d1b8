/// Every non-letter character the screens draw, in a Unicode and an ASCII version. Screens ask
/// for glyphs by meaning, so `--ascii` (or a non-UTF-8 locale) changes one value, not the code.
public struct GlyphSet: Sendable, Equatable {
    /// The head pointing from a step of `dx` columns and `dy` rows (rows count double: a cell
    /// is about twice as tall as it is wide).
    public func head(dx: Int, dy: Int) -> Character {
        guard dx != 0 || dy != 0 else { return heads[0] }
        let angle = atan2Approx(Double(dy * 2), Double(dx))          // 0 = right, clockwise (y grows down)
        let octant = Int(((angle / (Double.pi / 4)).rounded() + 8).truncatingRemainder(dividingBy: 8))
        return heads[octant]
    }

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
    /// Heads for a message in flight, by direction: right, down-right, down, down-left, left,
    /// up-left, up, up-right (ASCII has no diagonals: the nearer of its four is used).
    public var heads: [Character]
    /// A log entry a majority stores (committed), one not yet, and one thrown away.
    public var committed: Character, uncommitted: Character

    /// The mark on a box's edge that says its text goes on: "↓ more" below, "↑ more" above
    /// ("v more", "^ more" in ASCII), with how many lines or entries when that is known.
    public func more(below: Bool, count: Int? = nil) -> String {
        "\(heads[below ? 2 : 6]) " + (count.map { "\($0) " } ?? "") + "more"
    }

    public static let unicode = GlyphSet(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        arrow: "→", ellipsis: "…", bullet: "•", message: "●", lostMessage: "✗", barFull: "█", barEmpty: "░",
        check: "✓", cross: "✗", leader: "★", candidate: "◆", follower: "○", crashed: "✗", selected: "▶",
        cut: "╳", play: "▶", pause: "‖", heads: ["→", "↘", "↓", "↙", "←", "↖", "↑", "↗"],
        committed: "■", uncommitted: "□")

    public static let ascii = GlyphSet(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        arrow: "->", ellipsis: "...", bullet: "*", message: "o", lostMessage: "x", barFull: "#", barEmpty: ".",
        check: "+", cross: "x", leader: "L", candidate: "C", follower: "F", crashed: "X", selected: ">",
        cut: "X", play: ">", pause: "=", heads: [">", ">", "v", "<", "<", "<", "^", ">"],
        committed: "#", uncommitted: "o")
}

/// atan2 without Foundation, precise enough to pick one of eight directions.
func atan2Approx(_ y: Double, _ x: Double) -> Double {
    if x == 0 { return y > 0 ? Double.pi / 2 : (y < 0 ? -Double.pi / 2 : 0) }
    let z = y / x
    var a: Double
    if abs(z) <= 1 { a = z / (1 + 0.28125 * z * z) }
    else { a = (z > 0 ? Double.pi / 2 : -Double.pi / 2) - z / (z * z + 0.28125) }
    if x < 0 { a += y >= 0 ? Double.pi : -Double.pi }
    return a
}
