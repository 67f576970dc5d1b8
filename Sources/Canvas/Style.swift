/// The eight ANSI colours. Meaning never rests on colour alone: every style that matters also
/// has a glyph, a label or an attribute, so a monochrome terminal loses nothing essential.
public enum Color: UInt8, Sendable, Equatable, CaseIterable {
    case black, red, green, yellow, blue, magenta, cyan, white
}

public struct Style: Sendable, Equatable, Hashable {
    public var foreground: Color?
    public var background: Color?
    public var bold = false
    public var dim = false
    public var underline = false
    public var reverse = false
    public var italic = false

    public init(foreground: Color? = nil, background: Color? = nil, bold: Bool = false, dim: Bool = false,
                underline: Bool = false, reverse: Bool = false, italic: Bool = false) {
        self.foreground = foreground; self.background = background; self.bold = bold; self.dim = dim
        self.underline = underline; self.reverse = reverse; self.italic = italic
    }

    public static let plain = Style()
    public static let bold = Style(bold: true)
    public static let dim = Style(dim: true)
    public static let reverse = Style(reverse: true)

    public func with(_ change: (inout Style) -> Void) -> Style { var s = self; change(&s); return s }

    /// What remains on a terminal without colour (NO_COLOR, or none supported).
    public var monochrome: Style { with { $0.foreground = nil; $0.background = nil } }
}

/// How much colour the output may use.
public enum ColorProfile: Sendable, Equatable {
    case mono, ansi8
}
