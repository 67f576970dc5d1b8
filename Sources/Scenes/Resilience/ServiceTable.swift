import Canvas
import Patterns
import Simulation

/// A row per node: a client's load and results; a service's workers, queue, p99 and a sparkline,
/// and under it, when there is anything to say, its faults and what it refused, shed or charged.
extension Resilience {
    static func drawServices(_ c: Cluster<ServiceNode>, plot: Plot, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) -> Int {
        let g = ctx.glyphs
        let nameWidth = min(16, max(7, (0..<c.size).map { displayWidth(c.name($0)) }.max() ?? 7))
        // Wide enough for a full pool, so the columns do not move when it fills.
        let workWidth = max(4, (0..<c.size).filter { !c.nodes[$0].isClient }.map { 2 * "\(c.nodes[$0].spec.workers)".count + 1 }.max() ?? 4)
        // The columns are the shared pool's; a pool bulkhead's own workers are in the note below.
        let columns = "\(pad("service", nameWidth)) \(pad("work", workWidth)) queue     p99  \(plot.rawValue), 0.25s bars"
        canvas.text(truncate(columns, to: r.width, ellipsis: g.ellipsis), x: r.x, y: r.y, .dim)
        var y = r.y + 1
        // A big screen (a projector at 160x48) draws each service's plot four rows tall.
        let services = (0..<c.size).filter { !c.nodes[$0].isClient }.count
        let tall = ctx.sizeClass >= .large && r.height >= 30 + 4 * services
        for n in 0..<c.size where y < r.maxY {
            let node = c.nodes[n], now = now(c, n)
            canvas.text(truncate(c.name(n), to: nameWidth, ellipsis: g.ellipsis), x: r.x, y: y, nodeStyle(c, n, ctx))
            var x = r.x + nameWidth + 1
            if node.isClient {
                let k = node.counts
                let text = "\(node.spec.load.text) \(g.bullet) ok \(k.succeeded) failed \(k.failed)" + (c.isUp[n] ? "" : " (crashed)")
                    + (k.heldAtCap > 0 ? " \(g.bullet) \(k.heldAtCap) not sent: \(ServiceNode.maxHeld) already waiting" : "")
                canvas.text(truncate(text, to: max(0, r.maxX - x), ellipsis: g.ellipsis), x: x, y: y)
                y += 1
                continue
            }
            let w = node.metrics.window(now: now)
            let busy = node.shared.busy, queued = node.shared.queued
            canvas.text(pad("\(busy)/\(node.spec.workers)", workWidth), x: x, y: y, busy >= node.spec.workers ? Style(foreground: .red, bold: true) : .plain)
            x += workWidth + 1
            let q = node.spec.queue.map { "\(queued)/\($0)" } ?? "\(queued)/\(g == .ascii ? "inf" : "∞")"
            let over = node.spec.queue.map { queued >= $0 && $0 > 0 } ?? false
            canvas.text(truncate(q, to: 9, ellipsis: g.ellipsis), x: x, y: y, over ? Style(foreground: .red, bold: true) : queued > 0 ? Style(foreground: .yellow) : .plain)
            x += 10
            canvas.text(pad(w.p99.map(shortDuration) ?? "-", 5, left: true), x: x, y: y)
            x += 6
            if r.maxX - x >= 4 {
                // Whole buckets only: the one still filling would look like a drop.
                let series = node.metrics.series(now: now - Metrics.bucketWidth, count: r.maxX - x)
                let values: [Double?] = switch plot {
                case .ok: series.map { $0.beforeStart ? nil : $0.ok }   // blank before time zero, as the latency plots are
                case .p99: series.map { $0.p99.map(Double.init) }
                case .p50: series.map { $0.p50.map(Double.init) }
                }
                let style = Style(foreground: plot == .ok ? .cyan : .magenta)
                // Throughput against its best of the last 16 s, not of the few seconds shown:
                // at 80 columns a drop scrolled out of sight in 3.5 s, and the trickle that
                // was left filled the plot again.
                let top = plot == .ok ? node.metrics.peakOK(now: now - Metrics.bucketWidth) : nil
                if tall {
                    Sparkline.drawTall(values, top: top, x: x, y: y, width: r.maxX - x, height: 4, on: &canvas, glyphs: g, style)
                } else {
                    Sparkline.draw(values, top: top, x: x, y: y, width: r.maxX - x, on: &canvas, glyphs: g, style)
                }
            }
            y += tall ? 4 : 1
            if let note = notes(node, up: c.isUp[n], g), y < r.maxY {
                y = drawWrapped(note.text, x: r.x + nameWidth + 1, y: y, in: r, on: &canvas, note.style)
            }
        }
        return y
    }

    /// What a service's row has no column for: a fault, and the requests it turned away, shed or
    /// charged (twice, or answered from its idempotency table).
    static func notes(_ node: ServiceNode, up: Bool, _ g: GlyphSet) -> (text: String, style: Style)? {
        let k = node.counts
        var parts: [String] = []
        if !up { parts.append("CRASHED") } else if !node.spec.faults.isNormal { parts.append(node.spec.faults.text) }
        for e in node.edges {
            if case let .pool(w, q) = e.policy.bulkhead { parts.append("\(e.calleeName)'s pool \(e.pool.busy)/\(w) queue \(e.pool.queued)/\(q)") }
        }
        if k.rejected > 0 { parts.append("refused \(k.rejected)") }
        if k.heldAtCap > 0 { parts.append("\(k.heldAtCap) past the simulator's \(ServiceNode.maxHeld)") }
        if k.limited > 0 { parts.append("rate-limited \(k.limited)") }
        if k.shed > 0 { parts.append("shed \(k.shed)") }
        if node.edges.isEmpty, k.doubleCharges + k.deduplicated + k.unchanged > 0 {
            parts.append("charged \(k.charges)")
            parts.append("twice \(k.doubleCharges)")
            if k.deduplicated > 0 { parts.append("dedup \(k.deduplicated)") }
            if k.unchanged > 0 { parts.append("unchanged \(k.unchanged)") }
        }
        if k.conflicts > 0 { parts.append("conflict \(k.conflicts)") }
        guard !parts.isEmpty else { return nil }
        parts = parts.map(unbroken)
        let bad = !up || !node.spec.faults.isNormal || k.doubleCharges > 0
        return ("\(g.arrow) " + parts.joined(separator: " \(g.bullet) "), bad ? Style(foreground: .red, bold: true) : Style(foreground: .yellow))
    }

    static func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
        let w = displayWidth(s)
        guard w < n else { return s }
        return left ? String(repeating: " ", count: n - w) + s : s + String(repeating: " ", count: n - w)
    }
}
