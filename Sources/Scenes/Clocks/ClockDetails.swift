import Canvas
import Patterns
import Simulation

/// A selected process in full: every clock it keeps, what it has received and the versions it holds.
extension Clocks {
    public static func details(of id: NodeID, in c: Cluster<ClockNode>, width: Int, glyphs g: GlyphSet) -> [StyledLine] {
        let n = c.nodes[id]
        let clock = c.clocks[id]
        var head = "\(c.name(id))"
        if !c.isUp[id] { head += " crashed" } else if c.isPaused[id] { head += " paused" }
        head += " \(g.bullet) Lamport \(n.lamport) \(g.bullet) vector \(formatVC(n.vc)) \(g.bullet) HLC \(hlcText(n.hlc))"
        var lines: [StyledLine] = [[Span(head, .bold)]]
        let skew = clock.offset == 0 ? "" : ", set \(clock.offset > 0 ? "+" : "-")\(SimDuration.format(abs(clock.offset)))"
        let drift = clock.driftPPM == 0 ? "" : ", drifting \(clock.driftPPM > 0 ? "+" : "")\(clock.driftPPM) ppm"
        lines.append([Span("wall clock \(SimDuration.format(clock.local(c.now)))\(skew)  monotonic \(SimDuration.format(clock.monotonic(c.now)))\(drift)  (true time \(SimDuration.format(c.now)))")])
        if let w = n.wallElapsed, let m = n.monoElapsed {
            lines.append([Span("last measured: \(SimDuration.format(w)) by the wall clock, \(SimDuration.format(m)) by the monotonic clock",
                               w < 0 || abs(w - m) > m / 10 ? Style(foreground: .red, bold: true) : .plain)])
        }
        if !n.received.isEmpty {
            lines.append([Span("received: \(n.received.joined(separator: ", "))")])
        }
        for key in n.store.keys.sorted() {
            let versions = n.store[key] ?? []
            let text = versions.map { "\($0.value) \(formatVC($0.vc))" }.joined(separator: "  |  ")
            let note = versions.count > 1 ? "  (\(versions.count) siblings: concurrent writes, kept side by side)" : ""
            lines.append([Span("\(key): ", .bold), Span(text), Span(note, Style(foreground: .yellow, bold: true))])
        }
        return lines
    }
}
