/// One terminal cell. A wide character fills its cell and marks the next one as its continuation.
/// A cell holds one Unicode scalar (combining marks and variation selectors are dropped), which
/// keeps it a plain value: frames are copied and compared cell by cell, many times a second.
public struct Cell: Sendable, Equatable {
    public var scalar: Unicode.Scalar
    public var style: Style
    public var isContinuation = false
    public init(_ character: Character = " ", _ style: Style = .plain) {
        scalar = character.unicodeScalars.first ?? " "
        self.style = style
    }
    public var character: Character { Character(scalar) }
    public static let blank = Cell()
}

/// A grid of cells: what every screen draws into. The terminal and the headless renderer both
/// take a `Canvas`, so each frame a student sees can also be printed, diffed and snapshot-tested.
public struct Canvas: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// Replaces every non-ASCII cell with its one-character ASCII form (the safety net under
    /// `--ascii`: strings folded before layout keep their longer forms, such as `->`).
    public mutating func foldToASCII() {
        for i in cells.indices where !cells[i].scalar.isASCII {
            cells[i].scalar = ASCIIFold.scalar(cells[i].scalar)
        }
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
    }

    public mutating func put(_ c: Character, x: Int, y: Int, _ style: Style = .plain) {
        let w = displayWidth(c)
        guard w > 0, y >= 0, y < height, x >= 0, x + w <= width else { return }
        // Overwriting half of a wide character blanks its other half.
        if cells[y * width + x].isContinuation, x > 0 { cells[y * width + x - 1] = Cell(" ", cells[y * width + x - 1].style) }
        if x + w < width, cells[y * width + x + w].isContinuation { cells[y * width + x + w] = Cell(" ", style) }
        // A no-break space keeps a label with its figure through `wrap`; on screen it is a space.
        cells[y * width + x] = Cell(c == "\u{00A0}" ? " " : c, style)
        if w == 2 { var cont = Cell(" ", style); cont.isContinuation = true; cells[y * width + x + 1] = cont }
    }

    /// Writes `s` from (x, y), clipped to `maxWidth` columns (and the canvas). Returns columns used.
    @discardableResult
    public mutating func text(_ s: String, x: Int, y: Int, _ style: Style = .plain, maxWidth: Int? = nil) -> Int {
        var col = x
        let limit = maxWidth.map { x + $0 } ?? width
        for c in s {
            let w = displayWidth(c)
            if w == 0 { continue }
            if col + w > limit { break }
            put(c, x: col, y: y, style)
            col += w
        }
        return col - x
    }

    public mutating func fill(_ r: Rect, _ c: Character = " ", _ style: Style = .plain) {
        for y in max(0, r.y)..<min(height, r.maxY) {
            for x in max(0, r.x)..<min(width, r.maxX) { put(c, x: x, y: y, style) }
        }
    }

    /// A frame around `r`, with an optional title set into the top edge.
    public mutating func box(_ r: Rect, glyphs g: GlyphSet, _ style: Style = .plain, title: String? = nil, titleStyle: Style = .bold) {
        guard r.width >= 2, r.height >= 2 else { return }
        for x in r.x + 1..<r.maxX - 1 {
            put(g.horizontal, x: x, y: r.y, style); put(g.horizontal, x: x, y: r.maxY - 1, style)
        }
        for y in r.y + 1..<r.maxY - 1 {
            put(g.vertical, x: r.x, y: y, style); put(g.vertical, x: r.maxX - 1, y: y, style)
        }
        put(g.topLeft, x: r.x, y: r.y, style); put(g.topRight, x: r.maxX - 1, y: r.y, style)
        put(g.bottomLeft, x: r.x, y: r.maxY - 1, style); put(g.bottomRight, x: r.maxX - 1, y: r.maxY - 1, style)
        if let title, r.width > 4 {
            text(" " + truncate(title, to: r.width - 4, ellipsis: g.ellipsis) + " ", x: r.x + 1, y: r.y, titleStyle, maxWidth: r.width - 2)
        }
    }

    /// The screen as plain text, one line per row, trailing spaces removed.
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !self[x, y].isContinuation { line.unicodeScalars.append(self[x, y].scalar) }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    public var text: String { lines.joined(separator: "\n") + "\n" }

    /// Rows whose cells differ from `previous` (all rows if the sizes differ), each as the span
    /// of columns that changed. The terminal writes only these.
    public func changes(since previous: Canvas?) -> [(y: Int, from: Int, to: Int)] {
        guard let previous, previous.width == width, previous.height == height else {
            return (0..<height).map { ($0, 0, width - 1) }
        }
        var out: [(Int, Int, Int)] = []
        for y in 0..<height {
            var first = -1, last = -1
            let base = y * width
            for x in 0..<width where cells[base + x] != previous.cells[base + x] {
                if first < 0 { first = x }
                last = x
            }
            if first >= 0 { out.append((y, first, last)) }
        }
        return out
    }
}
