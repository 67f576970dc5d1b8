import Canvas
import Patterns
import Simulation

extension Clocks {
    /// The diagram alone, as plain text: every event, for handouts and diffs. No line is wider
    /// than `width`: a diagram longer than that is printed in bands, one under the other, each
    /// repeating the process names on the left.
    public static func diagramText(_ c: Cluster<ClockNode>, width: Int, ascii: Bool) -> String {
        let h = History(c)
        let g: GlyphSet = ascii ? .ascii : .unicode
        let rows = c.size * 3 + 4 + panelLines(c, glyphs: g).count * 2
        // One picture wide enough for every event, then cut into bands.
        let gutterWidth = min(width / 3, (0..<c.size).map { displayWidth("\(nodeName($0)) \(clockText(c.nodes[$0], c.nodes[$0].config.display, g))") }.max() ?? 2) + 1
        // Room for every kept event at the widest column an event can get (16), so none is
        // scrolled off the left; the empty columns after the last one are not printed.
        let full = max(width, gutterWidth + 2 + (h.count + 1) * 16)
        var canvas = Canvas(width: full, height: rows)
        var view = DiagramView()
        view.gutterLimit = gutterWidth
        // The footer's key hints are for the player; a printout says only what it shows.
        draw(c, view, in: canvas.bounds, on: &canvas, SceneContext(glyphs: g, keysLive: false))
        if ascii { canvas.foldToASCII() }
        var lines = canvas.lines
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard full > width else { return lines.map { $0 + "\n" }.joined() }
        // The process lines and labels scroll sideways; the text under them (footer, panels) is
        // re-wrapped for the narrower page instead.
        let bandRows = lines.prefix { !$0.hasPrefix(h.count == 0 ? "No events" : "\(h.count) event") }.count
        var out: [String] = []
        let step = width - gutterWidth
        var from = gutterWidth
        // Where the picture ends: the last column holding more than a process's line.
        let lineGlyphs: Set<Character> = [" ", g.horizontal]
        let used = lines.prefix(bandRows).map { line in
            (Array(line).lastIndex { !lineGlyphs.contains($0) } ?? 0) + 1
        }.max() ?? full
        var band: [String] = []
        // Split into characters once: per band it made a long diagram quadratic (25,000 events
        // took minutes).
        let rowsChars = lines.prefix(bandRows).map(Array.init)
        while from < used {
            if !out.isEmpty { out.append("") }
            band = []
            // Cut where no label is: between two events' columns, not through "e7 s2".
            func clear(_ col: Int) -> Bool { rowsChars.allSatisfy { col >= $0.count || lineGlyphs.contains($0[col]) } }
            let end = stride(from: from + step, through: from + step / 2, by: -1).first { clear($0) && clear($0 - 1) } ?? from + step
            for chars in rowsChars {
                let gutter = String(chars.prefix(gutterWidth))
                let body = from < chars.count ? String(chars[from..<min(chars.count, end)]) : ""
                var l = gutter.padding(toLength: gutterWidth, withPad: " ", startingAt: 0) + body
                while l.last == " " { l.removeLast() }
                band.append(l)
            }
            while band.last?.isEmpty == true { band.removeLast() }
            out += band
            from = end
        }
        while out.last?.isEmpty == true { out.removeLast() }
        out.append("")
        if h.dropped > 0 {
            // Said, not silently skipped: the diagram starts at a later event than e1.
            let note = "The first \(h.dropped) events were let go (a diagram keeps the newest \(ClockNode.keptAfterCompaction) to \(ClockNode.maxKept)); it starts at \(h.id(0))."
            for part in wrap([Span(note)], width: width) { out.append(part.map(\.text).joined()) }
        }
        for line in lines.dropFirst(bandRows) {
            for part in wrap([Span(line)], width: width) { out.append(part.map(\.text).joined()) }
        }
        return out.map { $0 + "\n" }.joined()
    }
}

/// ShiViz (bestchai.bitbucket.io/shiviz) reads, by default, an event line followed by a line
/// `host {"host": counter, …}` holding that event's vector clock.
public enum ShiViz {
    public static func log(_ h: History, size: Int) -> String {
        var out = ""
        for (k, e) in h.events.enumerated() {
            let what: String = switch e.kind {
            case .local: "\(h.id(k)) \(e.label)"
            case .send(let to): "\(h.id(k)) send \(e.label) to \(nodeName(to))"
            case .receive(let from, _): "\(h.id(k)) receive \(e.label) from \(nodeName(from))"
            }
            // Only non-zero entries, as ShiViz expects; the process's own entry is never zero.
            let clock = (0..<size).filter { e.vc[$0] > 0 }.map { "\"\(nodeName($0))\": \(e.vc[$0])" }.joined(separator: ", ")
            out += visibleControls(what) + "\n" + "\(nodeName(e.process)) {\(clock)}\n"
        }
        return out
    }
}
