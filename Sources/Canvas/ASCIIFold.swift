/// ASCII forms of the non-ASCII characters screens and lessons use. `--ascii` (or a locale
/// that is not UTF-8) promises ASCII in every string: glyphs come from `GlyphSet.ascii`, text
/// written by people (narration, status lines, a lesson's own words) is folded here, and a
/// last pass over the finished frame catches anything left, one cell for one cell.
public enum ASCIIFold {
    static let forms: [Character: String] = [
        "→": "->", "←": "<-", "↑": "^", "↓": "v", "↔": "<->", "⇒": "=>", "↗": "/", "↘": "\\", "↙": "/", "↖": "\\",
        "·": ".", "•": "*", "…": "...", "—": "--", "–": "-", "‘": "'", "’": "'", "“": "\"", "”": "\"",
        "≤": "<=", "≥": ">=", "≠": "!=", "≈": "~", "×": "x", "÷": "/", "±": "+/-", "√": "sqrt", "µ": "u", "μ": "mu",
        "✓": "+", "✗": "x", "★": "L", "◆": "C", "○": "F", "●": "o", "◉": "@", "◀": "<", "▶": ">", "▸": ">", "◂": "<", "◇": "~",
        "‖": "=", "∥": "||", "■": "#", "□": "o", "█": "#", "░": ".", "╳": "X", "─": "-", "│": "|",
        "┌": "+", "┐": "+", "└": "+", "┘": "+", "╲": "\\", "╱": "/", "²": "^2", "³": "^3", "°": " deg",
        "\u{00A0}": " ", "φ": "phi", "λ": "lambda", "ρ": "rho", "σ": "sigma", "−": "-", "₂": "2", "▲": "^", "┊": ":", "╿": "!", "◐": "?", "┄": "-", "◔": "s",
    ]

    /// `s` with every non-ASCII character in its ASCII form (`?` when it has none).
    public static func string(_ s: String) -> String {
        guard !s.unicodeScalars.allSatisfy(\.isASCII) else { return s }
        var out = ""
        for c in s {
            if c.isASCII { out.append(c) } else { out += forms[c] ?? "?" }
        }
        return out
    }

    /// One cell's worth: the first character of the ASCII form.
    public static func scalar(_ u: Unicode.Scalar) -> Unicode.Scalar {
        guard !u.isASCII else { return u }
        return forms[Character(u)]?.unicodeScalars.first ?? "?"
    }
}

extension GlyphSet {
    /// Text for the screen in this glyph set: folded to ASCII under `--ascii`.
    public func text(_ s: String) -> String { self == .ascii ? ASCIIFold.string(s) : s }
}
