import Canvas
import Patterns
import Simulation

/// Services under load, top to bottom: the call graph left to right with the requests on each
/// edge's wire; a row per service (workers busy, queue, p99, throughput over the last seconds);
/// a row per edge with its breaker (state, window of outcomes, rates against thresholds); and,
/// when there is room, the selected breaker's state machine with its last transition and why,
/// and Little's law read off the selected service's measurements.
extension Resilience: PatternScene {
    /// The edge whose breaker is drawn large (Tab moves it).
    public struct ViewState: Sendable, Equatable {
        /// nil until Tab is pressed: the first call that has a breaker.
        public var edge: Int?
        public init() {}
    }

    static func shownEdge(_ view: ViewState, _ c: Cluster<ServiceNode>) -> Int {
        if let e = view.edge { return e }
        return c.topology.edges.firstIndex { edge(c, $0)?.breaker != nil } ?? 0
    }

    public static func initialViewState() -> ViewState { ViewState() }

    public static let sceneKeys: [(String, String)] = [("Tab", "breaker")]

    public static func handle(_ key: SceneKey, _ view: inout ViewState, _ c: Cluster<ServiceNode>) -> String? {
        let links = c.topology.edges
        guard !links.isEmpty else { return nil }
        let current = shownEdge(view, c)
        switch key {
        case .tab: view.edge = (current + 1) % links.count
        case .backTab: view.edge = (current + links.count - 1) % links.count
        default: return nil
        }
        let l = links[view.edge!]
        return "showing the breaker on \(c.name(l.from))->\(c.name(l.to))"
    }

    static func now(_ c: Cluster<ServiceNode>, _ n: NodeID) -> SimTime { c.clocks[n].local(c.now) }

    public static func draw(_ c: Cluster<ServiceNode>, _ view: ViewState, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) {
        guard !r.isEmpty else { return }
        var y = r.y
        y = drawGraph(c, in: Rect(x: r.x, y: y, width: r.width, height: r.maxY - y), on: &canvas, ctx)
        guard y < r.maxY else { return }
        y = drawServices(c, in: Rect(x: r.x, y: y, width: r.width, height: r.maxY - y), on: &canvas, ctx)
        guard y < r.maxY else { return }
        y = drawEdges(c, selected: shownEdge(view, c), in: Rect(x: r.x, y: y, width: r.width, height: r.maxY - y), on: &canvas, ctx)
        // The breaker's machine needs four rows; Little's law one.
        if r.maxY - y >= 5, c.topology.edges.contains(where: { edge(c, $0)?.breaker != nil }) {
            y = drawMachine(c, edge: shownEdge(view, c), in: Rect(x: r.x, y: y + 1, width: r.width, height: 4), on: &canvas, ctx.glyphs)
        }
        if r.maxY - y >= 2 { drawLittle(c, ctx.selected, y: y + 1, in: r, on: &canvas, ctx.glyphs) }
    }

    // MARK: The graph

    /// Depth of each node: clients at 0, a callee one further than its deepest caller.
    static func depths(_ t: Topology) -> [Int] {
        var d = Array(repeating: 0, count: t.count)
        for _ in 0..<t.count { for e in t.edges { d[e.to] = max(d[e.to], d[e.from] + 1) } }
        return d
    }

    /// One line per path from a client (`client ─3→ front ─1→ payments`); a branch repeats
    /// nothing it shares with the line above. Returns the next free row.
    static func drawGraph(_ c: Cluster<ServiceNode>, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) -> Int {
        let g = ctx.glyphs, t = c.topology
        var wire = [Link: Int]()
        for e in c.inFlight where e.lostBecause == nil { wire[Link(e.from, e.to), default: 0] += 1 }
        var paths: [[NodeID]] = []
        func walk(_ path: [NodeID]) {
            let next = t.callees(of: path.last!)
            if next.isEmpty { paths.append(path) } else { for n in next { walk(path + [n]) } }
        }
        for client in t.nodes(ofKind: "client") { walk([client]) }
        var y = r.y
        var previous: [NodeID] = []
        for path in paths where y < r.maxY {
            var x = r.x
            for (k, n) in path.enumerated() {
                let shared = k < previous.count && previous[k] == n && previous.prefix(k) == path.prefix(k)
                let label = c.name(n)
                if k > 0 {
                    let l = Link(path[k - 1], n)
                    let count = wire[l] ?? 0
                    let arrow = shared ? "   " : (g == .ascii ? "-" : "─") + (count > 0 ? "\(count)" : "") + (g == .ascii ? "->" : "→")
                    if !shared {
                        let style = breakerStyle(c, l)
                        if k > 0, k - 1 < previous.count, previous.prefix(k) == path.prefix(k) {
                            canvas.text(g == .ascii ? "`" : "└", x: x - 1, y: y, .dim)
                        }
                        canvas.text(arrow, x: x, y: y, style)
                    }
                    x += displayWidth(arrow) + 1
                }
                if !shared { canvas.text(truncate(label, to: max(0, r.maxX - x), ellipsis: g.ellipsis), x: x, y: y, nodeStyle(c, n, ctx)) }
                x += displayWidth(label) + 1
            }
            previous = path
            y += 1
        }
        return y
    }

    static func nodeStyle(_ c: Cluster<ServiceNode>, _ n: NodeID, _ ctx: SceneContext) -> Style {
        var s: Style = !c.isUp[n] ? Style(foreground: .red, dim: true) : c.nodes[n].spec.faults.isNormal ? .bold : Style(foreground: .red, bold: true)
        if ctx.selected == n { s.reverse = true }
        return s
    }

    /// An edge drawn in its breaker's colour: red open, yellow half-open.
    static func breakerStyle(_ c: Cluster<ServiceNode>, _ l: Link) -> Style {
        switch edge(c, l)?.breaker?.state {
        case .open?, .forcedOpen?: Style(foreground: .red, bold: true)
        case .halfOpen?: Style(foreground: .yellow, bold: true)
        default: .dim
        }
    }

    static func edge(_ c: Cluster<ServiceNode>, _ l: Link) -> ServiceNode.Edge? { c.nodes[l.from].edges.first { $0.callee == l.to } }

    // MARK: Services

    static func drawServices(_ c: Cluster<ServiceNode>, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) -> Int {
        let g = ctx.glyphs
        let nameWidth = max(7, (0..<c.size).map { displayWidth(c.name($0)) }.max() ?? 7)
        // name, workers, queue, p99, then a sparkline of throughput (or the client's outcome).
        let workWidth = max(4, (0..<c.size).filter { !c.nodes[$0].isClient }.map { "\(c.nodes[$0].busy)/\(c.nodes[$0].spec.workers)".count }.max() ?? 4)
        let columns = "\(pad("service", nameWidth)) \(pad("work", workWidth)) queue     p99  done/s, last \(sparkSeconds(r.width - nameWidth - workWidth - 17))s"
        canvas.text(truncate(columns, to: r.width, ellipsis: g.ellipsis), x: r.x, y: r.y, .dim)
        var y = r.y + 1
        for n in 0..<c.size where y < r.maxY {
            let node = c.nodes[n], now = now(c, n)
            canvas.text(truncate(c.name(n), to: nameWidth, ellipsis: g.ellipsis), x: r.x, y: y, nodeStyle(c, n, ctx))
            var x = r.x + nameWidth + 1
            let w = node.metrics.window(now: now)
            if node.isClient {
                let text = "\(node.spec.load.text) \(g.bullet) ok \(node.counts.succeeded) failed \(node.counts.failed)" + (c.isUp[n] ? "" : " (crashed)")
                canvas.text(truncate(text, to: max(0, r.maxX - x), ellipsis: g.ellipsis), x: x, y: y)
                y += 1
                continue
            }
            let full = node.busy >= node.spec.workers
            canvas.text(pad("\(node.busy)/\(node.spec.workers)", workWidth), x: x, y: y, full ? Style(foreground: .red, bold: true) : .plain); x += workWidth + 1
            let q = node.spec.queue.map { "\(node.queued)/\($0)" } ?? "\(node.queued)/\(g == .ascii ? "inf" : "∞")"
            let qFull = node.spec.queue.map { node.queued >= $0 && $0 > 0 } ?? false
            canvas.text(truncate(q, to: 9, ellipsis: g.ellipsis), x: x, y: y, qFull ? Style(foreground: .red, bold: true) : node.queued > 0 ? Style(foreground: .yellow) : .plain); x += 10
            canvas.text(pad(w.p99.map(shortDuration) ?? "-", 5, left: true), x: x, y: y); x += 6
            let width = r.maxX - x
            if width >= 4 {
                // Whole buckets only: the one still filling would look like a drop.
                let series = node.metrics.series(now: now - Metrics.bucketWidth, count: width)
                Sparkline.draw(series.map { $0.throughput }, x: x, y: y, width: width, on: &canvas, glyphs: g, Style(foreground: .cyan))
            }
            if !node.spec.faults.isNormal || !c.isUp[n] {
                let tag = c.isUp[n] ? node.spec.faults.text : "crashed"
                canvas.text(truncate(" \(tag) ", to: max(0, r.maxX - x), ellipsis: g.ellipsis), x: x, y: y, Style(foreground: .red, bold: true, reverse: true))
            }
            y += 1
            let k = node.counts
            if node.edges.isEmpty, k.doubleCharges + k.deduplicated > 0, y < r.maxY {
                // Where a charge is applied: what the idempotency lessons are about.
                let text = "\(g.arrow) charged \(k.charges) \(g.bullet) twice \(k.doubleCharges) \(g.bullet) dedup \(k.deduplicated)"
                canvas.text(truncate(text, to: max(0, r.width - nameWidth - 1), ellipsis: g.ellipsis), x: r.x + nameWidth + 1, y: y,
                            k.doubleCharges > 0 ? Style(foreground: .red, bold: true) : Style(foreground: .green))
                y += 1
            }
        }
        return y
    }

    /// Seconds a sparkline of `width` quarter-second buckets covers.
    static func sparkSeconds(_ width: Int) -> Int { max(1, width) / 4 }

    static func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
        let w = displayWidth(s)
        guard w < n else { return s }
        return left ? String(repeating: " ", count: n - w) + s : s + String(repeating: " ", count: n - w)
    }

    // MARK: Breakers

    static func drawEdges(_ c: Cluster<ServiceNode>, selected: Int, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) -> Int {
        let g = ctx.glyphs
        let links = c.topology.edges
        let names = links.map { "\(c.name($0.from))\(g == .ascii ? "->" : "→")\(c.name($0.to))" }
        let nameWidth = max(5, names.map(displayWidth).max() ?? 5)
        let anyBreaker = links.contains { edge(c, $0)?.breaker != nil }
        let header = anyBreaker ? "breaker      window (newest right)  failure / slow" : "what its attempts came to"
        canvas.text(truncate("\(pad("call", nameWidth)) \(header)", to: r.width, ellipsis: g.ellipsis), x: r.x, y: r.y, .dim)
        var y = r.y + 1
        for (k, l) in links.enumerated() where y < r.maxY {
            guard let e = edge(c, l) else { continue }
            let now = now(c, l.from)
            canvas.text(names[k], x: r.x, y: y, k == selected % max(1, links.count) ? .bold : .plain)
            var x = r.x + nameWidth + 1
            guard let b = e.breaker else {
                let text = (anyBreaker ? "no breaker \(g.bullet) " : "") + outcomes(e.counts, g)
                canvas.text(truncate(text, to: max(0, r.maxX - x), ellipsis: g.ellipsis), x: x, y: y, anyBreaker ? .dim : .plain)
                y += 1
                continue
            }
            let label = stateLabel(b, now: now)
            canvas.text(pad(label, 12), x: x, y: y, stateStyle(b.state)); x += 13
            // The window's last outcomes: ok, slow, failed.
            let strip = max(0, min(22, r.maxX - x - 1))
            for (j, m) in b.recent.suffix(strip).enumerated() {
                let (ch, st) = markGlyph(m, g)
                canvas.put(ch, x: x + j, y: y, st)
            }
            x += strip + 1
            guard x < r.maxX else { y += 1; continue }
            let (f, s) = b.rates(now: now)
            let cfg = b.config
            var rate = "too few calls"
            if let f, let s {
                rate = "\(f)%" + (f >= cfg.failureThreshold ? "≥" : "<") + "\(cfg.failureThreshold) / \(s)%" + (s >= cfg.slowThreshold ? "≥" : "<") + "\(cfg.slowThreshold)"
            }
            let shown = g == .ascii ? rate.replacingOccurrences(of: "≥", with: ">=") : rate
            if x < r.maxX { canvas.text(truncate(shown, to: r.maxX - x, ellipsis: g.ellipsis), x: x, y: y, f == nil ? .dim : .plain) }
            y += 1
        }
        return y
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
        var parts = ["ok \(k.ok)"]
        for (n, v) in [("retries", k.retries), ("slow", k.slow), ("failed", k.failed), ("timeout", k.timeouts), ("full", k.full),
                       ("limited", k.limited), ("not permitted", k.breaker), ("bulkhead", k.bulkhead)] where v > 0 {
            parts.append("\(n) \(v)")
        }
        return parts.joined(separator: " ")
    }

    /// The selected breaker's three states with the current one in reverse video, and the
    /// last transition with its reason.
    static func drawMachine(_ c: Cluster<ServiceNode>, edge k: Int, in r: Rect, on canvas: inout Canvas, _ g: GlyphSet) -> Int {
        let links = c.topology.edges
        guard !links.isEmpty else { return r.y }
        let l = links[k % links.count]
        guard let b = edge(c, l)?.breaker else {
            canvas.text(truncate("\(c.name(l.from))->\(c.name(l.to)) has no breaker (Tab: next call)", to: r.width, ellipsis: g.ellipsis), x: r.x, y: r.y, .dim)
            return r.y + 1
        }
        let cfg = b.config
        let arrow = g == .ascii ? "->" : "→", atLeast = g == .ascii ? ">=" : "≥"
        // Long labels when they fit, short ones on a narrow screen; clipped to the rect either way.
        var trip = " fail\(atLeast)\(cfg.failureThreshold)%" + (cfg.slowThreshold < 100 ? "|slow\(atLeast)\(cfg.slowThreshold)%" : "") + " \(arrow) "
        var wait = " \(shortDuration(cfg.waitInOpen))\(cfg.automaticHalfOpen ? "" : "+call") \(arrow) "
        if 8 + displayWidth(trip) + 6 + displayWidth(wait) + 11 > r.width {
            trip = " \(atLeast)\(cfg.failureThreshold)% \(arrow) "
            wait = " \(shortDuration(cfg.waitInOpen)) \(arrow) "
        }
        var x = r.x
        for part in [(CircuitBreaker.State.closed, trip), (.open, wait), (.halfOpen, "")] {
            let text = "[\(part.0.shout)]"
            let on = b.state == part.0
            x += canvas.text(text, x: x, y: r.y, on ? stateStyle(part.0).with { $0.reverse = true; $0.bold = true } : .dim, maxWidth: max(0, r.maxX - x))
            if !part.1.isEmpty { x += canvas.text(part.1, x: x, y: r.y, .dim, maxWidth: max(0, r.maxX - x)) }
        }
        let back = "\(cfg.halfOpenCalls) trials: pass \(arrow) CLOSED, fail \(arrow) OPEN" + (b.state == .disabled || b.state == .metricsOnly || b.state == .forcedOpen ? " \(g.bullet) now \(b.state.shout)" : "")
        canvas.text(truncate(back, to: r.width, ellipsis: g.ellipsis), x: r.x, y: r.y + 1, .dim)
        let title = "\(c.name(l.from))\(arrow)\(c.name(l.to)) \(g.bullet) window \(cfg.window.text), min \(cfg.callsNeeded) calls, slow > \(shortDuration(cfg.slowCall))"
        canvas.text(truncate(title, to: r.width, ellipsis: g.ellipsis), x: r.x, y: r.y + 2, .dim)
        if let t = b.lastTransition {
            let why = "\(SimDuration.format(t.at)) \(t.from.shout)\(arrow)\(t.to.shout): \(t.reason)"
            canvas.text(truncate(g == .ascii ? why.replacingOccurrences(of: "≥", with: ">=") : why, to: r.width, ellipsis: g.ellipsis), x: r.x, y: r.y + 3, Style(foreground: .yellow))
        } else {
            canvas.text("no transition yet", x: r.x, y: r.y + 3, .dim)
        }
        return r.y + 4
    }

    /// L = λW for the selected service (the first service otherwise), from its last 5 s.
    static func drawLittle(_ c: Cluster<ServiceNode>, _ selected: NodeID?, y: Int, in r: Rect, on canvas: inout Canvas, _ g: GlyphSet) {
        guard let n = selected.flatMap({ $0 < c.size && !c.nodes[$0].isClient ? $0 : nil }) ?? (0..<c.size).first(where: { !c.nodes[$0].isClient }) else { return }
        let w = c.nodes[n].metrics.window(now: now(c, n))
        guard w.completed > 0 else { return }
        let lambda = g == .ascii ? "lambda" : "λ"
        let text = "\(c.name(n)): L \(sig(w.meanInSystem)) \(g == .ascii ? "~" : "≈") \(lambda)W = \(sig(w.arrivalRate))/s \(g == .ascii ? "x" : "×") \(sig(w.meanSojourn))s = \(sig(w.arrivalRate * w.meanSojourn))"
        canvas.text(truncate(text, to: r.width, ellipsis: g.ellipsis), x: r.x, y: y, .dim)
        if y + 1 < r.maxY {
            canvas.text(truncate("(Little's law, last \(Int(w.seconds))s; equal once the load is steady)", to: r.width, ellipsis: g.ellipsis), x: r.x, y: y + 1, .dim)
        }
    }

    /// Three significant figures or so: `384`, `38.4`, `3.84`, `0.04`.
    static func sig(_ v: Double) -> String {
        if v >= 100 { return "\(Int(v.rounded()))" }
        if v >= 10 { let t = Int((v * 10).rounded()); return "\(t / 10).\(t % 10)" }
        return fmt(v)
    }

    // MARK: Help and details

    public static func legend(_ g: GlyphSet) -> [String] {
        let (ok, _) = markGlyph(.ok, g), (slow, _) = markGlyph(.slow, g), (bad, _) = markGlyph(.failed, g), (both, _) = markGlyph(.slowFailed, g)
        return [
            "Top: who calls whom; the number on an arrow is requests on that wire now; red arrow: breaker open.",
            "Services: workers busy/total, queue waiting/limit, p99 time in system (last 5 s), requests finished per second (done/s).",
            "Calls: each caller's breaker: CLOSED, OPEN (time left), HALF-OPEN (trials used/allowed).",
            "Window: \(ok) ok  \(slow) slow  \(bad) failed  \(both) slow and failed; then failure / slow-call rates against their thresholds (- : too few calls).",
            "Below: the selected breaker's states (Tab changes call) and its last move with the reason; Little's law for the selected service.",
        ]
    }

    /// No event log: at a hundred requests a second it is a blur of sends; breaker moves and
    /// their reasons are drawn in the scene itself (and `l` still shows the log).
    public static func needs(nodes: Int, size: SizeClass) -> SceneNeeds { SceneNeeds(minWidth: 46, minHeight: 12, widthShare: 62, wantsEventLog: false) }

    public static func details(of n: NodeID, in c: Cluster<ServiceNode>, width: Int, glyphs g: GlyphSet) -> [StyledLine] {
        let node = c.nodes[n], now = now(c, n)
        var lines: [StyledLine] = []
        let k = node.counts
        if node.isClient {
            lines.append([Span("\(c.name(n)) client \(g.bullet) load \(node.spec.load.text) \(g.bullet) requests \(k.requests): ok \(k.succeeded), failed \(k.failed), waiting \(node.outstanding)", .bold)])
        } else {
            let s = node.spec
            lines.append([Span("\(c.name(n)) \(g.bullet) \(s.workers) workers, queue \(s.queue.map(String.init) ?? "unbounded") (\(s.overflow.rawValue)), work \(s.serviceTime.text)" + (s.rateLimit.map { ", limit \($0.text)" } ?? "") + (s.shedExpired ? ", sheds expired" : ""), .bold)])
            lines.append([Span("  received \(k.received): ok \(k.succeeded), failed \(k.failed), full \(k.rejected), limited \(k.limited), shed \(k.shed)" + (k.charges > 0 ? " \(g.bullet) charges \(k.charges), twice \(k.doubleCharges), deduplicated \(k.deduplicated)" : ""))])
            let w = node.metrics.window(now: now)
            lines.append([Span("  last 5 s: \(fmt(w.arrivalRate)) arrived/s, \(fmt(w.throughput)) done/s, p50 \(w.p50.map(shortDuration) ?? "-"), p99 \(w.p99.map(shortDuration) ?? "-")")])
        }
        for e in node.edges {
            let p = e.policy
            var policy = "timeout \(shortDuration(p.timeout))"
            if p.retry.maxAttempts > 1 { policy += ", \(p.retry.maxAttempts) attempts \(p.retry.backoff.text) jitter \(p.retry.jitter.rawValue)" + (p.retry.budgetPercent.map { " budget \($0)%" } ?? "") }
            if p.bulkhead != .none { policy += ", bulkhead \(p.bulkhead.text)" }
            if p.idempotencyKey { policy += ", idempotency key" }
            lines.append([Span("  \(g.arrow) \(e.calleeName): \(policy)", .dim)])
            lines.append([Span("    \(outcomes(e.counts, g))")])
        }
        return lines
    }

    /// At a hundred requests a second no single message is worth slowing the player down for:
    /// what a lesson is about is the counts, queues and breakers, which every frame shows.
    public static func isRoutine(_ e: Envelope<ServiceNode.Message>, in c: Cluster<ServiceNode>) -> Bool { true }
    /// Real time: a queue that grows by fifty requests a second is watched growing.
    public static var steadyPace: Double? { 1 }
}

import Foundation
