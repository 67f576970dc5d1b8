/// A run of text in one style.
public struct Span: Sendable, Equatable {
    public var text: String
    public var style: Style
    public init(_ text: String, _ style: Style = .plain) { self.text = text; self.style = style }
}

public typealias StyledLine = [Span]

/// Columns a styled line takes.
public func displayWidth(_ line: StyledLine) -> Int { line.reduce(0) { $0 + displayWidth($1.text) } }

/// A line that fits is kept as it is (runs of spaces that align columns survive); a longer
/// one is word-wrapped.
public func wrapIfWider(_ line: StyledLine, width: Int, indent: Int = 0) -> [StyledLine] {
    displayWidth(line) <= width ? [line] : wrap(line, width: width, indent: indent)
}

/// `s` as one word for `wrap`: its spaces become no-break spaces, which the canvas draws as
/// spaces. (A label and its figure, "unchanged 170", split over two lines read as two things.)
public func unbroken(_ s: String) -> String { String(s.map { $0 == " " ? "\u{00A0}" : $0 }) }

/// Word-wraps styled text to `width` columns; continuation lines start with `indent` spaces.
/// A word longer than a line is broken where it must be.
public func wrap(_ spans: [Span], width: Int, indent: Int = 0) -> [StyledLine] {
    guard width > indent else { return [] }
    var lines: [StyledLine] = []
    var line: StyledLine = []
    var used = 0
    var hasWords = false
    func newLine() {
        lines.append(line)
        line = indent > 0 ? [Span(String(repeating: " ", count: indent))] : []
        used = indent
        hasWords = false
    }
    func add(_ s: String, _ style: Style) {
        if let last = line.last, last.style == style { line[line.count - 1].text += s } else { line.append(Span(s, style)) }
        used += displayWidth(s)
    }
    // Split into words, keeping each word's pieces with their styles.
    var words: [[Span]] = []
    var current: [Span] = []
    for span in spans {
        var piece = ""
        for c in span.text {
            if c == " " || c == "\n" {
                if !piece.isEmpty { current.append(Span(piece, span.style)); piece = "" }
                if !current.isEmpty { words.append(current); current = [] }
            } else {
                piece.append(c)
            }
        }
        if !piece.isEmpty { current.append(Span(piece, span.style)) }
    }
    if !current.isEmpty { words.append(current) }
    for word in words {
        let w = word.reduce(0) { $0 + displayWidth($1.text) }
        if hasWords {
            if used + 1 + w <= width { add(" ", .plain) } else { newLine() }
        }
        hasWords = true
        if used + w <= width {
            for p in word { add(p.text, p.style) }
        } else {
            for p in word {
                for c in p.text {
                    if used + displayWidth(c) > width { newLine() }
                    add(String(c), p.style)
                }
            }
        }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
}

extension Canvas {
    /// Draws one styled line at (x, y), clipped to `maxWidth`.
    @discardableResult
    public mutating func line(_ l: StyledLine, x: Int, y: Int, maxWidth: Int) -> Int {
        var col = x
        for span in l {
            let left = maxWidth - (col - x)
            if left <= 0 { break }
            col += text(span.text, x: col, y: y, span.style, maxWidth: left)
        }
        return col - x
    }
}
