import Canvas
import Patterns
import Simulation

/// A row per call. With a breaker: its state, its window drawn cell by cell (as many cells as
/// the window holds calls), then a row with its rates against their thresholds and one with
/// what the caller's attempts came to. Without: that last row only. And the selected breaker
/// large: its three states, the current one highlighted, and its moves with their reasons.
extension Resilience {
    static func drawEdges(_ c: Cluster<ServiceNode>, selected: Int, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) -> Int {
        let g = ctx.glyphs
        let links = c.topology.edges
        let names = links.map { "\(c.name($0.from))\(g == .ascii ? "->" : "→")\(c.name($0.to))" }
        let nameWidth = min(max(5, names.map(displayWidth).max() ?? 5), max(5, r.width / 2))
        let anyBreaker = links.contains { edge(c, $0)?.breaker != nil }
        canvas.text(truncate("\(pad("call", nameWidth)) \(anyBreaker ? "breaker      window" : "what its attempts came to")", to: r.width, ellipsis: g.ellipsis), x: r.x, y: r.y, .dim)
        var y = r.y + 1
        for (k, l) in links.enumerated() where y < r.maxY {
            guard let e = edge(c, l) else { continue }
            let now = now(c, l.from)
            canvas.text(truncate(names[k], to: nameWidth, ellipsis: g.ellipsis), x: r.x, y: y, k == selected % max(1, links.count) && anyBreaker ? .bold : .plain)
            let x = r.x + nameWidth + 1
            guard let b = e.breaker else {
                y = drawWrapped(outcomes(e.counts, g), x: x, y: y, in: r, on: &canvas, .plain)
                continue
            }
            canvas.text(pad(stateLabel(b, now: now), 15), x: x, y: y, stateStyle(b.state))
            drawWindow(b, x: x + 16, y: y, width: r.maxX - x - 16, on: &canvas, g)
            y += 1
            guard y < r.maxY else { break }
            let rates = "  " + rateText(b, now: now, g)
            canvas.text(truncate(rates, to: r.width, ellipsis: g.ellipsis), x: r.x, y: y, b.rates(now: now).failure == nil ? .dim : .plain)
            y += 1
            y = drawWrapped(outcomes(e.counts, g), x: r.x + 2, y: y, in: r, on: &canvas, .dim)
        }
        return y
    }

    /// A line of counts wrapped onto a second row rather than cut (the numbers are at its end).
    static func drawWrapped(_ text: String, x: Int, y: Int, in r: Rect, on canvas: inout Canvas, _ style: Style) -> Int {
        var y = y
        let width = r.maxX - x
        guard width > 4 else { return y }
        let lines = wrap([Span(text, style)], width: width, indent: 4).prefix(2)
        for (k, line) in lines.enumerated() where y < r.maxY {
            _ = canvas.line(line, x: x, y: y, maxWidth: width)
            // Out of rows with more to say: the cut is marked, not silent.
            if k < lines.count - 1, y + 1 == r.maxY {
                let end = min(x + displayWidth(line) + 1, r.maxX - 1)
                canvas.put("…", x: end, y: y, .dim)   // (".", by the last pass, under --ascii)
            }
            y += 1
        }
        return y
    }

    /// `[✓✓✗·······]`: one cell per call the window holds, newest right, empty cells dotted. A
    /// window too long for the row shows its newest calls after an ellipsis.
    static func drawWindow(_ b: CircuitBreaker, x: Int, y: Int, width: Int, on canvas: inout Canvas, _ g: GlyphSet) {
        guard width >= 4 else { return }
        let slots = b.windowSlots
        let cells = min(slots, width - 2)
        var col = x
        canvas.put("[", x: col, y: y, .dim); col += 1
        if cells < slots { col += canvas.text(g.ellipsis, x: col, y: y, .dim) }
        let shown = Array(b.recent.suffix(cells - (cells < slots ? displayWidth(g.ellipsis) : 0)))
        let empty = max(0, cells - (cells < slots ? displayWidth(g.ellipsis) : 0) - shown.count)
        for _ in 0..<empty { canvas.put(g == .ascii ? "." : "·", x: col, y: y, .dim); col += 1 }
        for m in shown {
            let (ch, st) = markGlyph(m, g)
            canvas.put(ch, x: col, y: y, st); col += 1
        }
        canvas.put("]", x: col, y: y, .dim)
    }

    /// `fail 50% ≥ 50% · slow 0% < 100%`, or why there is no rate yet.
    static func rateText(_ b: CircuitBreaker, now: SimTime, _ g: GlyphSet) -> String {
        let cfg = b.config, ge = g == .ascii ? ">=" : "≥"
        let (f, s) = b.rates(now: now)
        guard let f, let s else {
            let (n, _, _) = b.counts(now: now)
            return b.state == .forcedOpen || b.state == .disabled ? "no calls recorded while \(b.state.rawValue)"
                : "no rate yet: \(n) of \(b.windowNeeded) calls"
        }
        return "fail \(f)% \(f >= cfg.failureThreshold ? ge : "<") \(cfg.failureThreshold)% \(g.bullet) slow \(s)% \(s >= cfg.slowThreshold ? ge : "<") \(cfg.slowThreshold)%"
    }

    /// `CLOSED`, `OPEN 23s`, `HALF-OPEN 2/10`.
    static func stateLabel(_ b: CircuitBreaker, now: SimTime) -> String {
        switch b.state {
        case .open:
            let left = b.openedAt + b.config.waitInOpen - now
            return left > 0 ? "OPEN \(shortDuration(left))" : "OPEN (due)"
        case .halfOpen: return "HALF-OPEN \(b.admitted)/\(b.config.halfOpenCalls)"
        default: return b.state.shout
        }
    }

    static func stateStyle(_ s: CircuitBreaker.State) -> Style {
        switch s {
        case .closed: Style(foreground: .green, bold: true)
        case .open, .forcedOpen: Style(foreground: .red, bold: true, reverse: true)
        case .halfOpen: Style(foreground: .yellow, bold: true)
        case .disabled, .metricsOnly: .dim
        }
    }

    static func markGlyph(_ m: CircuitBreaker.Mark, _ g: GlyphSet) -> (Character, Style) {
        switch m {
        case .ok: (g.check, Style(foreground: .green))
        case .slow: (g == .ascii ? "s" : "◔", Style(foreground: .yellow))
        case .failed: (g.cross, Style(foreground: .red, bold: true))
        case .slowFailed: (g == .ascii ? "X" : "✗", Style(foreground: .red, bold: true, underline: true))
        }
    }

    static func outcomes(_ k: CallCounts, _ g: GlyphSet) -> String {
        var parts = [unbroken("ok \(k.ok)")]
        // `unchanged` beside ok: it is the caller's other way of being done.
        for (n, v) in [("unchanged", k.unchanged), ("retries", k.retries), ("slow", k.slow), ("failed", k.failed), ("timeout", k.timeouts), ("full", k.full),
                       ("limited", k.limited), ("not permitted", k.breaker), ("bulkhead-full", k.bulkhead),
                       ("over budget", k.budgetRefused)] where v > 0 {
            parts.append(unbroken("\(n) \(v)"))
        }
        return parts.joined(separator: " ")
    }

    /// The selected breaker's states, one to a row with what moves it on, the current one in
    /// reverse video; its window; then its moves, newest first, the newest wrapped if long.
    static func drawMachine(_ c: Cluster<ServiceNode>, edge k: Int, in r: Rect, on canvas: inout Canvas, _ g: GlyphSet) -> Int {
        let links = c.topology.edges
        guard !links.isEmpty else { return r.y }
        let l = links[k % links.count]
        let arrow = g == .ascii ? "->" : "→", ge = g == .ascii ? ">=" : "≥"
        guard let b = edge(c, l)?.breaker else {
            canvas.text(truncate("\(c.name(l.from))\(arrow)\(c.name(l.to)) has no breaker (t: next call)", to: r.width, ellipsis: g.ellipsis), x: r.x, y: r.y, .dim)
            return r.y + 1
        }
        let cfg = b.config
        let trip = "opens at fail \(ge) \(cfg.failureThreshold)%" + (cfg.slowThreshold < 100 ? " or slow \(ge) \(cfg.slowThreshold)%" : "")
        let rows: [(CircuitBreaker.State, String)] = [
            (.closed, trip),
            (.open, "for \(shortDuration(cfg.waitInOpen)), then " + (cfg.automaticHalfOpen ? "by itself" : "at the next call")),
            (.halfOpen, "\(cfg.halfOpenCalls) trials decide: CLOSED or OPEN"),
        ]
        var y = r.y
        for (state, what) in rows where y < r.maxY {
            let on = b.state == state
            let label = pad("[\(state.shout)]", 12)
            canvas.text(label, x: r.x, y: y, on ? stateStyle(state).with { $0.reverse = true; $0.bold = true } : .dim)
            canvas.text(truncate(what, to: max(0, r.width - 12), ellipsis: g.ellipsis), x: r.x + 12, y: y, on ? .plain : .dim)
            y += 1
        }
        let special = b.state == .disabled || b.state == .metricsOnly || b.state == .forcedOpen ? " \(g.bullet) now \(b.state.shout)" : ""
        let about = "\(c.name(l.from))\(arrow)\(c.name(l.to)): slow = over \(shortDuration(cfg.slowCall)); window \(b.state == .halfOpen ? "of its \(cfg.halfOpenCalls) trials" : cfg.window.text), rates from \(b.windowNeeded) calls" + special
        // The newest move and its reason (two rows) come before this line when rows are short.
        if r.maxY - y >= 3 { canvas.text(truncate(about, to: r.width, ellipsis: g.ellipsis), x: r.x, y: y, .dim); y += 1 }
        let moves = b.transitions.reversed().prefix(max(1, r.maxY - y))
        guard !moves.isEmpty else {
            if y < r.maxY { canvas.text("no move yet", x: r.x, y: y, .dim) }
            return min(r.maxY, y + 1)
        }
        for (n, t) in moves.enumerated() where y < r.maxY {
            let why = "\(SimDuration.format(t.at)) \(t.from.shout)\(arrow)\(t.to.shout): \(t.reason)"
            let text = g == .ascii ? why.replacingOccurrences(of: "≥", with: ">=") : why
            // The newest reason is what a lesson points at: wrapped onto a second row rather
            // than cut where its numbers are.
            let lines = n == 0 ? Array(wrap([Span(text, Style(foreground: .yellow))], width: r.width, indent: 2).prefix(2))
                               : [[Span(truncate(text, to: r.width, ellipsis: g.ellipsis), .dim)]]
            for line in lines where y < r.maxY { _ = canvas.line(line, x: r.x, y: y, maxWidth: r.width); y += 1 }
        }
        return y
    }
}
