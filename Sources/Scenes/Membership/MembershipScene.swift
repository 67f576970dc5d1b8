import Canvas
import Patterns
import Simulation

/// Failure detection through one member's eyes: for the selected observer (n1 until another is
/// selected), a row per peer with what it believes (alive, suspect, dead), the heartbeats it
/// received on a time line, φ against the threshold or SWIM's incarnation, and the truth the
/// members cannot see: a suspicion of a member that has not crashed is marked false. Small
/// clusters also get a who-suspects-whom matrix.
extension Membership: PatternScene {
    public static func draw(_ c: Cluster<MembershipNode>, _ view: NoViewState, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) {
        guard !r.isEmpty else { return }
        let g = ctx.glyphs
        let observer = ctx.selected.flatMap { $0 < c.size ? $0 : nil } ?? 0
        let o = c.nodes[observer]
        let k = o.config
        let phiName = g == .ascii ? "phi" : "φ"
        var head = "\(c.name(observer))'s view \(g.bullet) "
        switch k.detector {
        case .heartbeat: head += "heartbeat \(shortDuration(k.interval)), timeout \(shortDuration(k.timeout))"
        case .gossip: head += "gossiped tables \(shortDuration(k.interval)), T_fail \(shortDuration(k.timeout))"
        case .phi: head += "heartbeat \(shortDuration(k.interval)), \(phiName) threshold \(tenths(k.phiThreshold))"
        case .swim: head += "SWIM period \(shortDuration(k.interval)), own incarnation i\(o.incarnation)"
        }
        if !c.isUp[observer] { head += " (crashed)" }
        canvas.text(truncate(head, to: r.width, ellipsis: g.ellipsis), x: r.x, y: r.y, .bold)

        // The matrix under the rows when it fits; the rows first.
        // The column names share their row with the title: an 80x24 player fits six members.
        let matrixRows = c.size <= 12 ? c.size + 1 : 0
        let showMatrix = matrixRows > 0 && r.height >= 1 + (c.size - 1) + matrixRows
        // A big screen (160x48 and up) gives each peer two rows: the time line reads at a glance
        // from the back of a room.
        let spacing = ctx.sizeClass >= .large && r.height >= 1 + 2 * (c.size - 1) + matrixRows + 1 ? 2 : 1
        let rows = Rect(x: r.x, y: r.y + 1, width: r.width, height: showMatrix ? (c.size - 1) * spacing : r.height - 1)
        drawRows(c, observer: observer, in: rows, spacing: spacing, on: &canvas, g)
        if showMatrix { drawMatrix(c, in: Rect(x: r.x, y: rows.maxY, width: r.width, height: matrixRows), on: &canvas, g) }
    }

    /// `8`, `0.4`, `12.7`: one decimal, none when it is whole.
    static func tenths(_ v: Double) -> String {
        // From 100 up, whole numbers: "φ181.4!" did not fit the gauge's six cells.
        if v >= 100 { return "\(Int(min(v, 1_000).rounded(.down)))" }
        let t = Int((v * 10).rounded(.down))
        return t % 10 == 0 ? "\(t / 10)" : "\(t / 10).\(t % 10)"
    }

    static func statusGlyph(_ s: MemberStatus, _ g: GlyphSet) -> (Character, Style) {
        switch s {
        case .alive: (g == .ascii ? "o" : "●", Style(foreground: .green))
        case .suspect: (g == .ascii ? "?" : "◐", Style(foreground: .yellow, bold: true))
        case .dead: (g.crashed, Style(foreground: .red, bold: true))
        }
    }

    /// What the simulator knows and the observer does not.
    static func truth(_ p: NodeID, _ c: Cluster<MembershipNode>) -> String {
        !c.isUp[p] ? "crashed" : c.isPaused[p] ? "paused" : "up"
    }

    static func drawRows(_ c: Cluster<MembershipNode>, observer: NodeID, in r: Rect, spacing: Int = 1, on canvas: inout Canvas, _ g: GlyphSet) {
        let o = c.nodes[observer]
        let k = o.config
        let now = c.clocks[observer].local(c.now)
        var peers = (0..<c.size).filter { $0 != observer }
        // When not every row fits, suspected, dead and crashed members come first: what the
        // screen must never hide is a suspicion.
        if peers.count > r.height {
            peers = peers.filter { o.peers[$0].status != .alive || !c.isUp[$0] } + peers.filter { o.peers[$0].status == .alive && c.isUp[$0] }
        }
        let nameWidth = peers.map { displayWidth(c.name($0)) }.max() ?? 2
        // name, status, a time line of heartbeats (or the probe), a gauge, the truth.
        let truthWidth = 14
        // SWIM's column holds a countdown ("i1 dead in 3.9s"): a few more cells, taken from the
        // time line where it is long enough to spare them.
        let spare = max(0, r.width - nameWidth - 10 - 13 - truthWidth - 3)
        let gaugeWidth = 13 + (k.detector == .swim && spare >= 16 ? 3 : 0)
        let lineWidth = max(0, r.width - nameWidth - 10 - gaugeWidth - truthWidth - 3)
        // About two cells per interval, so a silence as long as the timeout is a visible gap
        // even on a narrow line (7 cells for ten intervals showed 3 s of silence as one cell).
        let span = SimTime(min(10, max(2, lineWidth / 2))) * k.interval
        for (row, p) in peers.prefix(r.height / spacing).enumerated() {
            let y = r.y + row * spacing
            let peer = o.peers[p]
            let (glyph, style) = statusGlyph(peer.status, g)
            var x = r.x
            canvas.text(c.name(p), x: x, y: y, .bold); x += nameWidth + 1
            canvas.put(glyph, x: x, y: y, style)
            canvas.text(peer.status.rawValue, x: x + 2, y: y, style); x += 10
            // Heartbeats received in the last ten intervals, newest at the right.
            if lineWidth > 4 {
                for col in 0..<lineWidth { canvas.put(g == .ascii ? "-" : "┄", x: x + col, y: y, .dim) }
                for t in peer.arrivals where c.now - t < span {
                    let col = lineWidth - 1 - Int((c.now - t) * SimTime(lineWidth - 1) / span)
                    canvas.put(g == .ascii ? "!" : "╿", x: x + max(0, col), y: y, Style(foreground: .green))
                }
                if k.detector == .swim, let probe = o.probe, probe.target == p {
                    // Short, so it fits a narrow line; an ack that came through others says so.
                    let what = probe.acked ? (probe.indirect ? "acked via others" : "acked") : probe.indirect ? "ping-req" : "ping"
                    canvas.text(truncate(what, to: lineWidth, ellipsis: g.ellipsis), x: x, y: y, Style(foreground: .cyan))
                }
                x += lineWidth + 1
            }
            // The gauge: φ against the threshold, or silence against the timeout.
            switch k.detector {
            case .phi:
                let phi = o.phi(p, now: now)
                gauge(value: phi, of: k.phiThreshold, label: "\(g == .ascii ? "p" : "φ")\(tenths(phi))", x: x, y: y, width: gaugeWidth, on: &canvas, g)
            case .heartbeat, .gossip:
                let silent = now - (k.detector == .heartbeat ? peer.lastHeard : peer.counterChangedAt)
                gauge(value: Double(silent), of: Double(k.timeout), label: shortDuration(max(0, silent)), x: x, y: y, width: gaugeWidth, on: &canvas, g)
            case .swim:
                // A suspect's countdown to being declared dead, unless it refutes in time.
                let left = peer.since + o.suspicionTimeout - now
                // "dead in" where the column has room, "dead" where not: the countdown is what
                // the lesson points at, and "i0 dead in 2…" hid it at every width.
                let inc = "i\(peer.incarnation)", due = shortDuration(max(0, left))
                let long = "\(inc) dead in \(due)"
                let text = peer.status != .suspect ? inc : displayWidth(long) <= gaugeWidth ? long : "\(inc) dead \(due)"
                canvas.text(truncate(text, to: gaugeWidth, ellipsis: g.ellipsis), x: x, y: y, peer.status == .suspect ? Style(foreground: .yellow) : .dim)
            }
            x += gaugeWidth + 1
            // The truth, and a suspicion of a running member called what it is.
            let t = truth(p, c)
            let wrong = peer.status != .alive && c.isUp[p]
            let text = wrong ? "FALSE (\(t))" : t
            canvas.text(truncate(text, to: min(truthWidth, r.maxX - x), ellipsis: g.ellipsis), x: x, y: y,
                        wrong ? Style(foreground: .red, bold: true, reverse: true) : (t == "up" ? .dim : Style(foreground: .red)))
        }
        if peers.count > r.height, r.height > 0 {
            canvas.fill(Rect(x: r.x, y: r.maxY - 1, width: r.width, height: 1))
            let hidden = peers.dropFirst(r.height - 1)
            let troubled = hidden.filter { o.peers[$0].status != .alive || !c.isUp[$0] }.count
            let what = troubled == 0 ? "all alive and up" : "\(troubled) of them suspected or down"
            // Within the scene's box: at 80x24 the whole sentence is wider than the box.
            let line = truncate("\(g.ellipsis) \(hidden.count) more, \(what) (a taller terminal shows them)", to: r.width, ellipsis: g.ellipsis)
            canvas.text(line, x: r.x, y: r.maxY - 1, troubled > 0 ? Style(foreground: .red, bold: true) : .dim, maxWidth: r.width)
        }
    }

    /// A bar of `value` against `limit` (full at the limit), red past it, with a label.
    static func gauge(value: Double, of limit: Double, label: String, x: Int, y: Int, width: Int, on canvas: inout Canvas, _ g: GlyphSet) {
        let barWidth = max(1, width - 7)
        // Rounded down, so the bar is full only past the limit; "!" says so without colour.
        let over = value > limit
        let filled = over ? barWidth : min(barWidth - 1, Int(value / max(1e-9, limit) * Double(barWidth)))
        for k in 0..<barWidth {
            canvas.put(k < filled ? g.barFull : g.barEmpty, x: x + k, y: y, k < filled ? Style(foreground: over ? .red : .yellow) : .dim)
        }
        canvas.text(truncate(label + (over ? "!" : ""), to: 6, ellipsis: g.ellipsis), x: x + barWidth + 1, y: y, over ? Style(foreground: .red, bold: true) : .plain)
    }

    static func drawMatrix(_ c: Cluster<MembershipNode>, in r: Rect, on canvas: inout Canvas, _ g: GlyphSet) {
        guard r.height >= c.size + 1 else { return }
        let nameWidth = (0..<c.size).map { displayWidth(c.name($0)) }.max() ?? 2
        for b in 0..<c.size {
            let label = c.name(b)
            canvas.text(String(label.suffix(2)), x: r.x + nameWidth + 1 + b * 3, y: r.y, .dim)
        }
        let titleX = r.x + nameWidth + 1 + c.size * 3 + 1
        canvas.text(truncate("\(g.arrow) who suspects whom: row about column (reverse video: false)", to: max(0, r.maxX - titleX), ellipsis: g.ellipsis), x: titleX, y: r.y, .dim)
        for a in 0..<c.size where r.y + 1 + a < r.maxY {
            let y = r.y + 1 + a
            canvas.text(c.name(a), x: r.x, y: y, c.isUp[a] ? .bold : Style(foreground: .red, dim: true))
            for b in 0..<c.size {
                let x = r.x + nameWidth + 1 + b * 3
                guard a != b else { canvas.put(" ", x: x, y: y, .plain); continue }
                guard c.isUp[a] else { canvas.put(g == .ascii ? "." : "·", x: x, y: y, .dim); continue }
                let s = c.nodes[a].peers[b].status
                let (glyph, style) = s == .alive ? (g == .ascii ? "." : "·", Style.dim) : statusGlyph(s, g)
                let wrong = s != .alive && c.isUp[b]
                canvas.put(glyph, x: x, y: y, wrong ? style.with { $0.reverse = true } : style)
            }
        }
    }

    public static func legend(_ g: GlyphSet) -> [String] {
        let a = statusGlyph(.alive, g).0, s = statusGlyph(.suspect, g).0, d = statusGlyph(.dead, g).0
        return [
            "One row per peer, as the selected member (1-9; n1 at first) sees it: \(a) alive  \(s) suspect  \(d) dead.",
            "\(g == .ascii ? "!" : "╿") a heartbeat (or gossiped table) received, over the last few intervals, newest right.",
            "Bar: \(g == .ascii ? "phi (p)" : "φ") against its threshold, or the silence against the timeout; full and ! past it.",
            "SWIM: i = incarnation; the probe in flight; a suspect's countdown to being declared dead.",
            "Right: the truth the members cannot see (up, paused, crashed); FALSE marks a suspicion of a member that has not crashed.",
        ]
    }

    /// Full: the view's title and a row per peer, then the matrix (up to 12 members).
    public static func needs(nodes: Int, size: SizeClass) -> SceneNeeds {
        SceneNeeds(minHeight: min(nodes + 1, 12), widthShare: 64, fullHeight: nodes <= 12 ? 2 * nodes + 1 : nil)
    }

    /// Heartbeats and acks that change nothing are the cluster idling.
    public static func isRoutine(_ e: Envelope<MembershipNode.Message>, in c: Cluster<MembershipNode>) -> Bool {
        guard e.lostBecause == nil, c.isUp[e.to], !c.isPaused[e.to] else { return false }
        switch e.message {
        case .heartbeat, .table: return true
        case .ping(_, let u), .ack(_, let u): return u.isEmpty
        case .pingReq: return false
        }
    }

    public static func details(of id: NodeID, in c: Cluster<MembershipNode>, width: Int, glyphs g: GlyphSet) -> [StyledLine] {
        let n = c.nodes[id]
        var lines: [StyledLine] = [[Span("\(c.name(id)) \(truth(id, c)) \(g.bullet) suspicions raised \(n.suspicionCount) \(g.bullet) incarnation \(n.incarnation)", .bold)]]
        let watched = (0..<c.size).filter { n.suspects($0) }.map { "\(c.name($0)) \(n.peers[$0].status.rawValue)" }
        lines.append([Span("  suspects: \(watched.isEmpty ? "nobody" : watched.joined(separator: ", "))")])
        if !n.pending.isEmpty {
            lines.append([Span("  to piggyback: " + n.pending.map { "\($0.update) (\($0.left) more)" }.joined(separator: ", "))])
        }
        return lines
    }
}
