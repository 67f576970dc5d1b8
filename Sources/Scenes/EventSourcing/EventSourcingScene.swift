import Canvas
import Patterns
import Simulation

/// The account's log as a tape of events, numbered, with snapshots marked over it and the
/// cursor under it; the state folded up to the cursor and at the end; then the read model with
/// how far behind it is, and the events on their way to it.
extension EventSourcing: PatternScene {
    public static func draw(_ c: Cluster<LedgerNode>, _ view: NoViewState, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) {
        guard !r.isEmpty else { return }
        let g = ctx.glyphs, a = c.nodes[0], reader = c.nodes[1]
        var y = r.y
        let down = c.unavailable(0)
        canvas.text("account" + (down.map { " (\($0.hasSuffix("paused") ? "paused" : "crashed"))" } ?? "") + ": log of \(a.log.count) event\(a.log.count == 1 ? "" : "s")"
                    + (a.refused > 0 ? " \(g.bullet) \(a.refused) refused" : ""),
                    x: r.x, y: y, (down == nil ? Style.bold : Style(foreground: .red, bold: true)).with { $0.reverse = ctx.selected == 0 }, maxWidth: r.width)
        y += 1
        // The tape: the cells that fit, ending at the cursor's neighbourhood.
        let cursor = a.cursor ?? a.log.count
        let cells = a.log.enumerated().map { k, e in (k + 1, "\(k + 1):\(e)") }
        let cellWidth = max(6, (cells.map { displayWidth($0.1) }.max() ?? 4) + 1)
        let fit = max(1, (r.width - 2) / cellWidth)
        let last = min(cells.count, max(fit, cursor + fit / 3))
        let first = max(0, last - fit)
        let snapshots = Set(a.snapshots.map(\.state.version))
        if y + 2 < r.maxY {
            if first > 0 { canvas.text(g.ellipsis, x: r.x, y: y + 1, .dim) }
            for (k, cell) in cells[first..<last].enumerated() {
                let x = r.x + 1 + k * cellWidth
                let on = cell.0 <= cursor
                if snapshots.contains(cell.0) { canvas.text("snap", x: x, y: y, Style(foreground: .magenta, bold: true), maxWidth: cellWidth - 1) }
                canvas.text(cell.1, x: x, y: y + 1, on ? .bold : .dim, maxWidth: cellWidth - 1)
                if cell.0 == cursor { canvas.text((g == .ascii ? "^" : "▲") + " cursor", x: x, y: y + 2, Style(foreground: .cyan, bold: true), maxWidth: r.maxX - x) }
            }
            if cells.isEmpty { canvas.text("(no events yet)", x: r.x + 1, y: y + 1, .dim, maxWidth: r.width - 1) }
            else if cursor == 0 { canvas.text((g == .ascii ? "^" : "▲") + " cursor at 0: before any event", x: r.x, y: y + 2, Style(foreground: .cyan, bold: true), maxWidth: r.width) }
            y += 3
        }
        // The state at the cursor, and how it was found.
        if y < r.maxY {
            let at = a.atCursor
            let from = a.snapshots.last { $0.state.version <= cursor }
            let how = from.map { "snapshot \($0.state.version) + \(cursor - $0.state.version) event\(cursor - $0.state.version == 1 ? "" : "s")" } ?? "\(cursor) event\(cursor == 1 ? "" : "s") from empty"
            canvas.text("at the cursor (version \(cursor)): balance \(at.balance)", x: r.x, y: y, .bold, maxWidth: r.width)
            y += 1
            if y < r.maxY { canvas.text("  folded from \(how)", x: r.x, y: y, .dim, maxWidth: r.width); y += 1 }
        }
        if y < r.maxY, cursor != a.log.count {
            canvas.text("now (version \(a.log.count)): balance \(a.logFold.balance)", x: r.x, y: y, .dim, maxWidth: r.width)
            y += 1
        }
        y += 1
        // The read side.
        if y < r.maxY {
            let lag = a.log.count - reader.readModel.version
            let rdown = c.unavailable(1)
            let head = "reader" + (rdown.map { " (\($0.hasSuffix("paused") ? "paused" : "crashed"))" } ?? "") + ": read model at version \(reader.readModel.version), balance \(reader.readModel.balance)"
            // The highlighted node (1-9) in reverse video, as other scenes mark a node.
            canvas.text(head, x: r.x, y: y, (rdown == nil ? Style.bold : Style(foreground: .red, bold: true)).with { $0.reverse = ctx.selected == 1 }, maxWidth: r.width)
            y += 1
            if y < r.maxY {
                let style: Style = lag > 0 ? Style(foreground: .yellow, bold: true) : Style(foreground: .green)
                canvas.text(lag > 0 ? "\(g.arrow) lag: \(lag) event\(lag == 1 ? "" : "s") behind the log" : "\(g.check) caught up with the log", x: r.x + 2, y: y, style, maxWidth: r.width - 2)
                y += 1
            }
            if y < r.maxY, reader.reads > 0 {
                let last = reader.lastRead.map { "last read \($0.value)" + ($0.stale ? " (stale)" : "") } ?? ""
                canvas.text("reads \(reader.reads), stale \(reader.staleReads) \(g.bullet) \(last)", x: r.x + 2, y: y, reader.lastRead?.stale == true ? Style(foreground: .red, bold: true) : .plain, maxWidth: r.width - 2)
                y += 1
            }
        }
        // On the wire.
        let wire = c.inFlight.sorted { $0.arrivesAt < $1.arrivesAt }.map { "\(c.name($0.from))\(g.arrow)\(c.name($0.to)): \($0.message)" }
        if y < r.maxY, !wire.isEmpty {
            canvas.text(wire.prefix(3).joined(separator: "  "), x: r.x, y: y, Style(foreground: .cyan, bold: true), maxWidth: r.width)
        }
    }

    public static func legend(_ g: GlyphSet) -> [String] {
        [
            "Top: the account's log, one cell per event (version:change); snap marks a snapshot; the cursor is where you look.",
            "Under it: the balance folded from the events up to the cursor (from the newest snapshot before it, if any).",
            "Bottom: the read model the projector keeps up to date, and how many events it is behind.",
        ]
    }

    public static func needs(nodes: Int, size: SizeClass) -> SceneNeeds { SceneNeeds(minWidth: 40, minHeight: 10, widthShare: 60, wantsEventLog: true) }

    public static func details(of n: NodeID, in c: Cluster<LedgerNode>, width: Int, glyphs g: GlyphSet) -> [StyledLine] {
        let node = c.nodes[n]
        if n == 0 {
            return [[Span("account \(g.bullet) \(node.log.count) events, \(node.snapshots.count) snapshot\(node.snapshots.count == 1 ? "" : "s"), the reader has acknowledged \(node.projected), refused \(node.refused)", .bold)],
                    [Span("  snapshots at " + (node.snapshots.isEmpty ? "none" : node.snapshots.map { "\($0.state.version) (balance \($0.state.balance))" }.joined(separator: ", ")))]]
        }
        return [[Span("reader \(g.bullet) version \(node.readModel.version), balance \(node.readModel.balance), \(node.readModel.deposits) deposits, \(node.readModel.withdrawals) withdrawals", .bold)]]
    }
}
