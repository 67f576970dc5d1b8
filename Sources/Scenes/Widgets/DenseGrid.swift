import Canvas
import Simulation

/// One state a node of a dense grid can be in: how it is named in the counts line and drawn
/// (the glyph from the glyph set in use, so ASCII gets ASCII).
public struct GridState: Sendable {
    public var name: String
    public var glyph: Character
    public var style: Style
    public init(_ name: String, glyph: Character, style: Style) {
        self.name = name; self.glyph = glyph; self.style = style
    }
}

/// Hundreds or thousands of nodes as a grid of cells, one glyph per node while they fit. When
/// they do not, a cell holds several: in Unicode a braille character whose dots are the nodes of
/// the cell not in the quiet state (`palette[0]`); in ASCII the number of them (# past 9); a
/// line under the counts says which. Whatever the
/// packing, a counts line says how many nodes are in each state, so nothing rests on colour or
/// on reading dots.
public enum DenseGrid {
    /// How the nodes were packed, for tests and for scenes that point at a node.
    public struct Packing: Sendable, Equatable {
        public var perCell: Int
        public var columns: Int
        /// Columns between cell starts (2 leaves a space between single nodes, for readability).
        public var pitch: Int
    }

    static let brailleDots: [UInt32] = [0x01, 0x02, 0x04, 0x40, 0x08, 0x10, 0x20, 0x80]

    public static func packing(count n: Int, width: Int, height: Int) -> Packing {
        guard n > 0, width > 0, height > 0 else { return Packing(perCell: 1, columns: max(1, width), pitch: 1) }
        // Single nodes, spaced if there is room, in a block of the area's shape, with at least
        // as many columns as the height makes necessary.
        let needed = (n + height - 1) / height
        for pitch in [2, 1] {
            let fitting = (width - 1) / pitch + 1
            // As many columns as make the block the shape of the area.
            let shaped = Int((Double(n) * Double(width) / Double(pitch * height)).squareRoot().rounded(.up))
            let columns = max(min(fitting, shaped), needed)
            if columns <= fitting { return Packing(perCell: 1, columns: columns, pitch: pitch) }
        }
        let cells = width * height
        return Packing(perCell: (n + cells - 1) / cells, columns: width, pitch: 1)
    }

    /// Draws `states` (an index into `palette` per node) in `r`; the last row or two hold the counts.
    /// `marked`: nodes to point out beside the selection (a gossip node's contacts of its last
    /// round), underlined so monochrome shows them too.
    public static func draw(states: [Int], palette: [GridState], in r: Rect, on canvas: inout Canvas,
                            glyphs g: GlyphSet, selected: NodeID? = nil, marked: [NodeID] = []) {
        guard !r.isEmpty, !palette.isEmpty else { return }
        let ascii = g == .ascii
        var counts = Array(repeating: 0, count: palette.count)
        for s in states { counts[min(max(0, s), palette.count - 1)] += 1 }
        // The counts, an entry per state, wrapped between entries and never inside one.
        var countLines: [[Span]] = [[]]
        var used = 0
        func add(_ entry: [Span]) {
            let width = entry.reduce(0) { $0 + displayWidth($1.text) }
            if used > 0 && used + 2 + width > r.width { countLines.append([]); used = 0 }
            if used > 0 { countLines[countLines.count - 1].append(Span("  ", .plain)); used += 2 }
            countLines[countLines.count - 1] += entry
            used += width
        }
        for (i, p) in palette.enumerated() { add([Span("\(p.glyph) ", p.style), Span("\(p.name) \(counts[i])", .plain)]) }
        func layout() -> (rows: Int, area: Rect, pack: Packing) {
            let rows = min(countLines.count, max(0, r.height - 1))
            let area = Rect(x: r.x, y: r.y, width: r.width, height: r.height - rows)
            return (rows, area, packing(count: states.count, width: area.width, height: area.height))
        }
        var (countRows, area, pack) = layout()
        // Several nodes to a cell: say what a cell's glyph counts (the legend names one node's
        // glyphs, and in ASCII a cell shows a digit no legend entry explains).
        if pack.perCell > 1, !states.isEmpty {
            let quiet = palette[0].name
            func key(_ perCell: Int) -> String {
                let what = ascii ? "digit: how many not \(quiet)" + (perCell > 9 ? ", # 10+" : "")
                    : perCell <= 8 ? "a dot: a node not \(quiet)" : "shade: share not \(quiet)"
                return "\(perCell) a cell, \(what)"
            }
            // Its own row may pack the cells tighter: the text is written for the final packing.
            add([Span(key(pack.perCell) + " ", .dim)])
            (countRows, area, pack) = layout()
            countLines[countLines.count - 1][countLines[countLines.count - 1].count - 1] = Span(key(pack.perCell), .dim)
        }
        for (k, line) in countLines.prefix(countRows).enumerated() {
            canvas.line(line, x: r.x, y: area.maxY + k, maxWidth: r.width)
        }
        guard !area.isEmpty, !states.isEmpty else { return }

        let cellCount = (states.count + pack.perCell - 1) / pack.perCell
        for cell in 0..<cellCount {
            let x = area.x + (cell % pack.columns) * pack.pitch, y = area.y + cell / pack.columns
            guard y < area.maxY, x < area.maxX else { break }
            let first = cell * pack.perCell, last = min(states.count, first + pack.perCell)
            var style: Style
            let glyph: Character
            if pack.perCell == 1 {
                let p = palette[min(max(0, states[first]), palette.count - 1)]
                glyph = p.glyph
                style = p.style
            } else {
                // The cell's colour is its most common state other than the quiet one.
                var tally = Array(repeating: 0, count: palette.count)
                var active = 0
                var dots: UInt32 = 0
                for (j, node) in (first..<last).enumerated() {
                    let s = min(max(0, states[node]), palette.count - 1)
                    tally[s] += 1
                    if s != 0 { active += 1; if j < 8 { dots |= brailleDots[j] } }
                }
                let top = tally.indices.dropFirst().max { tally[$0] < tally[$1] || (tally[$0] == tally[$1] && $0 > $1) }
                style = active > 0 && top != nil ? palette[top!].style : .dim
                if pack.perCell <= 8 && !ascii {
                    glyph = Character(Unicode.Scalar(0x2800 + dots)!)
                } else if ascii {
                    glyph = active == 0 ? "." : active > 9 ? "#" : Character(String(active))
                } else {
                    // Full only when every node of the cell is: one straggler among nine informed
                    // drew "█" like the rest, and "watch the last few" showed a solid block.
                    let shades: [Character] = ["·", "░", "▒", "▓", "█"]
                    let n = last - first
                    glyph = active == 0 ? shades[0] : active == n ? shades[4] : shades[min(3, 1 + active * 3 / n)]
                }
            }
            if marked.contains(where: { $0 >= first && $0 < last }) { style = style.with { $0.underline = true; $0.foreground = .cyan; $0.bold = true } }
            if let sel = selected, sel >= first, sel < last { style = style.with { $0.reverse = true; $0.bold = true } }
            canvas.put(glyph, x: x, y: y, style)
        }
    }
}
