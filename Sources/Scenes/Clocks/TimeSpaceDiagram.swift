import Canvas
import Patterns
import Simulation

/// The time-space (Lamport) diagram: one line per process, time to the right, each event a mark
/// labelled with its id and timestamp, each message a line from send to receive. Events take
/// columns in their global order, so the picture stays readable however bursty the timing.
extension Clocks {
    public static func draw(_ c: Cluster<ClockNode>, _ view: DiagramView, in full: Rect, on canvas: inout Canvas, _ ctx: SceneContext) {
        guard !full.isEmpty else { return }
        let g = ctx.glyphs
        // Versions and clock readings go under the diagram when the lesson uses them; the
        // diagram keeps at least a line per process and its two footer lines.
        let panel = panelLines(c, glyphs: g).flatMap { wrapIfWider($0, width: max(10, full.width), indent: 3) }
        // The diagram keeps three rows per process (the line, ids, each event's clock) when the
        // screen has them; the panel gets what is left.
        let panelRows = min(panel.count, max(0, full.height - c.size * 3 - 2), max(0, full.height - c.size - 2))
        let (r, panelRect) = full.splitBottom(panelRows)
        for (i, l) in panel.prefix(panelRows).enumerated() {
            canvas.line(l, x: panelRect.x, y: panelRect.y + i, maxWidth: panelRect.width)
        }
        let h = History(c)
        let display = c.nodes.first?.config.display ?? .vector
        let selected = view.selected.flatMap(h.rank(ofNumber:))
        let pinned = view.pinned.flatMap(h.rank(ofNumber:))

        // Rows: a line per process, plus an id row and a clock row when there is room.
        let footerLines = footerText(h, c, selected: selected, pinned: pinned, keysLive: ctx.keysLive, g).flatMap { wrap([Span($0.0, $0.1)], width: max(10, r.width)) }
        let footer = max(2, min(4, footerLines.count))
        // A big screen spreads the process lines (up to 5 rows apart): the picture fills the room.
        let rowsPer = c.size * 3 + footer <= r.height ? min(5, max(3, (r.height - footer) / max(1, c.size)))
                                                      : (c.size * 2 + footer <= r.height ? 2 : 1)
        let gutterTexts = (0..<c.size).map { p in "\(nodeName(p)) \(clockText(c.nodes[p], display, g))" }
        let gutter = min(view.gutterLimit ?? r.width / 3, (gutterTexts.map(displayWidth).max() ?? 2) + 1)
        // Column width: clocks only grow, so the widest label any event can have is bounded by the
        // clocks now (and the largest id). Labels are then made only for the visible events.
        let widest = c.nodes.map { displayWidth(clockLabel($0.lamport, $0.vc, $0.hlc, display)) }.max() ?? 3
        // Events the lesson names ("a", "m1", a put's "x=2") carry the name beside their id, so
        // narration that says "a, b, c" matches the picture.
        let named = h.events.suffix(400).map { displayWidth(shortLabel($0.label)) }.max() ?? 0
        let idWidth = displayWidth(h.id(max(0, h.count - 1))) + (named > 0 ? named + 1 : 0)
        // A column is the widest label plus a space. When events in order would scroll early
        // ones off (a lesson's narration talks about all of them), events no message orders
        // share columns (see `columns`); if even that does not fit, the space goes.
        let inFlight = c.inFlight
        let labelWidth = max(widest, idWidth + (rowsPer == 2 && display == .lamport ? widest + 1 : 0))
        let room = r.width - gutter - 1
        let roomy = max(4, min(16, labelWidth + 1)), tight = max(4, min(16, labelWidth))
        let extra = inFlight.isEmpty ? 0 : 1
        let packed = (h.count + extra) * roomy > room
        let col = columns(h, packed: packed)
        let slot = ((col.max() ?? -1) + 1 + extra) * roomy <= room ? roomy : tight
        let width = (col.max().map { $0 + 1 } ?? 0) + extra
        let visible = max(1, room / slot)
        // The newest events sit at the right with one free column for messages in flight; the
        // selection is kept in view.
        var first = max(0, width - visible - view.back)
        if let s = selected {
            if col[s] < first { first = col[s] }
            if col[s] >= first + visible - 1 { first = col[s] - visible + 2 }
        }
        first = max(0, min(first, max(0, width - 1)))
        func x(column: Int) -> Int { r.x + gutter + (column - first) * slot + slot / 2 }
        func x(_ k: Int) -> Int { x(column: col[k]) }
        func y(_ p: NodeID) -> Int { r.y + p * rowsPer }
        let lineArea = Rect(x: r.x + gutter, y: r.y, width: r.width - gutter, height: c.size * rowsPer)
        let shown = first..<(first + visible)

        for p in 0..<c.size {
            let style: Style = c.isUp[p] ? .plain : Style(foreground: .red, dim: true)
            // The highlighted process (1-9) in reverse video, as other scenes mark a node.
            let label = ctx.selected == p ? Style(bold: true, reverse: true) : c.isUp[p] ? .bold : style
            canvas.text(truncate(gutterTexts[p], to: gutter - 1, ellipsis: g.ellipsis), x: r.x, y: y(p), label)
            for col in lineArea.x..<lineArea.maxX { canvas.put(g.horizontal, x: col, y: y(p), .dim) }
            if !c.isUp[p] { canvas.text(" \(g.crashed) crashed ", x: lineArea.maxX - 11, y: y(p), style) }
            else if c.isPaused[p] { canvas.text(" \(g.pause) paused ", x: lineArea.maxX - 10, y: y(p), Style(foreground: .magenta, bold: true)) }
        }

        // Messages: delivered ones from send to receive, in-flight ones as far as they have got.
        for k in h.events.indices where col[k] >= first - 200 && col[k] <= first + visible {
            guard case .receive(_, let sender) = h.events[k].kind, let s = h.position(of: sender) else { continue }
            guard col[k] >= first || col[s] >= first else { continue }
            line(from: (x(s), y(h.events[s].process)), to: (x(k), y(h.events[k].process)), clip: lineArea, on: &canvas, g, .dim)
        }
        for env in inFlight {
            guard let s = h.position(of: env.message.sender) else { continue }
            let span = Double(max(1, env.arrivesAt - env.sentAt))
            var progress = min(1, max(0, Double(c.now - env.sentAt) / span))
            if env.lostBecause != nil { progress *= 0.5 }
            let head = (x(column: width - 1) - x(s), y(env.to) - y(env.from))
            let end = (x(s) + Int((Double(head.0) * progress).rounded()), y(env.from) + Int((Double(head.1) * progress).rounded()))
            line(from: (x(s), y(env.from)), to: end, clip: lineArea, on: &canvas, g, Style(foreground: .cyan), includeEnd: true)
            if env.lostBecause != nil && progress > 0.3, lineArea.contains(x: end.0, y: end.1) {
                canvas.put(g.lostMessage, x: end.0, y: end.1, Style(foreground: .red, bold: true))
            }
        }

        // Marks and labels.
        for k in h.events.indices where shown.contains(col[k]) {
            let e = h.events[k]
            let (glyph, style) = mark(k, selected: selected, pinned: pinned, h, g)
            canvas.put(glyph, x: x(k), y: y(e.process), style)
            guard rowsPer >= 2 else { continue }
            let (top, bottom) = label(h, k, display, rowsPer)
            let labelStyle: Style = k == selected || k == pinned ? Style(bold: true, reverse: true) : .plain
            canvas.text(top, x: x(k) - displayWidth(top) / 2, y: y(e.process) + 1, labelStyle, maxWidth: slot)
            if rowsPer >= 3 { canvas.text(bottom, x: x(k) - displayWidth(bottom) / 2, y: y(e.process) + 2, .dim, maxWidth: slot) }
        }
        // In the gutter (empty on a label row), so it never covers an event's label; ASCII
        // spells it "...".
        if first > 0 { canvas.text("\(g.ellipsis)", x: lineArea.x - (g == .ascii ? 3 : 1), y: r.y + c.size * rowsPer - rowsPer + min(1, rowsPer - 1), .dim) }

        // The comparison line.
        let info = Rect(x: r.x, y: r.maxY - footer, width: r.width, height: footer)
        for (i, l) in footerLines.prefix(footer).enumerated() {
            canvas.line(l, x: info.x, y: info.y + i, maxWidth: info.width)
        }
    }

    /// The column of each event. In order, one each, when they fit; packed otherwise, as a
    /// Lamport diagram may be drawn: an event goes right after the previous one on its process
    /// and right after the send it receives, so events no message orders share a column and
    /// every arrow still points right. Only the order along a line and along an arrow means
    /// anything in either layout.
    static func columns(_ h: History, packed: Bool) -> [Int] {
        guard packed else { return Array(h.events.indices) }
        var col = [Int](repeating: 0, count: h.count)
        var next = [Int: Int]()
        for k in h.events.indices {
            let e = h.events[k]
            var c = next[e.process] ?? 0
            if case .receive(_, let sender) = e.kind, let s = h.position(of: sender) { c = max(c, col[s] + 1) }
            col[k] = c
            next[e.process] = c + 1
        }
        return col
    }

    /// What is selected and how it relates to the pinned event, wrapped rather than cut: the
    /// comparison is the answer a student is looking for.
    static func footerText(_ h: History, _ c: Cluster<ClockNode>, selected: Int?, pinned: Int?, keysLive: Bool = true, _ g: GlyphSet) -> [(String, Style)] {
        if let s = selected {
            let second: String
            if let p = pinned, p != s {
                second = (g == .ascii ? "P pinned: " : "◈ pinned: ") + (g == .ascii ? h.relation(p, s, arrow: "->", parallel: "||") : h.relation(p, s))
            } else {
                second = "\(g == .ascii ? "@" : "◉") selected  \(g == .ascii ? "<" : "◀") causal past  \(g == .ascii ? ">" : "▶") causal future  \(g == .ascii ? "~" : "◇") concurrent" + (keysLive ? "  (Enter pins to compare)" : "")
            }
            return [(describe(h, s, c), .bold), (second, .plain)]
        }
        let keys = keysLive ? " [ and ] select an event; Tab moves to another process." : ""
        return [(h.count == 0 ? "No events yet." : "\(h.count) event\(h.count == 1 ? "" : "s")." + keys, .bold)]
    }

    static func clockText(_ n: ClockNode, _ d: ClockDisplay, _ g: GlyphSet) -> String {
        switch d {
        case .lamport: return "L=\(n.lamport)"
        case .vector, .all: return formatVC(n.vc)
        case .hlc: return hlcText(n.hlc)
        }
    }

    static func hlcText(_ h: HLC) -> String { h.description }

    /// (id row, clock row). With only an id row, a Lamport value shares it.
    static func clockLabel(_ lamport: Int, _ vc: [Int], _ hlc: HLC, _ d: ClockDisplay) -> String {
        switch d {
        case .lamport: "\(lamport)"
        case .vector, .all: formatVC(vc)
        case .hlc: hlcText(hlc)
        }
    }

    static func label(_ h: History, _ k: Int, _ d: ClockDisplay, _ rowsPer: Int) -> (String, String) {
        let e = h.events[k]
        let clock = clockLabel(e.lamport, e.vc, e.hlc, d)
        let name = shortLabel(e.label)
        let id = name.isEmpty ? h.id(k) : "\(h.id(k)) \(name)"
        if rowsPer == 2 && d == .lamport { return ("\(id):\(e.lamport)", "") }
        return (id, clock)
    }

    /// An event's name as the diagram shows it: a lesson's own label (`event n1 "a"`, a message
    /// "m1"), a put as its `key=value`; nothing for the sandbox's anonymous traffic or long names.
    static func shortLabel(_ label: String) -> String {
        let l = label.hasPrefix("put ") ? String(label.dropFirst(4)) : label
        return l == "x" || displayWidth(l) > 11 ? "" : l
    }

    static func mark(_ k: Int, selected: Int?, pinned: Int?, _ h: History, _ g: GlyphSet) -> (Character, Style) {
        let ascii = g == .ascii
        guard let s = selected else { return (ascii ? "o" : "●", .bold) }
        if k == s { return (ascii ? "@" : "◉", Style(foreground: .yellow, bold: true, reverse: true)) }
        // The pinned event keeps a mark of its own, so the pair being compared is plain to see.
        if k == pinned { return (ascii ? "P" : "◈", Style(foreground: .cyan, bold: true, reverse: true)) }
        if h.happenedBefore(k, s) { return (ascii ? "<" : "◀", Style(foreground: .blue, bold: true)) }
        if h.happenedBefore(s, k) { return (ascii ? ">" : "▶", Style(foreground: .magenta, bold: true)) }
        return (ascii ? "~" : "◇", Style(foreground: .green, bold: true))
    }

    static func describe(_ h: History, _ k: Int, _ c: Cluster<ClockNode>) -> String {
        let e = h.events[k]
        let what: String = switch e.kind {
        case .local: "local event \"\(e.label)\""
        case .send(let to): "send \"\(e.label)\" to \(nodeName(to))"
        case .receive(let from, _): "receive \"\(e.label)\" from \(nodeName(from))"
        }
        return "\(h.id(k)) on \(nodeName(e.process)): \(what)  L=\(e.lamport)  VC=\(formatVC(e.vc))  HLC=\(hlcText(e.hlc))"
    }

    /// A message line between two cells, drawn with diagonals where it climbs or falls.
    static func line(from a: (Int, Int), to b: (Int, Int), clip: Rect, on canvas: inout Canvas, _ g: GlyphSet, _ style: Style, includeEnd: Bool = false) {
        let dx = b.0 - a.0, dy = b.1 - a.1
        let steps = max(abs(dx), abs(dy))
        guard steps > 1 || includeEnd else { return }
        let down: Character = g == .ascii ? "\\" : "╲", up: Character = g == .ascii ? "/" : "╱"
        var lastY = a.1
        let head: Character = g == .ascii ? ">" : "▸"
        for i in 1..<(includeEnd ? steps + 1 : steps) {
            let px = a.0 + Int((Double(dx) * Double(i) / Double(steps)).rounded())
            let py = a.1 + Int((Double(dy) * Double(i) / Double(steps)).rounded())
            // The cell before the receive carries the arrowhead, so direction never needs guessing
            // (a steep line, whose last step is a slope, gets a slanted head).
            let glyph: Character = !includeEnd && i == steps - 1 ? (py == b.1 ? head : g.head(dx: dx, dy: dy))
                : (py == lastY ? g.horizontal : (py > lastY ? down : up))
            lastY = py
            if clip.contains(x: px, y: py) { canvas.put(glyph, x: px, y: py, style) }
        }
    }

    public static func legend(_ g: GlyphSet) -> [String] {
        let a = g == .ascii
        return [
            "One line per process; time flows right; events in the order they happened.",
            "\(a ? "o" : "●") event, labelled with its id and its clock; lines are messages, send to receive.",
            "\(a ? "@" : "◉") selected  \(a ? "<" : "◀") its causal past  \(a ? ">" : "▶") its causal future  \(a ? "~" : "◇") concurrent with it.",
            "Left: each process's clock now.  [ ] select  Tab process  Enter pin  < > scroll.",
        ]
    }
}
