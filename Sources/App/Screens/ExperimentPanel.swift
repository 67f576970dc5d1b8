import Canvas
import Experiments

/// A step's experiment in the scene's place: the summary's first lines, then the plot of every
/// trial, fitted to the box.
enum ExperimentPanel {
    static func draw(_ r: ExperimentResult, in rect: Rect, on canvas: inout Canvas, glyphs g: GlyphSet) {
        guard rect.width > 20, rect.height > 6 else { return }
        // Not the report's first line: the plot's title below says what is measured.
        var head = ["\(r.name): \(r.trials) trials" + (r.plan.sweep.map { " for each \($0.name)" } ?? "")]
        // The table's heading and a row per point, when the plot keeps ten rows: the plot says the rest.
        let rows = ExperimentReport.rows(r)
        if rect.height >= 11 + rows.count { head += [""] + rows }
        for (k, line) in head.enumerated() {
            canvas.text(g.text(line), x: rect.x, y: rect.y + k, k == 0 ? .bold : .plain, maxWidth: rect.width)
        }
        let top = rect.y + head.count
        let plot = ExperimentReport.plot(r, width: rect.width, height: rect.maxY - top, glyphs: g)
        for y in 0..<plot.height {
            for x in 0..<plot.width {
                let cell = plot[x, y]
                if cell.isContinuation || cell.scalar == " " { continue }
                canvas.put(cell.character, x: rect.x + x, y: top + y, cell.style)
            }
        }
    }
}
