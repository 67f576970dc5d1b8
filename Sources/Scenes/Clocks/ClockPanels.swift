import Canvas
import Patterns
import Simulation

/// What the clocks lessons talk about besides the diagram, drawn under it when a lesson uses
/// it: each replica's versions of a key with their vector clocks (siblings side by side), and
/// each process's wall and monotonic clocks with the last step and the last measurement.
extension Clocks {
    static func panelLines(_ c: Cluster<ClockNode>, glyphs g: GlyphSet) -> [StyledLine] {
        var lines: [StyledLine] = []
        let names = (0..<c.size).map { c.name($0) }
        let nameWidth = names.map(displayWidth).max() ?? 2
        func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, nameWidth - displayWidth(s))) }

        if c.nodes.contains(where: { !$0.store.isEmpty }) {
            lines.append([Span("Versions each replica keeps (value and the vector clock of its write)", .dim)])
            for id in 0..<c.size where !c.nodes[id].store.isEmpty {
                for key in c.nodes[id].store.keys.sorted() {
                    let versions = c.nodes[id].store[key] ?? []
                    var l: StyledLine = [Span("\(pad(names[id])) \(key): ", .bold)]
                    for (k, v) in versions.enumerated() {
                        if k > 0 { l.append(Span(" \(g.vertical) ", Style(foreground: .yellow, bold: true))) }
                        l.append(Span("\(v.value) \(formatVC(v.vc))", versions.count > 1 ? Style(foreground: .yellow, bold: true) : .plain))
                    }
                    if versions.count > 1 { l.append(Span("  \(versions.count) siblings", Style(foreground: .yellow, bold: true))) }
                    lines.append(l)
                }
            }
        }

        let timed = (0..<c.size).filter { id in
            let k = c.clocks[id], n = c.nodes[id]
            return k.offset != 0 || k.driftPPM != 0 || k.lastStep != nil || n.wallElapsed != nil || n.measureStart != nil
        }
        if !timed.isEmpty {
            lines.append([Span("Clocks at true time \(SimDuration.format(c.now))", .dim)])
            for id in timed {
                let k = c.clocks[id], n = c.nodes[id]
                var wall: StyledLine = [Span("\(pad(names[id])) wall \(SimDuration.format(k.local(c.now)))", .bold)]
                if let s = k.lastStep {
                    wall.append(Span("  stepped \(s.by >= 0 ? "+" : "")\(SimDuration.format(s.by)) at \(SimDuration.format(s.at))",
                                     Style(foreground: s.by < 0 ? .red : .yellow, bold: true)))
                }
                var mono: StyledLine = [Span("\(pad("")) mono \(SimDuration.format(k.monotonic(c.now)))", .bold)]
                if k.driftPPM != 0 { mono.append(Span("  runs \(k.driftPPM > 0 ? "fast" : "slow") by \(abs(k.driftPPM)) ppm", .dim)) }
                lines += [wall, mono]
                if let s = n.measureStart {
                    lines.append([Span("\(pad("")) measuring since wall \(SimDuration.format(s.wall)), mono \(SimDuration.format(s.mono))", .dim)])
                } else if let w = n.wallElapsed, let m = n.monoElapsed {
                    let backwards = w < 0
                    lines.append([Span("\(pad("")) measured: wall "), Span(SimDuration.format(w), backwards ? Style(foreground: .red, bold: true) : .bold),
                                  Span(", mono "), Span(SimDuration.format(m), .bold),
                                  Span(backwards ? "  (the wall clock went backwards)" : "", Style(foreground: .red))])
                }
            }
        }
        return lines
    }
}
