import Canvas
import Experiments

/// A step's experiment in the scene's place: the summary's first lines, then the plot of every
/// trial, fitted to the box.
enum ExperimentPanel {
    /// The step's trials, or why its block cannot run.
    static func draw(_ p: PlayerState, in rect: Rect, on canvas: inout Canvas, glyphs g: GlyphSet) {
        if let r = p.experiment { draw(r, in: rect, on: &canvas, glyphs: g); return }
        if p.pendingExperiment != nil { drawProgress(p.experimentProgress, in: rect, on: &canvas, glyphs: g); return }
        guard let why = p.experimentProblem else { return }
        let width = max(10, rect.width)
        paragraphs([ExperimentReport.wrapWords("This step's experiment cannot run:", width: width), ExperimentReport.wrapWords(why, width: width),
                    ExperimentReport.wrapWords("(check reports it too; P shows the cluster)", width: width)], in: rect, on: &canvas, glyphs: g)
    }

    /// While the block runs off the frame: how far it has got, and that the step goes on.
    static func drawProgress(_ progress: (done: Int, total: Int, seconds: Int)?, in rect: Rect, on canvas: inout Canvas, glyphs g: GlyphSet) {
        let (done, total, seconds) = progress ?? (0, 0, 0)
        // The seconds say it is alive while a long first trial has nothing else to report.
        let counted = (total > 0 ? "\(done) of \(total) trials" : "starting") + (seconds > 0 ? ", \(seconds) s" : "")
        let barWidth = max(4, min(40, rect.width - 2))
        let filled = total > 0 ? barWidth * done / total : 0
        let width = max(10, rect.width)
        paragraphs([ExperimentReport.wrapWords("Running this step's experiment: \(counted)", width: width),
                    ["[" + String(repeating: g.barFull, count: filled) + String(repeating: g.barEmpty, count: barWidth - filled) + "]"],
                    ExperimentReport.wrapWords("The step plays on meanwhile: P shows the cluster, and its trials appear here when they are done.", width: width)],
                   in: rect, on: &canvas, glyphs: g)
    }

    /// Paragraphs of wrapped lines, a blank line between them, the first in bold.
    static func paragraphs(_ paragraphs: [[String]], in rect: Rect, on canvas: inout Canvas, glyphs g: GlyphSet) {
        var lines: [(line: String, bold: Bool)] = []
        for (k, paragraph) in paragraphs.enumerated() {
            if k > 0 { lines.append(("", false)) }
            lines += paragraph.map { ($0, k == 0) }
        }
        for (k, l) in lines.prefix(rect.height).enumerated() {
            canvas.text(g.text(l.line), x: rect.x, y: rect.y + k, l.bold ? .bold : .plain, maxWidth: rect.width)
        }
    }

    static func draw(_ r: ExperimentResult, in rect: Rect, on canvas: inout Canvas, glyphs g: GlyphSet) {
        guard rect.width > 20, rect.height > 6 else { return }
        // Not the report's first line: the plot's title below says what is measured.
        let points = r.plan.points.count
        let trials = "\(r.trials) trial\(r.trials == 1 ? "" : "s")"
        var head = [truncate(r.name + ": " + (points > 1 ? "\(points) points, \(trials) each" : trials), to: rect.width, ellipsis: g.ellipsis)]
        // The table's heading and a row per point, when the plot keeps ten rows: the plot says the rest.
        let rows = ExperimentReport.rows(r, width: rect.width)
        if rect.height >= 11 + rows.count {
            head += [""] + rows
        } else if let flags = ExperimentReport.flagLine(r) {
            // Too short for the table, but the flag's shares (split votes) are what the plot
            // cannot show: one line of them, wrapped as the box allows.
            head += ExperimentReport.wrapWords(flags, width: rect.width).prefix(2)
        }
        for (k, line) in head.enumerated() {
            canvas.text(g.text(line), x: rect.x, y: rect.y + k, k == 0 ? .bold : .plain, maxWidth: rect.width)
        }
        let top = rect.y + head.count
        // One column short of the box, so the last point does not sit against its border.
        let plot = ExperimentReport.plot(r, width: rect.width - 1, height: rect.maxY - top, glyphs: g)
        for y in 0..<plot.height {
            for x in 0..<plot.width {
                let cell = plot[x, y]
                if cell.isContinuation || cell.scalar == " " { continue }
                canvas.put(cell.character, x: rect.x + x, y: top + y, cell.style)
            }
        }
    }
}
