import Canvas
import Patterns
import Simulation

extension Clocks {
    /// The diagram alone, as plain text: every event in one wide picture, for handouts and diffs.
    public static func diagramText(_ c: Cluster<ClockNode>, width: Int, ascii: Bool) -> String {
        let h = History(c)
        let rows = c.size * 3 + 2
        // Wide enough for every event, so nothing scrolls out of a printed diagram.
        let w = max(width, 24 + (h.count + 1) * 12)
        var canvas = Canvas(width: w, height: rows)
        draw(c, DiagramView(), in: canvas.bounds, on: &canvas, SceneContext(glyphs: ascii ? .ascii : .unicode))
        return canvas.text
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
            out += what + "\n" + "\(nodeName(e.process)) {\(clock)}\n"
        }
        return out
    }
}
