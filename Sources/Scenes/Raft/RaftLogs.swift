import Canvas
import Patterns
import Simulation

/// Every server's log as a row of entries (`1:t1 x=1`), as RaftScope draws it beside its ring:
/// the log-replication lessons are about entries being copied, committed and replaced, so the
/// entries themselves are on screen, not a count.
enum RaftLogs {
    /// How long after a replacement the thrown-away entries stay on the row (simulated time).
    static let replacedShownFor: SimTime = 5_000_000

    /// Rows the table wants for `nodes` servers: a key line and one per server.
    static func rows(nodes: Int) -> Int { nodes + 1 }

    static func draw(_ c: Cluster<RaftNode>, in r: Rect, on canvas: inout Canvas, glyphs g: GlyphSet) {
        guard r.height >= 2, r.width >= 20 else { return }
        // Short of rows (a projector's 60x18), the key goes before any server's row does, and
        // a row that still does not fit is counted, not silently left out.
        let keyed = r.height > c.size
        if keyed {
            let key = "Logs  \(g.committed) committed  \(g.uncommitted) not yet  \(g.cross) replaced"
            canvas.text(truncate(key, to: r.width, ellipsis: g.ellipsis), x: r.x, y: r.y, .dim)
        }
        let top = keyed ? 1 : 0
        let shown = c.size <= r.height - top ? c.size : r.height - top - 1
        if shown < c.size {
            canvas.text(truncate("+\(c.size - shown) more: a node's number shows its log", to: r.width, ellipsis: g.ellipsis), x: r.x, y: r.maxY - 1, .dim)
        }
        let nameWidth = (0..<c.size).map { displayWidth(c.name($0)) }.max() ?? 2
        for id in 0..<shown {
            let y = r.y + top + id
            canvas.text(c.name(id), x: r.x, y: y, c.isUp[id] ? .bold : Style(foreground: .red, dim: true))
            let row = Rect(x: r.x + nameWidth + 1, y: y, width: r.width - nameWidth - 1, height: 1)
            canvas.line(line(for: c.nodes[id], now: c.now, width: row.width, glyphs: g), x: row.x, y: y, maxWidth: row.width)
        }
    }

    /// One server's row: as many of the newest entries as fit, and how many older ones are not
    /// shown; then, for a while, the entries it last replaced.
    static func line(for n: RaftNode, now: SimTime, width: Int, glyphs g: GlyphSet) -> StyledLine {
        var tail: StyledLine = []
        if let r = n.lastReplaced, now >= r.at, now - r.at <= replacedShownFor {
            let gone = r.entries.enumerated().map { "\(r.index + $0.offset):t\($0.element.term) \($0.element.command)" }.joined(separator: " ")
            tail = [Span(" \(g.cross)\(gone)", Style(foreground: .red, bold: true))]
        }
        if n.log.isEmpty { return [Span("(empty)", .dim)] + tail }
        let cells: [Span] = n.log.enumerated().map { k, e in
            let index = k + 1
            let committed = index <= n.commitIndex
            return Span("\(committed ? g.committed : g.uncommitted)\(index):t\(e.term) \(e.command) ",
                        committed ? Style(foreground: .green, bold: true) : Style(foreground: .yellow))
        }
        let tailWidth = displayWidth(tail)
        var room = width - tailWidth
        var shown: [Span] = []
        for cell in cells.reversed() {
            let w = displayWidth(cell.text)
            let hidden = cells.count - shown.count - 1
            let marker = hidden > 0 ? displayWidth("\(g.ellipsis)\(hidden) ") : 0
            guard w + marker <= room || shown.isEmpty else { break }
            shown.insert(cell, at: 0)
            room -= w
        }
        let hidden = cells.count - shown.count
        let lead: StyledLine = hidden > 0 ? [Span("\(g.ellipsis)\(hidden) ", .dim)] : []
        return lead + shown + tail
    }
}
