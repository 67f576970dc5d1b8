import Canvas
import Patterns
import Simulation

/// Services under load, top to bottom: the call graph left to right with the requests on each
/// edge's wire; a row per service (`ServiceTable.swift`); a row per call with its breaker
/// (`BreakerTable.swift`); when there is room, the selected breaker's state machine with its moves
/// and why, and Little's law read off the selected service's measurements.
extension Resilience: PatternScene {
    /// The edge whose breaker is drawn large (t moves it).
    public struct ViewState: Sendable, Equatable {
        /// nil until t is pressed: the first call that has a breaker.
        public var edge: Int?
        /// What the services' sparklines plot (`v` cycles).
        public var plot = Plot.ok
        public init() {}
    }

    public enum Plot: String, Sendable, CaseIterable {
        case ok = "ok/s", p99, p50
    }

    static func shownEdge(_ view: ViewState, _ c: Cluster<ServiceNode>) -> Int {
        if let e = view.edge { return e }
        return c.topology.edges.firstIndex { edge(c, $0)?.breaker != nil } ?? 0
    }

    public static func initialViewState() -> ViewState { ViewState() }

    public static let sceneKeys: [(String, String)] = [("t", "breaker"), ("v", "plot")]

    public static func handle(_ key: SceneKey, _ view: inout ViewState, _ c: Cluster<ServiceNode>) -> String? {
        let links = c.topology.edges
        guard !links.isEmpty else { return nil }
        if key == .char("v") {
            let all = Plot.allCases
            view.plot = all[(all.firstIndex(of: view.plot)! + 1) % all.count]
            return "the sparklines now plot \(view.plot == .ok ? "requests answered ok per second" : "each quarter second's \(view.plot.rawValue)")"
        }
        let current = shownEdge(view, c)
        switch key {
        case .char("t"): view.edge = (current + 1) % links.count
        case .char("T"): view.edge = (current + links.count - 1) % links.count
        default: return nil
        }
        let l = links[view.edge!]
        let hasBreaker = c.nodes[l.from].edges.first { $0.callee == l.to }?.breaker != nil
        return hasBreaker ? "showing the breaker on \(c.name(l.from))->\(c.name(l.to))"
            : "\(c.name(l.from))->\(c.name(l.to)) has no breaker: breakers are off here"
    }

    static func now(_ c: Cluster<ServiceNode>, _ n: NodeID) -> SimTime { c.clocks[n].local(c.now) }

    public static func draw(_ c: Cluster<ServiceNode>, _ view: ViewState, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) {
        guard !r.isEmpty else { return }
        var y = r.y
        y = drawGraph(c, in: Rect(x: r.x, y: y, width: r.width, height: r.maxY - y), on: &canvas, ctx)
        guard y < r.maxY else { return }
        y = drawServices(c, plot: view.plot, in: Rect(x: r.x, y: y, width: r.width, height: r.maxY - y), on: &canvas, ctx)
        guard y < r.maxY else { return }
        y = drawEdges(c, selected: shownEdge(view, c), in: Rect(x: r.x, y: y, width: r.width, height: r.maxY - y), on: &canvas, ctx)
        // What is left goes to the selected breaker's machine (four rows and its moves), and
        // two rows to Little's law.
        let hasBreaker = c.topology.edges.contains { edge(c, $0)?.breaker != nil }
        let machineRows = min(4 + 4, r.maxY - y - 1 - 2)
        if machineRows >= 5, hasBreaker {
            y = drawMachine(c, edge: shownEdge(view, c), in: Rect(x: r.x, y: y + 1, width: r.width, height: machineRows), on: &canvas, ctx.glyphs)
        }
        if r.maxY - y >= 2 { drawLittle(c, ctx.selected, y: hasBreaker ? y : y + 1, in: r, on: &canvas, ctx.glyphs) }
    }

    // MARK: The graph

    /// Depth of each node: clients at 0, a callee one further than its deepest caller.
    static func depths(_ t: Topology) -> [Int] {
        var d = Array(repeating: 0, count: t.count)
        for _ in 0..<t.count { for e in t.edges { d[e.to] = max(d[e.to], d[e.from] + 1) } }
        return d
    }

    /// One line per path from a client (`client ──●──→ front ─●───→ payments`): each wire drawn
    /// with the requests on it moving along it (`●` a call going right, `◂` its reply coming
    /// back, `✗` a lost one); a branch repeats nothing it shares with the line above.
    /// Returns the next free row.
    static func drawGraph(_ c: Cluster<ServiceNode>, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) -> Int {
        let g = ctx.glyphs, t = c.topology
        var paths: [[NodeID]] = []
        func walk(_ path: [NodeID]) {
            let next = t.callees(of: path.last!)
            if next.isEmpty { paths.append(path) } else { for n in next { walk(path + [n]) } }
        }
        for client in t.nodes(ofKind: "client") { walk([client]) }
        // The longest wire that lets the longest path fit.
        let longest = paths.map { p in p.map { displayWidth(c.name($0)) }.reduce(0, +) + p.count - 1 }.max() ?? 0
        let hops = max(1, (paths.map(\.count).max() ?? 2) - 1)
        let wireWidth = max(2, min(8, (r.width - longest) / hops - 2))
        let traffic = wires(c, width: wireWidth)
        var y = r.y
        var previous: [NodeID] = []
        for path in paths where y < r.maxY {
            var x = r.x
            for (k, n) in path.enumerated() {
                let shared = k < previous.count && previous[k] == n && previous.prefix(k) == path.prefix(k)
                if k > 0 {
                    let l = Link(path[k - 1], n)
                    if !shared {
                        if k - 1 < previous.count, previous.prefix(k) == path.prefix(k), x - 1 < r.maxX {
                            canvas.text(g == .ascii ? "`" : "└", x: x - 1, y: y, .dim)
                        }
                        let style = breakerStyle(c, l)
                        var cells = Array(repeating: (g == .ascii ? "-" : "─") as Character, count: wireWidth)
                        var styles = Array(repeating: style, count: wireWidth)
                        for (col, mark) in traffic[l] ?? [] {
                            cells[col] = mark.glyph(g)
                            styles[col] = mark.lost ? Style(foreground: .red, bold: true) : Style(foreground: .cyan, bold: true)
                        }
                        for col in 0..<wireWidth where x + col < r.maxX { canvas.put(cells[col], x: x + col, y: y, styles[col]) }
                        canvas.text(g == .ascii ? ">" : "→", x: x + wireWidth, y: y, style, maxWidth: max(0, r.maxX - x - wireWidth))
                    }
                    x += wireWidth + 2
                }
                let label = c.name(n)
                if !shared { canvas.text(truncate(label, to: max(0, r.maxX - x), ellipsis: g.ellipsis), x: x, y: y, nodeStyle(c, n, ctx)) }
                x += displayWidth(label) + 1
            }
            previous = path
            y += 1
        }
        return y
    }

    struct WireMark { var reply: Bool; var lost: Bool
        /// A call is the message glyph every scene uses (`o` in ASCII); a reply points the way
        /// it travels, back to the caller. (`○` and `*` were drawn before, and a lesson's `○`
        /// folds to the follower's `F` in ASCII: its narration named glyphs the screen lacked.)
        func glyph(_ g: GlyphSet) -> Character { lost ? g.lostMessage : reply ? (g == .ascii ? "<" : "◂") : g.message }
    }

    /// Each caller->callee wire's messages, as (cell, mark) on a wire `width` cells long: a call
    /// at its progress from the caller, a reply at its progress back from the callee.
    static func wires(_ c: Cluster<ServiceNode>, width: Int) -> [Link: [(Int, WireMark)]] {
        var out: [Link: [(Int, WireMark)]] = [:]
        for e in c.inFlight {
            let span = max(1, e.arrivesAt - e.sentAt)
            let progress = Double(min(span, max(0, c.now - e.sentAt))) / Double(span)
            let reply: Bool
            if case .reply = e.message { reply = true } else { reply = false }
            let link = reply ? Link(e.to, e.from) : Link(e.from, e.to)
            let along = reply ? 1 - progress : progress
            let col = min(width - 1, Int(along * Double(width)))
            out[link, default: []].append((col, WireMark(reply: reply, lost: e.lostBecause != nil)))
        }
        return out
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

    /// L = λW for the selected service (the first service otherwise), from its last 5 s.
    static func drawLittle(_ c: Cluster<ServiceNode>, _ selected: NodeID?, y: Int, in r: Rect, on canvas: inout Canvas, _ g: GlyphSet) {
        guard let n = selected.flatMap({ $0 < c.size && !c.nodes[$0].isClient ? $0 : nil }) ?? (0..<c.size).first(where: { !c.nodes[$0].isClient }) else { return }
        let w = c.nodes[n].metrics.window(now: now(c, n))
        guard w.completed > 0 else { return }
        let lambda = g == .ascii ? "lambda" : "λ"
        // W in milliseconds when it is short: "0.000s" says nothing.
        let wText = w.meanSojourn < 0.1 ? "\(threeFigures(w.meanSojourn * 1_000))ms" : "\(threeFigures(w.meanSojourn))s"
        let about = g == .ascii ? "~" : "≈", times = g == .ascii ? "x" : "×"
        let product = "\(threeFigures(w.arrivalRate))/s \(times) \(wText) = \(threeFigures(w.arrivalRate * w.meanSojourn))"
        let L = "L \(threeFigures(w.meanInSystem)) \(about) "
        // The product is the point: where the whole line does not fit (ASCII spells λ out),
        // the formula's letters go first, then the service's name, before any figure is cut.
        let forms = ["\(c.name(n)): \(L)\(lambda)W = \(product)", "\(c.name(n)): \(L)\(product)", L + product]
        let text = forms.first { displayWidth($0) <= r.width } ?? forms[forms.count - 1]
        canvas.text(truncate(text, to: r.width, ellipsis: g.ellipsis), x: r.x, y: y, .dim)
        if y + 1 < r.maxY {
            // Under a second of measurements (a sandbox just started), tenths: "last 0s" read as none.
            let span = w.seconds < 1 ? "\((w.seconds * 10).rounded() / 10)" : "\(Int(w.seconds.rounded()))"
            canvas.text(truncate("(Little's law, last \(span)s; holds when steady)", to: r.width, ellipsis: g.ellipsis), x: r.x, y: y + 1, .dim)
        }
    }

    // MARK: Help and details

    public static func legend(_ g: GlyphSet) -> [String] {
        let (ok, _) = markGlyph(.ok, g), (slow, _) = markGlyph(.slow, g), (bad, _) = markGlyph(.failed, g), (both, _) = markGlyph(.slowFailed, g)
        return [
            "Top: who calls whom, with the requests on each wire: \(WireMark(reply: false, lost: false).glyph(g)) a call, \(WireMark(reply: true, lost: false).glyph(g)) its reply, \(g.lostMessage) lost.",
            "Services: workers busy/total, queue, p99 of the last 5 s, then ok/s per quarter second against its best of the last 16 s (v: p99, p50).",
            "Under a service: its fault, and what it refused, shed or charged.",
            "Breaker: CLOSED, OPEN (time left), HALF-OPEN (trials used/allowed); its window, a cell per call:",
            "\(ok) ok  \(slow) slow  \(bad) failed  \(both) slow and failed; then its rates, then what the attempts came to.",
            "Bottom: one breaker's states and moves (t: next call); Little's law at the selected service.",
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
            lines.append([Span("  last 5 s: \(fmt(w.arrivalRate)) arrived/s, \(fmt(w.throughput)) finished/s, p50 \(w.p50.map(shortDuration) ?? "-"), p99 \(w.p99.map(shortDuration) ?? "-")")])
        }
        for e in node.edges {
            let p = e.policy
            var policy = "timeout \(shortDuration(p.timeout))"
            if p.retry.maxAttempts > 1 { policy += ", \(p.retry.maxAttempts) attempts \(p.retry.backoff.text) jitter \(p.retry.jitter.rawValue)" + (p.retry.budgetPercent.map { " budget \($0)%" } ?? "") }
            if p.bulkhead != .none { policy += ", bulkhead \(p.bulkhead.text)" }
            if p.idempotencyKey { policy += ", idempotency key" }
            if p.conditional { policy += ", conditional write" }
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
