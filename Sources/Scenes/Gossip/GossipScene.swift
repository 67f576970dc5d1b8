import Canvas
import Foundation
import Patterns
import Simulation

/// Gossip as an epidemic. Up to 15 nodes: the ring, with each push and pull travelling, so a
/// student sees who told whom in round 1, 2, 3. Beyond: a dense grid of nodes coloured by state
/// beside the S-curve of informed nodes per round, with where log2 n + ln n rounds falls.
extension Gossip: PatternScene {
    static let susceptible = 0, spreading = 1, removed = 2, crashed = 3, paused = 4

    static func state(_ id: NodeID, _ c: Cluster<GossipNode>) -> Int {
        !c.isUp[id] ? crashed : c.isPaused[id] ? paused : c.nodes[id].spreadingWatched ? spreading : c.nodes[id].informed ? removed : susceptible
    }

    public static func gridPalette(_ g: GlyphSet) -> [GridState] {
        [GridState("susceptible", glyph: g == .ascii ? "." : "·", style: .dim),
         GridState("spreading", glyph: g == .ascii ? "@" : "◉", style: Style(foreground: .yellow, bold: true)),
         GridState("removed", glyph: g == .ascii ? "o" : "●", style: Style(foreground: .green)),
         GridState("crashed", glyph: g.crashed, style: Style(foreground: .red, dim: true)),
         GridState("paused", glyph: g.pause, style: Style(foreground: .magenta, bold: true))]
    }

    public static func draw(_ c: Cluster<GossipNode>, _ view: NoViewState, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) {
        guard !r.isEmpty else { return }
        let g = ctx.glyphs
        let head = headline(c, g, width: r.width)
        for (k, line) in head.enumerated() { canvas.text(line, x: r.x, y: r.y + k, .bold) }
        let body = Rect(x: r.x, y: r.y + head.count, width: r.width, height: r.height - head.count)
        guard c.size > 15 else {
            let palette = gridPalette(g)
            let cards = (0..<c.size).map { card(for: $0, in: c, palette: palette) }
            let messages = c.inFlight.map { mark(for: $0, now: c.now, receiverDown: !c.isUp[$0.to], glyphs: g) }
            RingView.draw(cards: cards, messages: messages, in: body, on: &canvas, selected: ctx.selected, glyphs: g, sizeClass: ctx.sizeClass)
            return
        }
        // Side by side when there is width for both; the chart under the grid otherwise.
        let grid: Rect, chart: Rect
        if body.width >= 64 {
            let w = max(30, body.width * 55 / 100)
            grid = Rect(x: body.x, y: body.y, width: w, height: body.height)
            chart = Rect(x: body.x + w + 2, y: body.y, width: body.width - w - 2, height: body.height)
        } else {
            let h = min(9, body.height / 2)
            grid = Rect(x: body.x, y: body.y, width: body.width, height: body.height - h)
            chart = Rect(x: body.x, y: body.maxY - h, width: body.width, height: h)
        }
        // The selected node's contacts of its last round are underlined on the grid.
        let contacts = ctx.selected.map { Array(c.nodes[$0].lastContacts) } ?? []
        DenseGrid.draw(states: (0..<c.size).map { state($0, c) }, palette: gridPalette(g), in: grid, on: &canvas, glyphs: g,
                       selected: ctx.selected, marked: contacts)
        let n = Double(c.size)
        let formula = log2(n) + log(n)
        RoundChart.draw(counts: informedPerRound(c), total: c.size,
                        mark: (formula, "log\(g == .ascii ? "2" : "₂")n+ln n≈\(Int(formula.rounded()))"),
                        title: "informed after each round", in: chart, on: &canvas, glyphs: g)
    }

    /// The line over the picture: the round, how many know the rumor, how many still spread it.
    /// How gossip is set up goes last and only when it fits; on a narrow screen the line
    /// becomes two rather than lose the rumor's name or the traffic, which steps talk about.
    static func headline(_ c: Cluster<GossipNode>, _ g: GlyphSet, width: Int) -> [String] {
        let b = " \(g.bullet) "
        guard let w = c.nodes.first?.config.watched else { return [truncate("no rumor yet" + b + configLine(c), to: width, ellipsis: g.ellipsis)] }
        let sent = c.nodes.reduce(0) { $0 + $1.sent }
        let first = "\(w.key) \(w.version)" + b + "round \(round(c))" + b + "\(sent) messages"
        let second = "informed \(c.tally.first)/\(c.size)" + b + "spreading \(c.tally.second)"
        for line in [first + b + second + b + configLine(c), first + b + second] where displayWidth(line) <= width { return [line] }
        return [first, second].map { truncate($0, to: width, ellipsis: g.ellipsis) }
    }

    static func configLine(_ c: Cluster<GossipNode>) -> String {
        guard let k = c.nodes.first?.config else { return "" }
        var parts = ["\(k.mode.rawValue)", "fanout \(k.fanout)"]
        if k.interest != .forever { parts.append("\(k.interest.text)\(k.feedback ? "" : " blind")") }
        if let ae = k.antiEntropy { parts.append("anti-entropy \(SimDuration.format(ae))") }
        if k.graph != .complete { parts.append("graph \(k.graph.text)") }
        return parts.joined(separator: " ")
    }

    /// Informed nodes after each round since the watched rumor started (its S-curve): each
    /// node counted from the round in which it learned it.
    public static func informedPerRound(_ c: Cluster<GossipNode>) -> [Int] {
        guard let w = c.nodes.first?.config.watched else { return [] }
        let p = c.nodes[0].config.period
        let rounds = round(c)
        var fresh = Array(repeating: 0, count: rounds + 1)
        for n in c.nodes where n.informed {
            guard let i = n.item(w.key) else { continue }
            fresh[min(rounds, max(0, Int(i.learnedAt / p - w.since / p)))] += 1
        }
        var total = 0
        return fresh.map { total += $0; return total }
    }

    static func card(for id: NodeID, in c: Cluster<GossipNode>, palette: [GridState]) -> NodeCard {
        let n = c.nodes[id]
        let s = palette[state(id, c)]
        let watched = n.config.watched.flatMap { n.item($0.key) }
        let knows = watched.map { "\($0.key)=\($0.value) \($0.version)" } ?? "-"
        // Unnecessary contacts so far while it spreads (only counted when it can lose interest).
        let heat = watched.map { $0.hot ? (n.config.interest == .forever ? "spreading" : "misses \($0.misses)") : "not spreading" } ?? ""
        let others = n.items.count - (watched == nil ? 0 : 1)
        // "not heard" fits a card where "susceptible" would be cut; the legend gives both.
        return NodeCard(title: c.name(id), glyph: s.glyph, role: s.name == "susceptible" ? "not heard" : s.name, style: s.style,
                        details: [knows, heat],
                        shortForms: [knows, watched.map { "\($0.key) \($0.version)" } ?? "-", watched == nil ? "-" : "\u{2713}"],
                        bar: nil,
                        moreDetails: ["sent \(n.sent)"] + (others > 0 ? ["+\(others) other key\(others == 1 ? "" : "s")"] : []))
    }

    static func mark(for e: Envelope<GossipNode.Message>, now: SimTime, receiverDown: Bool, glyphs g: GlyphSet) -> MessageMark {
        let label: String, style: Style
        switch e.message {
        case .push(let u): label = u.first.map { "\($0.key)=\($0.value)" } ?? "push"; style = Style(foreground: .yellow, bold: true)
        case .pull: label = "pull?"; style = Style(foreground: .cyan)
        case .pushPull(let u, _): label = (u.first.map { "\($0.key)=\($0.value)" } ?? "") + "?"; style = Style(foreground: .yellow, bold: true)
        case let .reply(u, known):
            label = u.first.map { "\($0.key)=\($0.value)" } ?? (known.isEmpty ? "new" : "knew")
            style = u.isEmpty ? Style(dim: true) : Style(foreground: .green, bold: true)
        case .digest: label = "AE"; style = Style(foreground: .cyan, dim: true)
        case .repair(let u, _): label = u.isEmpty ? "AE ok" : "AE+\(u.count)"; style = Style(foreground: .cyan)
        case .fill(let u): label = "fill+\(u.count)"; style = Style(foreground: .cyan)
        }
        return MessageMark(e, now: now, label: label, style: style, receiverDown: receiverDown, glyphs: g)
    }

    /// A ring's worth of nodes gets the event log; a grid has no room for one and needs none.
    public static func needs(nodes: Int, size: SizeClass) -> SceneNeeds {
        nodes > 15 ? SceneNeeds(widthShare: 64, wantsEventLog: false) : SceneNeeds()
    }

    /// Anti-entropy that finds nothing to repair, and feedback that says "I knew", are the
    /// cluster idling.
    public static func isRoutine(_ e: Envelope<GossipNode.Message>, in c: Cluster<GossipNode>) -> Bool {
        // The grid draws no single message: what is worth watching is rounds, not flights, so
        // every message passes at the routine pace (a 200 ms round in under a second).
        if c.size > 15 { return true }
        guard e.lostBecause == nil, c.isUp[e.to] else { return false }
        switch e.message {
        case .digest: return true
        case .repair(let u, let want): return u.isEmpty && want.isEmpty
        case .reply(let u, _): return u.isEmpty
        default: return false
        }
    }

    public static func legend(_ g: GlyphSet) -> [String] {
        let p = gridPalette(g)
        return [
            "\(p[0].glyph) susceptible (not heard: has not heard the rumor)   \(p[1].glyph) spreading (hot)   \(p[2].glyph) removed (knows it, lost interest)",
            "\(g.crashed) crashed   \(g.pause) paused.  Cards: the rumor as key=value and its version (v1, v2 …).",
            "x=1 a push   pull? a pull   x=1? push-pull   knew/new: feedback   AE anti-entropy digest, AE+N repair",
            "Chart: nodes informed after each round; \(g == .ascii ? "^" : "▲") under the axis (and a dotted line above the bars) is where log2 n + ln n rounds falls.",
            "Nodes sharing a cell: \(g == .ascii ? "a digit counts" : "braille dots mark") those in it that have heard (\(g == .ascii ? "#: all" : "a dot each")); the line under the grid counts every state.",
            "Select a node (digits): it is reversed on the grid, its contacts of its last round underlined.",
        ]
    }

    public static func details(of id: NodeID, in c: Cluster<GossipNode>, width: Int, glyphs g: GlyphSet) -> [StyledLine] {
        let n = c.nodes[id]
        let role = !c.isUp[id] ? "crashed (keeps what it knows)" : c.isPaused[id] ? "paused" : role(of: id, in: c)
        var lines: [StyledLine] = [[Span("\(c.name(id)) \(role) \(g.bullet) \(n.rounds) rounds \(g.bullet) \(n.sent) messages sent", .bold)]]
        for i in n.items {
            let heat = !i.hot ? "not spreading" : n.config.interest == .forever ? "hot (never loses interest)"
                : "hot (\(i.misses) unnecessary contact\(i.misses == 1 ? "" : "s"))"
            lines.append([Span("  \(i.key)=\(i.value) \(i.version) from \(c.name(i.version.origin)), learned at \(SimDuration.format(i.learnedAt)), \(heat)")])
        }
        if n.items.isEmpty { lines.append([Span("  knows nothing yet", .dim)]) }
        let contacts = n.lastContacts.map { c.name($0) }
        lines.append([Span("  last round contacted: \(contacts.isEmpty ? "nobody" : contacts.joined(separator: ", "))")])
        return lines
    }
}
