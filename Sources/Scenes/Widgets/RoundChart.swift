import Canvas

/// A column chart of a count per round (an epidemic's S-curve): one column per round, filled
/// from the bottom in eighths of a row (`#` in ASCII), with an optional marked round (where a
/// formula says the curve should have reached the top) drawn as a dotted line and labelled.
public enum RoundChart {
    /// `counts[r]`: the value after round r; `total` is the top of the scale.
    public static func draw(counts: [Int], total: Int, mark: (round: Double, label: String)?, title: String,
                            in r: Rect, on canvas: inout Canvas, glyphs g: GlyphSet) {
        guard r.width >= 12, r.height >= 5, total > 0 else { return }
        let ascii = g == .ascii
        canvas.text(truncate(title, to: r.width, ellipsis: g.ellipsis), x: r.x, y: r.y, .bold)
        // Rows: title, plot, axis, round numbers (and the mark's label on the axis line's right).
        let plot = Rect(x: r.x + 6, y: r.y + 1, width: r.width - 6, height: r.height - 3)
        guard plot.width > 2, plot.height > 0 else { return }
        canvas.text(String(total).leftPadded(5), x: r.x, y: plot.y, .dim)
        canvas.text("0".leftPadded(5), x: r.x, y: plot.maxY - 1, .dim)
        // Up to three columns per round while the rounds (and the mark) fit, so a short
        // epidemic is not a sliver; beyond, one column each and older rounds scroll off the left.
        let span = max(counts.count, Int((mark?.round ?? 0).rounded(.up)) + 3)
        let scale = max(1, min(3, plot.width / max(1, span)))
        let columns = plot.width / scale
        let first = max(0, counts.count - columns)
        let eighths: [Character] = ascii ? [" ", ".", ".", ".", "#", "#", "#", "#", "#"] : [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        func x(_ round: Int) -> Int { plot.x + (round - first) * scale }
        // The mark is dotted through the empty part of its column (the bars, drawn next, keep
        // theirs) and pointed at under the axis, where it is never covered.
        let markRound = mark.map { Int($0.round.rounded()) }
        if let m = markRound, m >= first, m < first + columns {
            for y in plot.y..<plot.maxY { canvas.put(ascii ? ":" : "┊", x: x(m), y: y, Style(foreground: .yellow)) }
        }
        for (k, v) in counts[first...].enumerated() {
            let filled = Int((Double(min(max(0, v), total)) / Double(total) * Double(plot.height * 8)).rounded())
            for row in 0..<plot.height {
                let level = min(8, max(0, filled - row * 8))
                guard level > 0 else { break }
                for dx in 0..<scale { canvas.put(eighths[level], x: x(first + k) + dx, y: plot.maxY - 1 - row, Style(foreground: .green)) }
            }
        }
        // The axis and every fifth round, or every tenth, twentieth, fiftieth… when the numbers
        // are too wide for that (four-digit rounds at one column each), each one whole inside
        // the chart: a number cut at the edge ran over the box's border.
        let axisY = plot.maxY
        for col in plot.x..<plot.maxX { canvas.put(g.horizontal, x: col, y: axisY, .dim) }
        let every = labelStride(widest: String(first + columns).count, scale: scale)
        var k = first - first % every
        while k < first + columns {
            let label = "\(k)"
            if k >= first, x(k) + label.count <= plot.maxX { canvas.text(label, x: x(k), y: axisY + 1, .dim) }
            k += every
        }
        canvas.text("round", x: r.x, y: axisY + 1, .dim)
        if let m = markRound, let label = mark?.label, m >= first, m < first + columns {
            let text = "\(ascii ? "^" : "▲") \(label)"
            let start = x(m) + displayWidth(text) <= r.maxX ? x(m) : max(r.x, x(m) - displayWidth(text) + 1)
            let shown = x(m) + displayWidth(text) <= r.maxX ? text : "\(label) \(ascii ? "^" : "▲")"
            canvas.text(truncate(shown, to: r.maxX - start, ellipsis: g.ellipsis), x: start, y: axisY, Style(foreground: .yellow))
        }
    }
}

extension RoundChart {
    /// Rounds between numbers under the axis: 5, 10, 20, 50, 100… whichever first leaves a
    /// space between numbers `widest` digits wide at `scale` columns a round.
    static func labelStride(widest: Int, scale: Int) -> Int {
        var power = 1
        while true {
            for every in [5 * power, 10 * power, 20 * power] where every * max(1, scale) >= widest + 1 { return every }
            power *= 10
        }
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
