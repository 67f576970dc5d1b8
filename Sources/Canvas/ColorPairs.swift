/// Terminal colour pairs: a foreground and a background each, so a style can colour both (a
/// half block whose two halves are two nodes needs that). With fewer pairs than every
/// combination, backgrounds are dropped and the foreground kept, as before.
public enum ColorPairs {
    /// Pairs needed for every (foreground, background) combination, "default" included for both.
    public static let full = 9 * 9

    /// The pair for `style`'s colours, given how many pairs the terminal has (pair 0 is the
    /// terminal's default and is not set up).
    public static func number(for style: Style, available: Int) -> Int16 {
        let fg = Int(style.foreground?.rawValue ?? 8), bg = Int(style.background?.rawValue ?? 8)
        if available > full { return Int16(fg * 9 + bg + 1) }
        return style.foreground.map { Int16($0.rawValue) + 1 } ?? 0
    }

    /// The pairs to set up: (number, foreground, background), -1 for the terminal's default.
    public static func definitions(available: Int) -> [(Int16, Int16, Int16)] {
        func c(_ i: Int) -> Int16 { i == 8 ? -1 : Int16(i) }
        if available > full {
            return (0..<9).flatMap { fg in (0..<9).map { bg in (Int16(fg * 9 + bg + 1), c(fg), c(bg)) } }
        }
        return Color.allCases.map { (Int16($0.rawValue) + 1, Int16($0.rawValue), -1) }
    }
}
